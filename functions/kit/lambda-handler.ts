/**
 * The one way a riskfn handler is wrapped: a middy chain whose first middleware adds the
 * Lambda context (request id, function name, cold start) to every log line and clears
 * per-request keys afterwards, so a warm container never logs the previous request's keys.
 * Handlers add their own middlewares with `.use()` and their function with `.handler()`.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

export function lambdaHandler<TEvent, TResult>(logger: Logger) {
  return middy<TEvent, TResult, Error, Context>().use(injectLambdaContext(logger, { resetKeys: true }));
}
