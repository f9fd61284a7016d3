/**
 * Who a request is, derived from the event alone so every middleware computes the same
 * answer: its id (the key of the audit item and the logger's correlation id), its route and
 * its caller.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { AUDIT_LIMITS, type AuditCaller } from '../../lib/schemas/audit-record.ts';

/** API Gateway `requestContext.requestId`, else the Lambda `awsRequestId`. */
export function requestIdOf(event: Partial<APIGatewayProxyEvent>, context: Partial<Context>): string {
  return event.requestContext?.requestId || context.awsRequestId || 'unknown';
}

/** A caller-controlled string cut to `AUDIT_LIMITS.fieldChars` (ending in `…` when cut), so audit items stay bounded. */
function bounded(s: string): string {
  return s.length <= AUDIT_LIMITS.fieldChars ? s : `${s.slice(0, AUDIT_LIMITS.fieldChars - 1)}…`;
}

const boundedOrNull = (s: string | null | undefined): string | null => (typeof s === 'string' && s !== '' ? bounded(s) : null);

/** `METHOD /path` as requested, e.g. `POST /v1/risk/instrument` (bounded: the path is the client's). */
export function routeOf(event: Partial<APIGatewayProxyEvent>): string {
  return bounded(`${event.httpMethod ?? '?'} ${event.path ?? '?'}`);
}

/**
 * The caller as API Gateway identified it (IAM authorisation): the principal's ARN
 * (`identity.userArn`, else the `caller` principal id), its account, the source IP and the user
 * agent (from the identity, else the `User-Agent` header). Fields API Gateway left empty are null.
 */
export function callerOf(event: Partial<APIGatewayProxyEvent>): AuditCaller {
  const identity = event.requestContext?.identity;
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  return {
    principal: boundedOrNull(identity?.userArn ?? identity?.caller),
    accountId: boundedOrNull(identity?.accountId),
    sourceIp: boundedOrNull(identity?.sourceIp),
    userAgent: boundedOrNull(identity?.userAgent ?? header),
  };
}

/** Makes the request id the logger's correlation id (cleared after the request by the kit's context middleware). */
export function correlationId(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, unknown, Error, Context> {
  return {
    before: (request) => {
      logger.setCorrelationId(requestIdOf(request.event, request.context));
    },
  };
}
