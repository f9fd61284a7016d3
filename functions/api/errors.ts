/**
 * Errors the API answers with a problem document (RFC 9457). Each carries its HTTP status,
 * problem `type` and `title`; all have status < 500 except {@link NoChampionModelError} and
 * {@link LakeDataUnavailableError}, whose messages are still safe to show (they name no internals). Anything else that reaches the error
 * handler becomes a generic 500.
 */
import type { FieldError } from '../../lib/schemas/problem-details.ts';
import { LIMIT_EXCEEDED_TYPE, type RequestLimitName } from '../../lib/schemas/request-limits.ts';

/** Problem type URIs: `about:blank` for plain HTTP errors, tag URIs (RFC 4151) for ours. */
export const PROBLEM_TYPES = {
  invalidRequest: 'tag:riskfn,2026:invalid-request',
  unknownSymbol: 'tag:riskfn,2026:unknown-symbol',
  noChampionModel: 'tag:riskfn,2026:no-champion-model',
  insufficientHistory: 'tag:riskfn,2026:insufficient-history',
  modelInputUnavailable: 'tag:riskfn,2026:model-input-unavailable',
  lakeDataUnavailable: 'tag:riskfn,2026:lake-data-unavailable',
  limitExceeded: LIMIT_EXCEEDED_TYPE,
  requestIdConflict: 'tag:riskfn,2026:request-id-conflict',
  blank: 'about:blank',
} as const;

export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  /** Bad fields, for 400/422. */
  readonly errors?: FieldError[];
  /** Extra response headers (e.g. `Allow` on 405). */
  readonly headers?: Record<string, string>;
  constructor(message: string, options?: { cause?: unknown; errors?: FieldError[]; headers?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.errors = options?.errors;
    this.headers = options?.headers;
  }
}

/** 400: the body is not JSON, or a field is missing or invalid. */
export class InvalidRequestError extends ApiError {
  override name = 'InvalidRequestError';
  readonly status = 400;
  readonly type = PROBLEM_TYPES.invalidRequest;
  readonly title = 'Invalid request';
  declare readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[], options?: { cause?: unknown }) {
    super(message, { ...options, errors });
  }
}

/** Reason phrases of the plain HTTP errors (problem type `about:blank`), which are their titles. */
const HTTP_TITLES = { 404: 'Not Found', 405: 'Method Not Allowed', 415: 'Unsupported Media Type' } as const;

/**
 * A plain HTTP error, titled with its reason phrase: 404 (no route has this path), 405 (the
 * path exists but not for this method; pass `Allow` in `headers`), 415 (the body is not
 * declared as JSON).
 */
export class HttpError extends ApiError {
  override name = 'HttpError';
  readonly type = PROBLEM_TYPES.blank;
  readonly title: string;
  constructor(
    readonly status: keyof typeof HTTP_TITLES,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options);
    this.title = HTTP_TITLES[status];
  }
}

/** 404: the data lake has no history for the symbol. */
export class UnknownSymbolError extends ApiError {
  override name = 'UnknownSymbolError';
  readonly status = 404;
  readonly type = PROBLEM_TYPES.unknownSymbol;
  readonly title = 'Unknown symbol';
  constructor(readonly symbol: string) {
    super(`the data lake has no prices for symbol ${JSON.stringify(symbol)}`, { errors: [{ path: '/symbol', message: 'unknown symbol' }] });
  }
}

/** 503: no model has been promoted yet, so there is nothing to score with. */
export class NoChampionModelError extends ApiError {
  override name = 'NoChampionModelError';
  readonly status = 503;
  readonly type = PROBLEM_TYPES.noChampionModel;
  readonly title = 'No champion model';
  constructor() {
    super('no champion model has been promoted yet; run the training workflow, then retry');
  }
}

/**
 * 503: the lake has objects for the symbol but none of them can be read (all corrupt). Not a
 * 404 (the symbol exists) and not a 500 (the server works; the stored data needs repair, e.g.
 * by compaction quarantining the objects and `riskfn lake rebuild`). The message names the
 * symbol and each object's key and reason (lake keys name no internals beyond the layout).
 */
export class LakeDataUnavailableError extends ApiError {
  override name = 'LakeDataUnavailableError';
  readonly status = 503;
  readonly type = PROBLEM_TYPES.lakeDataUnavailable;
  readonly title = 'Lake data unavailable';
  constructor(
    readonly symbol: string,
    readonly skipped: readonly { key: string; reason: string }[],
  ) {
    super(`no readable prices for symbol ${JSON.stringify(symbol)}: ${skipped.map((s) => `${s.key}: ${s.reason}`).join('; ')}`);
  }
}

/**
 * 422: the history is valid but the model or the metrics cannot score it: too short, or lacking
 * an input a model feature needs. Which problem it is (type, title, field message) comes from
 * the domain error's code (see ./problem-details.ts).
 */
export class UnprocessableHistoryError extends ApiError {
  override name = 'UnprocessableHistoryError';
  readonly status = 422;
  readonly type: string;
  readonly title: string;
  /**
   * @param problem the problem type, its title and what the bad field's entry says
   * @param path JSON Pointer of the field that supplied the history (`/prices` or `/symbol`)
   */
  constructor(problem: { type: string; title: string; fieldMessage: string }, message: string, path: string, options?: { cause?: unknown }) {
    super(message, { ...options, errors: [{ path, message: problem.fieldMessage }] });
    this.type = problem.type;
    this.title = problem.title;
  }
}

/**
 * A documented request limit (lib/schemas/request-limits.ts) was exceeded: 413 for the body
 * size, 400 for the others. The problem document names the limit in its `limit` member.
 */
export class LimitExceededError extends ApiError {
  override name = 'LimitExceededError';
  readonly status: 400 | 413;
  readonly type = PROBLEM_TYPES.limitExceeded;
  readonly title = 'Request limit exceeded';
  constructor(
    readonly limit: { name: RequestLimitName; max: number; actual: number },
    message: string,
  ) {
    super(message);
    this.status = limit.name === 'bodyBytes' ? 413 : 400;
  }
}

/**
 * 409: the request id already has an audit item (a replayed request) and its first answer
 * cannot be read back, so it cannot be answered again.
 */
export class RequestIdConflictError extends ApiError {
  override name = 'RequestIdConflictError';
  readonly status = 409;
  readonly type = PROBLEM_TYPES.requestIdConflict;
  readonly title = 'Request id already answered';
  constructor(readonly requestId: string) {
    super(`request ${requestId} was already answered and audited; its first answer cannot be read back. Send the request again (it gets a new id).`);
  }
}

/**
 * Whatever a route throws once it has chosen the model that answers, wrapped so the audit item
 * records which model refused (or failed); the problem mapper answers for `cause`.
 */
export class ScoringError extends Error {
  override name = 'ScoringError';
  constructor(
    readonly modelVersion: string,
    options: { cause: unknown },
  ) {
    super(`scoring with model ${modelVersion} failed: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}
