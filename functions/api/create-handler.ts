/**
 * Builds the API Lambda handler: Powertools logging with the Lambda context and the API
 * Gateway request id as correlation id (set by requestFacts), per-request audit facts, one `onError` that turns
 * every failure into an audited problem document, and the router.
 * Dependencies are injected so tests can run the real middy chain without AWS.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ApiDependencies } from './dependencies.ts';
import { problemResponses } from './problem-responses.ts';
import { requestFacts } from './request-facts.ts';
import { router } from './router.ts';
import { RISK_INSTRUMENT_PATH } from './routes/paths.ts';
import { riskInstrumentRoute } from './routes/risk-instrument.ts';

export function createApiHandler(deps: ApiDependencies, logger: Logger) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestFacts(logger))
    .use(problemResponses({ audit: deps.audit, logger, now: deps.now }))
    .handler(router([{ method: 'POST', path: RISK_INSTRUMENT_PATH, handler: riskInstrumentRoute(deps) }]));
}
