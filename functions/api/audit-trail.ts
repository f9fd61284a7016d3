/**
 * The one place the API writes its audit trail: one item per answer, success or problem.
 * - `after` audits a success. If that write fails, the error goes to the `onError` chain,
 *   so the client gets a 500 instead of an answer nobody recorded.
 * - `onError` audits the problem response the problem mapper (./problem-responses.ts) has
 *   just built. If that write fails, the problem still goes out and the failure is logged:
 *   a client must not get a 500 in place of, say, its 400.
 * Everything recorded comes from the request and the answer: the success body carries the
 * scored input's hash, the model version and the symbol; a refusal's model version comes from
 * the {@link ScoringError} the route wrapped it in.
 * Register it before the problem mapper: middy runs `onError` hooks in reverse order.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { AuditLog, AuditRecord } from '../../lib/adapters/dynamodb/audit-log.ts';
import type { Clock } from '../kit/runtime.ts';
import { ScoringError } from './errors.ts';
import { requestHash } from './request-hash.ts';
import { requestIdOf, routeOf } from './request-id.ts';

export interface AuditTrailOptions {
  audit: AuditLog;
  logger: Logger;
  now: Clock;
}

/** The members of a success body the audit item repeats (the scoring route's answer has all three). */
interface AnswerFacts {
  inputHash?: string;
  model?: { version?: string };
  symbol?: string | null;
}

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** The audit item of an answer: `failure` is the error a problem answer was made from, absent for a success. */
function auditRecord(request: ApiRequest, response: APIGatewayProxyResult, timestamp: Date, failure?: { error: unknown }): AuditRecord {
  const hash = requestHash(request.event.body);
  const result = JSON.parse(response.body) as unknown;
  const common = {
    requestId: requestIdOf(request.event, request.context),
    timestamp: timestamp.toISOString(),
    route: routeOf(request.event),
    requestHash: hash,
    status: response.statusCode,
    result,
  };
  if (failure) {
    const modelVersion = failure.error instanceof ScoringError ? failure.error.modelVersion : null;
    return { ...common, inputHash: hash, modelVersion };
  }
  const answer = result as AnswerFacts;
  return { ...common, inputHash: answer.inputHash ?? hash, modelVersion: answer.model?.version ?? null, symbol: answer.symbol ?? null };
}

export function auditTrail(opts: AuditTrailOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    after: async (request) => {
      await opts.audit.write(auditRecord(request, request.response!, opts.now()));
    },
    onError: async (request) => {
      if (!request.response) return; // nothing was answered, so there is nothing to record
      try {
        await opts.audit.write(auditRecord(request, request.response, opts.now(), { error: request.error }));
      } catch (err) {
        opts.logger.error('audit write failed for an error answer', err as Error);
      }
    },
  };
}
