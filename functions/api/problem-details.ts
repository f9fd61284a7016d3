/**
 * Maps any error to the RFC 9457 problem document the API returns; the one place that decides
 * statuses:
 * - typed {@link ApiError}s keep theirs;
 * - the JSON body parser's errors become 400 (malformed JSON) or 415 (not declared as JSON);
 * - domain errors ({@link DomainError}) are matched by `code`: `INSUFFICIENT_HISTORY` (from the
 *   model, the risk engine or the scorer) and `MODEL_INPUT_UNAVAILABLE` (the model needs an
 *   input the history lacks) become 422; the other codes mean a fault on our side (a corrupt
 *   artifact, a parameter the request schema should have refused) and become 500;
 * - a {@link ScoringError} is answered for its cause;
 * - everything else becomes a 500 that names no internals.
 */
import { DomainError, type DomainErrorCode } from '../../lib/domain/errors.ts';
import type { ProblemDetails } from '../../lib/schemas/problem-details.ts';
import { ApiError, HttpError, InvalidRequestError, LimitExceededError, PROBLEM_TYPES, ScoringError, UnprocessableHistoryError } from './errors.ts';

export interface Problem {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
  /** False for 500s: the cause is only logged. */
  expected: boolean;
}

/** Shape of errors from @middy/util createError (http-json-body-parser). */
interface MiddyHttpError {
  statusCode: number;
  expose?: boolean;
  message: string;
  cause?: { package?: string; message?: string };
}

const isMiddyHttpError = (err: unknown): err is MiddyHttpError =>
  typeof err === 'object' && err !== null && typeof (err as MiddyHttpError).statusCode === 'number';

/** The domain codes a client can act on (send a longer history, or other data), as 422 problems. */
const UNPROCESSABLE: Partial<Record<DomainErrorCode, ConstructorParameters<typeof UnprocessableHistoryError>[0]>> = {
  INSUFFICIENT_HISTORY: { type: PROBLEM_TYPES.insufficientHistory, title: 'Insufficient history', fieldMessage: 'history too short' },
  MODEL_INPUT_UNAVAILABLE: { type: PROBLEM_TYPES.modelInputUnavailable, title: 'Model input unavailable', fieldMessage: 'lacks an input the model needs' },
};

export const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred. Quote the requestId when reporting it.';

/** Converts errors from libraries and the domain into our typed API errors (or returns undefined). */
function toApiError(err: unknown, hint: { historyPath: string }): ApiError | undefined {
  if (err instanceof ScoringError) return toApiError(err.cause, hint);
  if (err instanceof ApiError) return err;
  if (isMiddyHttpError(err) && err.cause?.package === '@middy/http-json-body-parser') {
    // The parser says 415 for both cases; only a parse failure carries the JSON error text.
    if (err.cause.message !== undefined || err.message.startsWith('Invalid or malformed JSON')) {
      return new InvalidRequestError('the body is not valid JSON', [{ path: '', message: err.cause.message ?? 'malformed JSON' }], { cause: err });
    }
    return new HttpError(415, 'send the body as JSON with Content-Type: application/json', { cause: err });
  }
  const unprocessable = err instanceof DomainError ? UNPROCESSABLE[err.code] : undefined;
  if (unprocessable) return new UnprocessableHistoryError(unprocessable, (err as DomainError).message, hint.historyPath, { cause: err });
  return undefined;
}

export function toProblem(err: unknown, ctx: { instance: string; requestId: string; historyPath: string }): Problem {
  const apiError = toApiError(err, ctx);
  if (!apiError) {
    return {
      status: 500,
      headers: {},
      expected: false,
      body: {
        type: PROBLEM_TYPES.blank,
        title: 'Internal Server Error',
        status: 500,
        detail: INTERNAL_ERROR_DETAIL,
        instance: ctx.instance,
        requestId: ctx.requestId,
      },
    };
  }
  const body: ProblemDetails = {
    type: apiError.type,
    title: apiError.title,
    status: apiError.status,
    detail: apiError.message,
    instance: ctx.instance,
    requestId: ctx.requestId,
  };
  if (apiError.errors && apiError.errors.length > 0) body.errors = apiError.errors;
  if (apiError instanceof LimitExceededError) body.limit = apiError.limit;
  return { status: apiError.status, headers: { ...apiError.headers }, body, expected: true };
}
