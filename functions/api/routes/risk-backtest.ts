/**
 * `POST /v1/risk/backtest`: validate the body, resolve the history (lake or body), backtest a
 * rolling VaR on it with the function `riskfn backtest` uses, answer. No model is involved, so a
 * backtest is answered without a champion (`model: null`). 422 saying how many returns there are
 * and how many the window needs when the history is too short.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { backtestReport, TooFewReturnsError } from '../../../lib/domain/scoring/backtest-report.ts';
import { BACKTEST_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { backtestInputHash } from '../../../lib/domain/scoring/input-hash.ts';
import { type RiskBacktestRequest, RiskBacktestRequestSchema } from '../../../lib/schemas/risk-backtest-request.ts';
import type { RiskBacktestResponse } from '../../../lib/schemas/risk-backtest-response.ts';
import { withLineage } from '../answer-lineage.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { PROBLEM_TYPES, UnprocessableHistoryError } from '../errors.ts';
import { parseBody } from '../parse-body.ts';
import { requestIdOf } from '../request-id.ts';
import { jsonResponse } from '../responses.ts';
import { resolveHistory } from './risk-history.ts';

export function riskBacktestRoute(deps: ApiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpHeaderNormalizer())
    .use(httpJsonBodyParser())
    .handler(async (event, context) => {
      const request: RiskBacktestRequest = parseBody(RiskBacktestRequestSchema, event.body);
      const resolved = await resolveHistory(request, deps);
      const { series, source, skipped } = resolved;
      const { method, window, confidence, significance } = request;
      const parameters = { method, window, confidence, significance };
      let report: ReturnType<typeof backtestReport>;
      try {
        report = backtestReport(series, parameters);
      } catch (err) {
        if (!(err instanceof TooFewReturnsError)) throw err;
        const problem = {
          type: PROBLEM_TYPES.insufficientHistory,
          title: 'Insufficient history',
          fieldMessage: `${err.available} returns, need ${err.needed}`,
        };
        throw new UnprocessableHistoryError(problem, err.message, request.prices ? '/prices' : '/symbol', { cause: err });
      }
      const body: RiskBacktestResponse = {
        requestId: requestIdOf(event, context),
        source,
        ...report,
        inputHash: backtestInputHash(series, parameters),
        model: null,
        conventions: BACKTEST_CONVENTIONS,
        ...(skipped.length > 0 ? { dataWarnings: skipped } : {}),
      };
      return withLineage(jsonResponse(200, body), { inputs: [{ ...resolved, symbol: series.symbol ?? null }] });
    });
}
