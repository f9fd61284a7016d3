/**
 * `POST /v1/risk/portfolio`: validate the body and the weights, resolve every holding's history
 * (lake or body), align them, compute the portfolio's risk with the function `riskfn portfolio`
 * uses, score each holding and the constant-weight portfolio with the champion model, answer.
 *
 * Refusals: 400 for a bad body or weights that do not sum to 1 without `normalize` (as the CLI);
 * 404 naming the holding whose symbol the lake lacks; 422 naming how many dates the holdings
 * share when that is too few for the risk numbers or the model, or when the portfolio cannot be
 * valued (quantities worth 0 in total, a value path reaching 0).
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DomainError } from '../../../lib/domain/errors.ts';
import { InsufficientHistoryError } from '../../../lib/domain/model/errors.ts';
import { predictRiskLevel } from '../../../lib/domain/model/predict.ts';
import { TRADING_DAYS_PER_YEAR } from '../../../lib/domain/risk/index.ts';
import { PORTFOLIO_CONVENTIONS } from '../../../lib/domain/scoring/conventions.ts';
import { historyAsOf } from '../../../lib/domain/scoring/history-as-of.ts';
import { portfolioInputHash } from '../../../lib/domain/scoring/input-hash.ts';
import {
  type AlignedHoldings,
  alignHoldings,
  constantWeightSeries,
  type Holding,
  NonPositivePortfolioValueError,
  portfolioRisk,
  resolveWeights,
  TooFewCommonDatesError,
  WeightSumError,
  weightsFromQuantities,
  ZeroMarketValueError,
} from '../../../lib/domain/scoring/portfolio-risk.ts';
import { modelAnswer } from '../../../lib/domain/scoring/score-instrument.ts';
import { type RiskPortfolioRequest, RiskPortfolioRequestSchema } from '../../../lib/schemas/risk-portfolio-request.ts';
import type { RiskPortfolioResponse } from '../../../lib/schemas/risk-portfolio-response.ts';
import { mapWithConcurrency } from '../../../lib/util/map-with-concurrency.ts';
import { withLineage } from '../answer-lineage.ts';
import type { ApiDependencies, ChampionModel } from '../dependencies.ts';
import { InvalidRequestError, PROBLEM_TYPES, ScoringError, UnprocessableHistoryError } from '../errors.ts';
import { parseBody } from '../parse-body.ts';
import { requestIdOf } from '../request-id.ts';
import { jsonResponse } from '../responses.ts';
import { requireChampion, resolveHistory } from './risk-history.ts';

/** Lake reads in flight at once for one request (each is a few S3 requests). */
const LAKE_READ_CONCURRENCY = 8;

/** The model's label of the portfolio's own value series. */
const PORTFOLIO_SYMBOL = 'PORTFOLIO';

const INSUFFICIENT = { type: PROBLEM_TYPES.insufficientHistory, title: 'Insufficient history' };
const UNPROCESSABLE_PORTFOLIO = { type: 'tag:riskfn,2026:unprocessable-portfolio', title: 'Portfolio cannot be valued' };

export function riskPortfolioRoute(deps: ApiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(httpHeaderNormalizer())
    .use(httpJsonBodyParser())
    .handler(async (event, context) => {
      const request = parseBody(RiskPortfolioRequestSchema, event.body);
      const basis = request.holdings[0].weight !== undefined ? 'weight' : 'quantity';
      // Weights are checked before any data is read: a wrong sum is a bad request, like the CLI's.
      const givenWeights = basis === 'weight' ? checkedWeights(request) : null;
      const champion = await requireChampion(deps);
      try {
        const histories = await mapWithConcurrency(request.holdings, LAKE_READ_CONCURRENCY, (h, i) => resolveHistory(h, deps, `/holdings/${i}`));
        const holdings: Holding[] = histories.map((h, i) => ({ symbol: h.series.symbol ?? `holding-${i + 1}`, series: h.series }));
        const aligned = align(holdings);
        const weights = givenWeights ?? quantityWeights(aligned, request);
        const { covariance, confidence, horizon } = request;
        const parameters = { covariance, confidence, periodsPerYear: TRADING_DAYS_PER_YEAR, horizon };
        const report = portfolioRisk(aligned, weights, parameters);
        const asOf = report.period.endDate;
        const given =
          basis === 'weight' ? request.holdings.map((h) => h.weight as number) : aligned.lastCloses.map((p, i) => p * (request.holdings[i].quantity as number));
        const body: RiskPortfolioResponse = {
          requestId: requestIdOf(event, context),
          symbols: aligned.symbols,
          asOf,
          inputHash: portfolioInputHash(holdings, weights, parameters),
          weighting: { basis, normalized: basis === 'weight' && request.normalize && weights.some((w, i) => w !== given[i]), givenSum: sum(given) },
          ...report,
          assets: report.assets.map((a, i) => ({ ...a, source: histories[i].source, model: holdingModel(holdings[i], asOf, champion, i) })),
          conventions: PORTFOLIO_CONVENTIONS,
          model: { ...portfolioModel(aligned, weights, champion), promotedAt: champion.promotedAt },
          ...dataWarnings(histories, holdings),
        };
        return withLineage(jsonResponse(200, body), { inputs: histories.map((h, i) => ({ ...h, symbol: holdings[i].symbol })), champion });
      } catch (err) {
        throw new ScoringError(champion.version, { cause: err });
      }
    });
}

const sum = (x: readonly number[]) => x.reduce((a, b) => a + b, 0);

/** The given weights, normalised when asked; 400 naming `/holdings` when they do not sum to 1. */
function checkedWeights(request: RiskPortfolioRequest): number[] {
  try {
    return resolveWeights(
      request.holdings.map((h) => h.weight as number),
      request.normalize,
    );
  } catch (err) {
    if (!(err instanceof WeightSumError)) throw err;
    const s = +err.sum.toFixed(6);
    const message =
      err.scaled === null
        ? `weights sum to ${s}; weights that sum to 0 cannot be scaled to 1`
        : `weights sum to ${s}, not 1: give fractions of capital (${err.scaled.join(', ')}) or set "normalize": true`;
    throw new InvalidRequestError(`the request body is invalid: ${message}`, [{ path: '/holdings', message }], { cause: err });
  }
}

/** The holdings aligned on their common dates; 422 saying how many there are when too few. */
function align(holdings: Holding[]): AlignedHoldings {
  try {
    return alignHoldings(holdings);
  } catch (err) {
    if (!(err instanceof TooFewCommonDatesError)) throw err;
    throw new UnprocessableHistoryError({ ...INSUFFICIENT, fieldMessage: `only ${err.available} common dates` }, err.message, '/holdings', { cause: err });
  }
}

/** Weights from the quantities at the last common close; 422 when the holdings are worth 0 in total. */
function quantityWeights(aligned: AlignedHoldings, request: RiskPortfolioRequest): number[] {
  try {
    return weightsFromQuantities(
      aligned,
      request.holdings.map((h) => h.quantity as number),
    );
  } catch (err) {
    if (!(err instanceof ZeroMarketValueError)) throw err;
    throw new UnprocessableHistoryError({ ...UNPROCESSABLE_PORTFOLIO, fieldMessage: 'worth 0 in total' }, err.message, '/holdings', { cause: err });
  }
}

/** A model refusal (too short, or an input the model needs is missing) as a 422 naming `path`. */
function modelRefusal(err: unknown, path: string, what: string): unknown {
  if (!(err instanceof DomainError)) return err;
  if (err.code === 'INSUFFICIENT_HISTORY')
    return new UnprocessableHistoryError({ ...INSUFFICIENT, fieldMessage: 'history too short' }, `${what}: ${err.message}`, path, { cause: err });
  if (err.code === 'MODEL_INPUT_UNAVAILABLE') {
    const problem = { type: PROBLEM_TYPES.modelInputUnavailable, title: 'Model input unavailable', fieldMessage: 'lacks an input the model needs' };
    return new UnprocessableHistoryError(problem, `${what}: ${err.message}`, path, { cause: err });
  }
  return err;
}

/** The champion's risk level of one holding's own history up to the portfolio's last common date. */
function holdingModel(holding: Holding, asOf: string, champion: ChampionModel, i: number) {
  try {
    const p = predictRiskLevel(champion.artifact, historyAsOf(holding.series, asOf));
    return { riskLevel: p.riskLevel, probabilities: p.probabilities, featuresAsOf: p.asOf };
  } catch (err) {
    throw modelRefusal(err, `/holdings/${i}`, `holding ${i} (${holding.symbol})`);
  }
}

/** The champion's answer for the constant-weight portfolio's value series over the common dates. */
function portfolioModel(aligned: AlignedHoldings, weights: number[], champion: ChampionModel) {
  try {
    return modelAnswer(constantWeightSeries(aligned, weights, PORTFOLIO_SYMBOL), champion);
  } catch (err) {
    if (err instanceof NonPositivePortfolioValueError) {
      throw new UnprocessableHistoryError({ ...UNPROCESSABLE_PORTFOLIO, fieldMessage: 'value reaches 0' }, err.message, '/holdings', { cause: err });
    }
    if (err instanceof InsufficientHistoryError) {
      const message = `the holdings have ${aligned.priceDates.length} dates in common; the model needs ${err.needed} (${err.message})`;
      throw new UnprocessableHistoryError({ ...INSUFFICIENT, fieldMessage: `only ${aligned.priceDates.length} common dates` }, message, '/holdings', {
        cause: err,
      });
    }
    throw modelRefusal(err, '/holdings', 'the portfolio');
  }
}

/** The corrupt lake objects left out of the holdings' histories, each with its holding's symbol. */
function dataWarnings(histories: Awaited<ReturnType<typeof resolveHistory>>[], holdings: Holding[]) {
  const warnings = histories.flatMap((h, i) => h.skipped.map((s) => ({ symbol: holdings[i].symbol, ...s })));
  return warnings.length > 0 ? { dataWarnings: warnings } : {};
}
