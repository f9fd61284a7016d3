/**
 * `GET /v1/audit?symbol=|modelVersion=&from=&to=&limit=&cursor=`: the audit items of one symbol
 * or one model version, newest first, a page at a time, through a Query on the table's index
 * (never a Scan). Items are listed without their answer body.
 */
import { InvalidAuditCursorError } from '../../../lib/adapters/dynamodb/audit-log.ts';
import { AUDIT_LIST_LIMITS, AuditQuerySchema } from '../../../lib/schemas/audit-query.ts';
import type { AuditListResponse } from '../../../lib/schemas/audit-responses.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { InvalidRequestError } from '../errors.ts';
import { parseQuery } from '../parse-query.ts';
import { jsonResponse } from '../responses.ts';
import type { RouteHandler } from './route-handler.ts';

export function auditListRoute(deps: ApiDependencies): RouteHandler {
  return async (event) => {
    const q = parseQuery(AuditQuerySchema, event);
    // Items store symbols upper-cased (the lake's case), so any spelling finds them.
    const by = q.symbol !== undefined ? 'symbol' : 'modelVersion';
    const value = q.symbol !== undefined ? q.symbol.toUpperCase() : (q.modelVersion as string);
    try {
      const page = await deps.audit.query({
        by,
        value,
        // Item timestamps are toISOString() texts, so a day's bounds are its first and last millisecond.
        fromTimestamp: q.from === undefined ? undefined : `${q.from}T00:00:00.000Z`,
        toTimestamp: q.to === undefined ? undefined : `${q.to}T23:59:59.999Z`,
        limit: q.limit ?? AUDIT_LIST_LIMITS.default,
        cursor: q.cursor,
      });
      const body: AuditListResponse = { items: page.items.map(({ result: _result, lineage: _lineage, ...summary }) => summary), nextCursor: page.nextCursor };
      return jsonResponse(200, body);
    } catch (err) {
      if (err instanceof InvalidAuditCursorError) {
        throw new InvalidRequestError('the cursor is not one this listing issued', [{ path: '/cursor', message: err.message }], { cause: err });
      }
      throw err;
    }
  };
}
