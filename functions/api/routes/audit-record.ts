/** `GET /v1/audit/{requestId}`: one audit item, its inline answer body parsed back into JSON (an HTML answer stays text); 404 naming the id when there is none. */
import type { AuditItemResponse } from '../../../lib/schemas/audit-responses.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { ApiError } from '../errors.ts';
import { jsonResponse } from '../responses.ts';
import type { RouteHandler } from './route-handler.ts';

/** 404: no audit item has this request id. */
class UnknownAuditRecordError extends ApiError {
  override name = 'UnknownAuditRecordError';
  readonly status = 404;
  readonly type = 'tag:riskfn,2026:unknown-audit-record';
  readonly title = 'Unknown audit record';
  constructor(readonly requestId: string) {
    super(`no audit record has request id ${JSON.stringify(requestId)}`, { errors: [{ path: '/requestId', message: 'unknown request id' }] });
  }
}

/** A recorded answer as the item shows it: parsed JSON, or the text itself for an answer that is not JSON (a model card's HTML page). */
function answerBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function auditRecordRoute(deps: ApiDependencies): RouteHandler {
  return async (event) => {
    const requestId = event.pathParameters?.requestId ?? '';
    const item = await deps.audit.get(requestId);
    if (!item) throw new UnknownAuditRecordError(requestId);
    // A body stored in S3 is not fetched: the item's `resultRef` names it with its hash and size.
    const body: AuditItemResponse = item.result === undefined ? item : { ...item, result: answerBody(item.result) };
    return jsonResponse(200, body);
  };
}
