/**
 * The API's single `onError`: maps the error to an RFC 9457 problem response (see
 * ./problem-details.ts), logs it (500s with the cause, others at info), and writes the answer to
 * the audit trail. If that audit write itself fails the problem response still goes out (the
 * failure is logged): a client must not get a 500 in place of, say, its 400.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { PROBLEM_CONTENT_TYPE } from '../../lib/schemas/problem-details.ts';
import type { AuditLog } from '../../lib/adapters/dynamodb/audit-log.ts';
import { toProblem } from './problem-details.ts';
import { factsOf, type ApiContext } from './request-facts.ts';
import { requestHash } from './request-hash.ts';

export interface ProblemResponsesOptions {
  audit: AuditLog;
  logger: Logger;
  now: () => Date;
}

export function problemResponses(opts: ProblemResponsesOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: async (request) => {
      if (request.response !== undefined) return;
      const { event, context } = request;
      const facts = (context as Partial<ApiContext>).riskfn ?? factsOf(event, context);
      const body = event.body as unknown;
      const hasPrices = typeof body === 'object' && body !== null && 'prices' in body;
      const problem = toProblem(request.error, { instance: event.path, requestId: facts.requestId, historyPath: hasPrices ? '/prices' : '/symbol' });

      if (problem.expected) opts.logger.info('request refused', { status: problem.status, problem: problem.body });
      else opts.logger.error('unexpected error', request.error as Error);

      request.response = {
        statusCode: problem.status,
        headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...problem.headers },
        body: JSON.stringify(problem.body),
      };
      try {
        const hash = requestHash(body);
        await opts.audit.write({
          requestId: facts.requestId,
          timestamp: opts.now().toISOString(),
          route: facts.route,
          inputHash: hash,
          requestHash: hash,
          modelVersion: facts.modelVersion,
          status: problem.status,
          result: problem.body,
        });
      } catch (err) {
        opts.logger.error('audit write failed for an error answer', err as Error);
      }
    },
  };
}
