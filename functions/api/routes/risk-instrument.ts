/**
 * `POST /v1/risk/instrument`: validate the body, resolve the history (lake or body), score it
 * with the champion model, answer. Every refusal is a typed error that the error handler
 * (../problem-responses.ts) turns into a problem document; the audit trail (../audit-trail.ts)
 * records every answer.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { SkippedLakeObject } from '../../../lib/adapters/s3/lake-reader.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { scoreInstrument } from '../../../lib/domain/scoring/score-instrument.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';
import { type RiskInstrumentRequest, RiskInstrumentRequestSchema } from '../../../lib/schemas/risk-instrument-request.ts';
import type { RiskInstrumentResponse } from '../../../lib/schemas/risk-instrument-response.ts';
import type { ApiDependencies, ChampionModel } from '../dependencies.ts';
import { LakeDataUnavailableError, NoChampionModelError, ScoringError, UnknownSymbolError } from '../errors.ts';
import { parseBody } from '../parse-body.ts';
import { requestIdOf } from '../request-id.ts';
import { jsonResponse } from '../responses.ts';

export function riskInstrumentRoute(deps: ApiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpHeaderNormalizer()) // header names lower-cased, so `Content-type` is found too
    .use(httpJsonBodyParser())
    .handler(async (event, context) => {
      const request = parseBody(RiskInstrumentRequestSchema, event.body);
      const champion = await requireChampion(deps);
      try {
        const { series, source, skipped } = await resolveHistory(request, deps);
        const score = scoreInstrument(series, champion, { confidence: request.confidence });
        const body: RiskInstrumentResponse = {
          requestId: requestIdOf(event, context),
          source,
          ...score,
          model: { ...score.model, promotedAt: champion.promotedAt },
          // Corrupt lake objects were left out: the answer says so instead of failing.
          ...(skipped.length > 0 ? { dataWarnings: skipped } : {}),
        };
        return jsonResponse(200, body);
      } catch (err) {
        throw new ScoringError(champion.version, { cause: err });
      }
    });
}

async function requireChampion(deps: ApiDependencies): Promise<ChampionModel> {
  const champion = await deps.loadChampion();
  if (!champion) throw new NoChampionModelError();
  return champion;
}

async function resolveHistory(
  request: RiskInstrumentRequest,
  deps: ApiDependencies,
): Promise<{ series: PriceSeries; source: 'lake' | 'request'; skipped: SkippedLakeObject[] }> {
  if (request.prices) return { series: seriesFromPoints(request.prices, request.symbol), source: 'request', skipped: [] };
  const symbol = request.symbol as string; // the schema requires it when prices are absent
  const { series, skipped } = await deps.readSeries(symbol);
  if (!series) throw skipped.length > 0 ? new LakeDataUnavailableError(symbol, skipped) : new UnknownSymbolError(symbol);
  return { series: { ...series, symbol: series.symbol ?? symbol }, source: 'lake', skipped };
}
