/**
 * `POST /v1/risk/instrument`: validate the body, resolve the history (lake or body), cut it at
 * `asOf` when asked, score it with the champion model, answer. Every refusal is a typed error
 * that the error handler (../problem-responses.ts) turns into a problem document; the audit
 * trail (../audit-trail.ts) records every answer.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { historyAsOf, NoHistoryAsOfError } from '../../../lib/domain/scoring/history-as-of.ts';
import { scoreInstrument } from '../../../lib/domain/scoring/score-instrument.ts';
import { type RiskInstrumentRequest, RiskInstrumentRequestSchema } from '../../../lib/schemas/risk-instrument-request.ts';
import type { RiskInstrumentResponse } from '../../../lib/schemas/risk-instrument-response.ts';
import { withLineage } from '../answer-lineage.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { PROBLEM_TYPES, ScoringError, UnprocessableHistoryError } from '../errors.ts';
import { parseBody } from '../parse-body.ts';
import { requestIdOf } from '../request-id.ts';
import { jsonResponse } from '../responses.ts';
import { requireChampion, resolveHistory } from './risk-history.ts';

export function riskInstrumentRoute(deps: ApiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpHeaderNormalizer()) // header names lower-cased, so `Content-type` is found too
    .use(httpJsonBodyParser())
    .handler(async (event, context) => {
      const request: RiskInstrumentRequest = parseBody(RiskInstrumentRequestSchema, event.body);
      const champion = await requireChampion(deps);
      try {
        const resolved = await resolveHistory(request, deps);
        const { series: full, source, skipped } = resolved;
        const series = request.asOf === undefined ? full : cutAt(full, request.asOf);
        const score = scoreInstrument(series, champion, { confidence: request.confidence });
        const body: RiskInstrumentResponse = {
          requestId: requestIdOf(event, context),
          source,
          ...score,
          model: { ...score.model, promotedAt: champion.promotedAt },
          // Corrupt lake objects were left out: the answer says so instead of failing.
          ...(skipped.length > 0 ? { dataWarnings: skipped } : {}),
        };
        return withLineage(jsonResponse(200, body), { inputs: [{ ...resolved, symbol: full.symbol ?? null }], champion });
      } catch (err) {
        throw new ScoringError(champion.version, { cause: err });
      }
    });
}

/** The history up to `asOf`; 422 naming `/asOf` when nothing is left. */
function cutAt(series: Parameters<typeof historyAsOf>[0], asOf: string) {
  try {
    return historyAsOf(series, asOf);
  } catch (err) {
    if (!(err instanceof NoHistoryAsOfError)) throw err;
    const problem = { type: PROBLEM_TYPES.insufficientHistory, title: 'Insufficient history', fieldMessage: 'no history on or before this date' };
    throw new UnprocessableHistoryError(problem, err.message, '/asOf', { cause: err });
  }
}
