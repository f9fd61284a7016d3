/**
 * The one place the API writes its audit trail: exactly one item per answer, success or problem.
 * - `before` records the body as received (hash, size, excerpt of the raw bytes) before any
 *   route parses it, so every body can be audited, whatever it holds.
 * - `after` audits a success. If that write fails, the error goes to the `onError` chain, so the
 *   client gets a 500 instead of an answer nobody recorded.
 * - `onError` audits the problem response the problem mapper (./problem-responses.ts) has just
 *   built. If that write fails, the problem still goes out and the failure is logged: a client
 *   must not get a 500 in place of, say, its 400.
 * - A request id that already has an item (a replayed request) is answered with the first
 *   answer, read back from the trail, with the header `Riskfn-Audit-Replay: <requestId>`; when
 *   it cannot be read back, with a 409 problem. Never a 500 after a successful score.
 * What a scoring answer adds to the item (input hash, model version, symbol or symbols) comes
 * from its body, and its lineage (the series, lake objects, model artifact and code that made it:
 * docs/lineage.md) from the facts the route attached to its response (./answer-lineage.ts); a
 * refusal's model version comes from the {@link ScoringError} the route wrapped it in, and its
 * symbol from the request body when the route had parsed one.
 * Register it before the limits and the problem mapper: middy runs `onError` hooks in reverse order.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { codeVersion } from '../../lib/adapters/code-version.ts';
import { AuditConflictError } from '../../lib/adapters/dynamodb/audit-log.ts';
import type { AuditWriteRequest } from '../../lib/schemas/audit-record.ts';
import { SYMBOL_PATTERN } from '../../lib/schemas/price-bar.ts';
import { PROBLEM_CONTENT_TYPE } from '../../lib/schemas/problem-details.ts';
import { LruCache } from '../../lib/util/lru-cache.ts';
import type { Clock } from '../kit/runtime.ts';
import { answerFactsOf, answerLineage } from './answer-lineage.ts';
import type { AuditLog } from './audit-log.ts';
import { RequestIdConflictError, ScoringError, UnknownSymbolError } from './errors.ts';
import { toProblem } from './problem-details.ts';
import { bodyBytes, type ReceivedBody, receivedBody } from './request-hash.ts';
import { callerOf, requestIdOf, routeOf } from './request-id.ts';

export interface AuditTrailOptions {
  audit: AuditLog;
  logger: Logger;
  now: Clock;
}

/** Header of an answer served again from the audit trail for a repeated request id. */
export const AUDIT_REPLAY_HEADER = 'Riskfn-Audit-Replay';

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

const SHA256 = /^sha256:[0-9a-f]{64}$/;

/** Input copies the writer confirmed stored, remembered per container so their text is sent once. */
const STORED_INPUTS_REMEMBERED = 10_000;

/** An instrument symbol as the indexes key it: a valid symbol, upper-cased (the lake's case); otherwise none. */
const indexSymbol = (s: unknown): string | undefined => (typeof s === 'string' && SYMBOL_PATTERN.test(s) ? s.toUpperCase() : undefined);

/** A scoring answer (a POST's 2xx body) as far as the item looks into it. */
interface ScoringAnswer {
  inputHash?: unknown;
  model?: { version?: unknown } | null;
  symbol?: unknown;
  symbols?: unknown;
  conventions?: unknown;
}

/** What a scoring answer tells the item. */
function answerFacts(answer: ScoringAnswer): Pick<AuditWriteRequest['record'], 'inputHash' | 'modelVersion' | 'symbol' | 'symbols'> {
  const symbols = Array.isArray(answer.symbols) ? answer.symbols.map(indexSymbol).filter((s) => s !== undefined) : undefined;
  return {
    inputHash: typeof answer.inputHash === 'string' && SHA256.test(answer.inputHash) ? answer.inputHash : '',
    modelVersion: typeof answer.model?.version === 'string' ? answer.model.version : undefined,
    symbol: indexSymbol(answer.symbol),
    symbols: symbols && symbols.length > 0 ? symbols : undefined,
  };
}

/** What a refusal tells the item: the model that refused, and the symbol the parsed request named. */
function refusalFacts(event: APIGatewayProxyEvent, error: unknown): Pick<AuditWriteRequest['record'], 'modelVersion' | 'symbol'> {
  const cause = error instanceof ScoringError ? error.cause : error;
  // Only a body a route has already parsed (and so passed the limits) is looked into.
  const body = event.body as unknown;
  const requested = typeof body === 'object' && body !== null ? (body as { symbol?: unknown }).symbol : undefined;
  return {
    modelVersion: error instanceof ScoringError ? error.modelVersion : undefined,
    symbol: indexSymbol(requested) ?? (cause instanceof UnknownSymbolError ? indexSymbol(cause.symbol) : undefined),
  };
}

/** The body as the item records it, with its bytes (sent whole to the writer when the excerpt does not hold them). */
const withBytes = (bytes: Buffer): ReceivedBody & { bytes: Buffer } => ({ ...receivedBody(bytes), bytes });

/** Drops undefined members: DynamoDB index keys must be absent, not null, on items outside the index. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function auditTrail(opts: AuditTrailOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  // The body as received, per request: routes replace `event.body` with the parsed value.
  const received = new WeakMap<ApiRequest, ReceivedBody & { bytes: Buffer }>();
  const storedInputs = new LruCache<string, true>(STORED_INPUTS_REMEMBERED);

  function entry(request: ApiRequest, response: APIGatewayProxyResult, failure?: { error: unknown }): AuditWriteRequest {
    const { event, context } = request;
    const body = received.get(request) ?? withBytes(bodyBytes({ body: typeof event.body === 'string' ? event.body : null, isBase64Encoded: false }));
    const result = response.body ?? '';
    const answer = !failure && event.httpMethod === 'POST' && response.statusCode < 300 ? (JSON.parse(result) as ScoringAnswer) : undefined;
    const scoring = answer ? answerFacts(answer) : undefined;
    const facts = scoring ?? (failure ? refusalFacts(event, failure.error) : {});
    const routeFacts = answer ? answerFactsOf(response) : undefined;
    const lineage = routeFacts
      ? answerLineage(routeFacts, {
          conventions: answer?.conventions,
          requestHash: body.requestHash,
          requestTruncated: body.requestTruncated,
          requestText: () => body.bytes.toString('utf8'),
          code: codeVersion(),
          stored: storedInputs,
        })
      : undefined;
    const { bytes: _bytes, ...kept } = body;
    const record = defined({
      requestId: requestIdOf(event, context),
      timestamp: opts.now().toISOString(),
      route: routeOf(event),
      status: response.statusCode,
      ...kept,
      ...facts,
      inputHash: scoring?.inputHash || body.requestHash,
      caller: callerOf(event),
      lineage: lineage?.lineage,
    });
    return { record, result, ...(lineage?.request === undefined ? {} : { request: lineage.request }), ...(lineage?.inputs ? { inputs: lineage.inputs } : {}) };
  }

  /**
   * The content type of a stored 2xx answer. The item keeps only the text, and every answer is JSON
   * except the model card page, which is an HTML document (it always starts with `<!doctype html>`).
   */
  function answerContentType(body: string): string {
    return body.startsWith('<!doctype html>') ? 'text/html; charset=utf-8' : 'application/json';
  }

  /** The first answer of a request id that already has an item, or a 409 problem when it cannot be read back. */
  async function replay(request: ApiRequest, requestId: string): Promise<APIGatewayProxyResult> {
    try {
      const first = await opts.audit.get(requestId);
      if (first) {
        const body = await opts.audit.readResult(first);
        opts.logger.warn('request id already audited: answering its first answer again', { status: first.status });
        const contentType = first.status >= 400 ? PROBLEM_CONTENT_TYPE : answerContentType(body);
        return { statusCode: first.status, headers: { 'Content-Type': contentType, [AUDIT_REPLAY_HEADER]: requestId }, body };
      }
    } catch (err) {
      opts.logger.error('request id already audited and its first answer cannot be read', err as Error);
    }
    const problem = toProblem(new RequestIdConflictError(requestId), { instance: request.event.path, requestId, historyPath: '' });
    return { statusCode: problem.status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE }, body: JSON.stringify(problem.body) };
  }

  /** Writes the answer's item and returns what to answer: the answer, or the first answer of a replayed request id. */
  async function audited(request: ApiRequest, response: APIGatewayProxyResult, failure?: { error: unknown }): Promise<APIGatewayProxyResult> {
    const e = entry(request, response, failure);
    try {
      await opts.audit.write(e);
      for (const input of e.inputs ?? []) storedInputs.set(input.sha256, true);
      return response;
    } catch (err) {
      if (err instanceof AuditConflictError) return replay(request, e.record.requestId);
      throw err;
    }
  }

  return {
    before: (request) => {
      received.set(request, withBytes(bodyBytes(request.event)));
    },
    after: async (request) => {
      request.response = await audited(request, request.response!);
    },
    onError: async (request) => {
      if (!request.response) return; // nothing was answered, so there is nothing to record
      try {
        request.response = await audited(request, request.response, { error: request.error });
      } catch (err) {
        opts.logger.error('audit write failed for an error answer', err as Error);
      }
    },
  };
}
