/**
 * Who a request is, derived from the event alone so every middleware computes the same
 * answer: its id (the key of the audit item and the logger's correlation id) and its route.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** API Gateway `requestContext.requestId`, else the Lambda `awsRequestId`. */
export function requestIdOf(event: Partial<APIGatewayProxyEvent>, context: Partial<Context>): string {
  return event.requestContext?.requestId || context.awsRequestId || 'unknown';
}

/** `METHOD /path` as requested, e.g. `POST /v1/risk/instrument`. */
export function routeOf(event: Partial<APIGatewayProxyEvent>): string {
  return `${event.httpMethod ?? '?'} ${event.path ?? '?'}`;
}

/** Makes the request id the logger's correlation id (cleared after the request by the kit's context middleware). */
export function correlationId(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, unknown, Error, Context> {
  return {
    before: (request) => {
      logger.setCorrelationId(requestIdOf(request.event, request.context));
    },
  };
}
