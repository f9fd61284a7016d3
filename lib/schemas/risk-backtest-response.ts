/**
 * Success body (200, `application/json`) of `POST /v1/risk/backtest`: the report of
 * `riskfn backtest --json` (same function, same member names and order) plus the request id,
 * the source of the history, the input hash, `model: null` (no model is involved) and the
 * conventions. VaR forecasts are positive loss fractions; a period is dated by the date its
 * return ends on.
 */
import * as z from 'zod';
import { BACKTEST_CONVENTIONS } from '../domain/scoring/conventions.ts';
import { DataWarningSchema } from './risk-instrument-response.ts';

const IsoDate = z.iso.date();

const conventionLiterals = Object.fromEntries(Object.entries(BACKTEST_CONVENTIONS).map(([k, v]) => [k, z.literal(v)])) as {
  [K in keyof typeof BACKTEST_CONVENTIONS]: z.ZodLiteral<(typeof BACKTEST_CONVENTIONS)[K]>;
};

const LrTestSchema = z
  .object({
    statistic: z.number().min(0).meta({ description: 'Likelihood-ratio statistic.' }),
    degreesOfFreedom: z.number().int().meta({ description: 'Of its chi-square distribution.' }),
    pValue: z.number().min(0).max(1),
    reject: z.boolean().meta({ description: 'pValue < significance.' }),
  })
  .meta({ id: 'LikelihoodRatioTest' });

export const RiskBacktestResponseSchema = z
  .object({
    requestId: z.string().meta({ description: 'Request id; the key of the audit item.' }),
    source: z.enum(['lake', 'request']).meta({ description: 'Where the history came from.' }),
    symbol: z.string().nullable().meta({ description: 'Instrument symbol; null when the body carried prices without one.' }),
    firstForecastDate: IsoDate.meta({ description: 'Date of the first forecast period.' }),
    lastForecastDate: IsoDate.meta({ description: 'Date of the last forecast period (the last date of the history).' }),
    method: z.enum(['historical', 'gaussian', 'cornish-fisher', 'ewma']),
    window: z.number().int(),
    confidence: z.number(),
    observations: z.number().int().meta({ description: 'Forecast periods T = returns - window.' }),
    firstIndex: z.number().int().meta({ description: 'Index (0-based, into the returns) of the first forecast period (= window).' }),
    exceptionCount: z.number().int().meta({ description: 'Periods whose return fell below -VaR.' }),
    expectedExceptions: z.number().meta({ description: '(1 - confidence) × observations.' }),
    exceptionRate: z.number().meta({ description: 'exceptionCount / observations.' }),
    kupiec: LrTestSchema.meta({ description: 'Kupiec unconditional coverage, χ²(1).' }),
    christoffersen: z
      .object({
        transitions: z.object({ n00: z.number().int(), n01: z.number().int(), n10: z.number().int(), n11: z.number().int() }).meta({
          description: 'nᵢⱼ = periods with exception state i followed by state j.',
        }),
        independence: LrTestSchema,
        unconditionalCoverage: LrTestSchema,
        conditionalCoverage: LrTestSchema,
      })
      .meta({ id: 'ChristoffersenTests', description: 'Christoffersen independence χ²(1) and conditional coverage χ²(2) (= Kupiec + independence).' }),
    basel: z
      .object({
        zone: z.enum(['green', 'yellow', 'red']),
        exceptions: z.number().int(),
        observations: z.number().int().meta({ description: 'The last min(250, observations) periods.' }),
        cumulativeProbability: z.number().meta({ description: 'P(X ≤ exceptions), X ~ Binomial(observations, 1 - confidence).' }),
        plusFactor: z.number().nullable().meta({ description: 'BCBS plus factor; null unless 250 periods at 99 %.' }),
        multiplier: z.number().nullable().meta({ description: '3 + plusFactor, or null.' }),
      })
      .meta({ id: 'BaselTrafficLight' }),
    exceptionDates: z.array(IsoDate).meta({ description: 'Date of every exception, ascending.' }),
    inputHash: z.string().meta({ description: 'sha256 of the canonical JSON of the history backtested and the parameters (see docs/api.md).' }),
    model: z.null().meta({ description: 'Always null: no model is involved in a backtest.' }),
    conventions: z.object(conventionLiterals).meta({ id: 'BacktestConventions', description: 'How the numbers are defined (fixed values).' }),
    dataWarnings: z.array(DataWarningSchema).optional().meta({
      description: 'Present only when lake objects of the symbol could not be read (corrupt): they were left out and the backtest used the rest.',
    }),
  })
  .meta({ id: 'RiskBacktestResponse' });

export type RiskBacktestResponse = z.infer<typeof RiskBacktestResponseSchema>;
