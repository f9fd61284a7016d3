/**
 * The one way a riskfn handler is wrapped: a middy chain whose first middleware adds the
 * Lambda context (request id, function name, cold start) to every log line and clears
 * per-request keys afterwards, so a warm container never logs the previous request's keys.
 * In a deployed function the chain also opens an X-Ray subsegment per invocation (./tracing.ts).
 * Handlers add their own middlewares with `.use()` and their function with `.handler()`.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { tracer } from './tracing.ts';

export function lambdaHandler<TEvent, TResult>(logger: Logger) {
  const chain = middy<TEvent, TResult, Error, Context>().use(injectLambdaContext(logger, { resetKeys: true }));
  // Responses are not attached to the trace: answers and workflow states can be large, and the audit trail keeps them.
  return tracer ? chain.use(captureLambdaHandler(tracer, { captureResponse: false })) : chain;
}
