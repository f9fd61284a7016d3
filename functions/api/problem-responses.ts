/**
 * The API's error answer: maps the error to an RFC 9457 problem response (see
 * ./problem-details.ts) and logs it (500s with the cause, others at info). The audit trail
 * (./audit-trail.ts) records the answer afterwards.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE } from '../../lib/schemas/problem-details.ts';
import { toProblem } from './problem-details.ts';
import { requestIdOf } from './request-id.ts';

export function problemResponses(logger: Logger): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: (request) => {
      if (request.response !== undefined) return;
      const { event, context } = request;
      const body = event.body as unknown;
      const hasPrices = typeof body === 'object' && body !== null && 'prices' in body;
      const problem = toProblem(request.error, {
        instance: event.path,
        requestId: requestIdOf(event, context),
        historyPath: hasPrices ? '/prices' : '/symbol',
      });

      if (problem.expected) logger.info('request refused', { status: problem.status, problem: problem.body });
      else logger.error('unexpected error', request.error as Error);

      request.response = {
        statusCode: problem.status,
        headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...problem.headers },
        body: JSON.stringify(problem.body),
      };
    },
  };
}
