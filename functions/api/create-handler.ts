/**
 * Builds the API Lambda handler on the handler kit (Powertools logging with the Lambda
 * context): the API Gateway request id as correlation id, idempotent retries, the audit trail, the request limits, one `onError` that
 * turns every failure into a problem document, and the router over the route table
 * (lib/schemas/api-routes.ts).
 * Dependencies are injected so tests can run the real middy chain without AWS.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { auditTrail } from './audit-trail.ts';
import type { ApiDependencies } from './dependencies.ts';
import { idempotency } from './idempotency.ts';
import { requestLimits } from './limits.ts';
import { problemResponses } from './problem-responses.ts';
import { correlationId } from './request-id.ts';
import { requestMetrics } from './request-metrics.ts';
import { apiRoutes, router } from './router.ts';

export function createApiHandler(deps: ApiDependencies) {
  const { logger } = deps;
  return (
    lambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>(logger)
      // First: its `after`/`onError` run last, so it measures and counts the answer the client gets.
      .use(requestMetrics(deps.metricsEmitter))
      .use(correlationId(logger))
      // Before the audit trail: a stored answer is returned before anything else runs (no second audit
      // item), and an answer is stored only after it has been audited (middy runs `after` hooks in reverse).
      .use(idempotency({ store: deps.idempotencyStore, logger }))
      // middy runs onError hooks last-registered first: the problem response exists before it is audited.
      .use(auditTrail({ audit: deps.audit, logger, now: deps.now }))
      // The limits refuse oversized, too deep or long-keyed bodies before any route parses them (the refusal is audited).
      .use(requestLimits())
      .use(problemResponses(logger))
      .handler(router(apiRoutes(deps)))
  );
}
