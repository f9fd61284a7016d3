/**
 * Per-request facts the audit trail needs whichever way the request ends: request id, route,
 * and (once known) the model version. A `before` hook puts them on the Lambda context
 * (middy's usual place for per-invocation values), the route fills in the model version, and
 * the error handler reads them. The request id also becomes the logger's correlation id.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';

export interface RequestFacts {
  /** API Gateway `requestContext.requestId`, else the Lambda `awsRequestId`. */
  requestId: string;
  /** `METHOD /path`. */
  route: string;
  /** Champion version, once the route has resolved it. */
  modelVersion: string | null;
}

export type ApiContext = Context & { riskfn: RequestFacts };

export function requestIdOf(event: Partial<APIGatewayProxyEvent>, context: Partial<Context>): string {
  return event.requestContext?.requestId || context.awsRequestId || 'unknown';
}

/** Builds the facts from the raw event (also used when the `before` hook did not run). */
export function factsOf(event: Partial<APIGatewayProxyEvent>, context: Partial<Context>): RequestFacts {
  return { requestId: requestIdOf(event, context), route: `${event.httpMethod ?? '?'} ${event.path ?? '?'}`, modelVersion: null };
}

/** Puts the facts on the context and makes the request id the logger's correlation id. */
export function requestFacts(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, unknown, Error, Context> {
  return {
    before: (request) => {
      const facts = factsOf(request.event, request.context);
      (request.context as ApiContext).riskfn = facts;
      logger.setCorrelationId(facts.requestId);
    },
  };
}
