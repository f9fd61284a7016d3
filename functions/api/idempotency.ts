/**
 * Safe retries of POST requests (Powertools Idempotency, `makeHandlerIdempotent`): a request with
 * an `Idempotency-Key` header is answered once; a retry with the same key, caller, method, path
 * and body gets the stored answer (status, headers and body, plus `Riskfn-Idempotent-Replay:
 * true`) without running the route again, so there is no second score and no second audit item
 * (API Gateway's access log line is the record of the retry). The same key with another body is
 * a 422; a retry while the first request is still running is a 409. Requests without the header,
 * and GET requests, are not idempotent.
 *
 * What is stored: successes and refusals (status < 500), so a retry of a refused request is
 * refused the same way. A 5xx answer deletes the record, so a retry runs again (the failure may
 * have been transient). "Same body" means the same bytes: reformatted JSON is another body.
 *
 * Register it after the correlation id and BEFORE the audit trail and the problem mapper: middy
 * runs `after` and `onError` hooks in reverse order, so the answer is audited and mapped to a
 * problem before it is stored, and a stored answer returned early skips the audit trail.
 */

import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ApiError } from './errors.ts';

/** The request header carrying the client's idempotency key (case-insensitive). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Response header set on an answer served from the idempotency record. */
export const REPLAY_HEADER = 'Riskfn-Idempotent-Replay';

/** How long a key's answer is kept (seconds): retries within a day get the stored answer. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** Longest key accepted (characters); a UUID is 36. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const PROBLEM_TYPES = {
  keyReused: 'tag:riskfn,2026:idempotency-key-reused',
  inProgress: 'tag:riskfn,2026:idempotency-request-in-progress',
  invalidKey: 'tag:riskfn,2026:invalid-idempotency-key',
} as const;

/** 422: the key was used before with another body (or by the same caller on the same route). */
class IdempotencyKeyReusedError extends ApiError {
  override name = 'IdempotencyKeyReusedError';
  readonly status = 422;
  readonly type = PROBLEM_TYPES.keyReused;
  readonly title = 'Idempotency key reused';
  constructor(options: { cause: unknown }) {
    super(`this ${IDEMPOTENCY_KEY_HEADER} was used with another body; use a new key for a new request`, {
      ...options,
      errors: [{ path: '', message: `differs from the body first sent with this ${IDEMPOTENCY_KEY_HEADER}` }],
    });
  }
}

/** 409: the first request with this key has not answered yet. */
class IdempotencyRequestInProgressError extends ApiError {
  override name = 'IdempotencyRequestInProgressError';
  readonly status = 409;
  readonly type = PROBLEM_TYPES.inProgress;
  readonly title = 'Request in progress';
  constructor(options: { cause: unknown }) {
    super(`the first request with this ${IDEMPOTENCY_KEY_HEADER} is still running; retry in a moment`, { ...options, headers: { 'Retry-After': '1' } });
  }
}

/** 400: the key header is empty or too long. */
class InvalidIdempotencyKeyError extends ApiError {
  override name = 'InvalidIdempotencyKeyError';
  readonly status = 400;
  readonly type = PROBLEM_TYPES.invalidKey;
  readonly title = 'Invalid idempotency key';
  constructor(length: number) {
    super(`${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${length}`);
  }
}

/** What Powertools hashes: `key` names the record, `body` is compared on a retry. */
interface IdempotentPayload {
  key: string;
  body: string;
}

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** The header's value, whatever the case of its name (the routes normalise headers only later). */
function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted && v !== undefined) return v;
  return undefined;
}

/**
 * The payload of an idempotent request, or undefined when the request is not idempotent. The
 * key is scoped to the caller, so two callers cannot read each other's answers by sharing a key.
 */
function idempotentPayload(event: APIGatewayProxyEvent): IdempotentPayload | undefined {
  if (event.httpMethod !== 'POST') return undefined;
  const key = headerValue(event, IDEMPOTENCY_KEY_HEADER);
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new InvalidIdempotencyKeyError(key.length);
  const identity = event.requestContext?.identity;
  const caller = identity?.userArn ?? identity?.caller ?? '';
  // The body is captured now: the route's JSON parser replaces event.body with the parsed value.
  return { key: JSON.stringify([caller, event.httpMethod, event.path, key]), body: typeof event.body === 'string' ? event.body : '' };
}

export interface IdempotencyOptions {
  /** Where records live: DynamoDB on AWS and locally, in memory in unit tests. */
  store: BasePersistenceLayer;
  logger: Logger;
}

/** Per-request state, kept in middy's `internal` store. */
const STATE = 'riskfn.idempotency';
interface State {
  /** The request as Powertools sees it: the event replaced by the idempotent payload. */
  view: ApiRequest;
  /** The in-progress record was written (so this request owns the key). */
  owned: boolean;
}

export function idempotency(opts: IdempotencyOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'body',
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    hashFunction: 'sha256',
    // Runs before Powertools ends the request early, while the log still carries this request's id.
    responseHook: (response) => {
      const stored = response as unknown as APIGatewayProxyResult;
      opts.logger.info('answered from the idempotency record', { status: stored.statusCode, firstRequestId: requestIdIn(stored) });
      return { ...stored, headers: { ...stored.headers, [REPLAY_HEADER]: 'true' } } as unknown as typeof response;
    },
  });
  const inner = makeHandlerIdempotent({ persistenceStore: opts.store, config, keyPrefix: 'riskfn-api' });
  const stateOf = (request: ApiRequest): State | undefined => (request.internal as Record<string, State | undefined>)[STATE];

  return {
    before: async (request) => {
      const payload = idempotentPayload(request.event);
      if (!payload) return undefined;
      // Powertools reads the event it hashes from `request.event`; `internal` stays shared with the real request.
      const view = { ...request, event: payload as unknown as APIGatewayProxyEvent };
      const state: State = { view, owned: false };
      (request.internal as Record<string, State>)[STATE] = state;
      let stored: unknown;
      try {
        stored = await inner.before?.(view);
      } catch (err) {
        if (err instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError({ cause: err });
        if (err instanceof IdempotencyAlreadyInProgressError) throw new IdempotencyRequestInProgressError({ cause: err });
        throw err;
      }
      if (stored !== undefined) return stored as APIGatewayProxyResult;
      state.owned = true;
      return undefined;
    },
    after: async (request) => {
      const state = stateOf(request);
      if (!state?.owned) return;
      await store(state, request.response, opts.logger);
    },
    onError: async (request) => {
      const state = stateOf(request);
      if (!state?.owned) return; // the record (if any) belongs to an earlier request: leave it alone
      if (request.response && request.response.statusCode < 500) {
        await store(state, request.response, opts.logger);
        return;
      }
      try {
        await inner.onError?.(state.view);
      } catch (err) {
        // The record expires with the Lambda's remaining time; a retry runs again after that.
        opts.logger.error('could not delete the in-progress idempotency record', err as Error);
      }
    },
  };

  /**
   * Stores the answer under the key. A failure here is logged, not answered: the request has
   * been answered and audited, and a 500 now would hide that. Until the in-progress record
   * expires (the Lambda's remaining time) a retry gets a 409, then it runs again.
   */
  async function store(state: State, response: APIGatewayProxyResult | null | undefined, logger: Logger): Promise<void> {
    try {
      await inner.after?.({ ...state.view, response: response as APIGatewayProxyResult });
    } catch (err) {
      logger.error('could not store the answer in the idempotency record', err as Error);
    }
  }
}

/** The `requestId` member of a stored JSON answer (every answer of the API has one), for the log. */
function requestIdIn(answer: APIGatewayProxyResult): string | undefined {
  try {
    const body = JSON.parse(answer.body) as { requestId?: unknown };
    return typeof body.requestId === 'string' ? body.requestId : undefined;
  } catch {
    return undefined;
  }
}
