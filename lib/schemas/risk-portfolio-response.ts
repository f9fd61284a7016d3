/**
 * Success body (200, `application/json`) of `POST /v1/risk/portfolio`: the numbers of
 * `riskfn portfolio --json` (same function, same member names) plus the request id, each
 * holding's source and model risk level, the portfolio's model answer (`model`: the champion
 * scoring the constant-weight portfolio's value series), the conventions and the input hash. VaR/ES and their components are positive loss fractions of capital.
 */
import * as z from 'zod';
import { PORTFOLIO_CONVENTIONS } from '../domain/scoring/conventions.ts';
import { ModelAnswerSchema } from './model-answer.ts';
import { DataWarningSchema } from './risk-instrument-response.ts';

const IsoDate = z.iso.date();

const conventionLiterals = Object.fromEntries(Object.entries(PORTFOLIO_CONVENTIONS).map(([k, v]) => [k, z.literal(v)])) as {
  [K in keyof typeof PORTFOLIO_CONVENTIONS]: z.ZodLiteral<(typeof PORTFOLIO_CONVENTIONS)[K]>;
};

const PortfolioConventionsSchema = z
  .object(conventionLiterals)
  .meta({ id: 'PortfolioConventions', description: "How the numbers are defined: the instrument answer's conventions plus the portfolio's (fixed values)." });

const HoldingModelSchema = z
  .object({
    riskLevel: z.enum(['low', 'medium', 'high']),
    probabilities: z.record(z.string(), z.number().min(0).max(1)).meta({ description: 'Class probabilities (sum to 1).' }),
    featuresAsOf: IsoDate.meta({ description: 'Date whose features were scored: the last common date of the portfolio.' }),
  })
  .meta({ id: 'HoldingModelAnswer', description: "The champion model's risk level of the holding's own history up to the last common date." });

const AssetSchema = z
  .object({
    symbol: z.string().meta({ description: 'The holding’s symbol (a body history without one is labelled `holding-<n>`, n from 1).' }),
    source: z.enum(['lake', 'request']).meta({ description: 'Where the history came from.' }),
    weight: z.number().meta({ description: 'Weight used: as given, normalised, or from the quantity.' }),
    annualizedVolatility: z.number().meta({ description: '√(Σᵢᵢ × 252) of the chosen covariance.' }),
    gaussianMarginalVar: z.number().meta({ description: '∂VaR/∂wᵢ of the Gaussian VaR.' }),
    gaussianComponentVar: z.number().meta({ description: 'wᵢ·∂VaR/∂wᵢ; the components sum to gaussianVar.' }),
    gaussianComponentEs: z.number().meta({ description: 'wᵢ·∂ES/∂wᵢ; the components sum to gaussianEs.' }),
    historicalMarginalVar: z.number().meta({ description: 'The holding’s loss in the scenarios that set the historical VaR.' }),
    historicalComponentVar: z.number().meta({ description: 'wᵢ × historicalMarginalVar; the components sum to historicalVar.' }),
    historicalComponentEs: z.number().meta({ description: 'wᵢ × the holding’s mean loss over the tail scenarios; the components sum to historicalEs.' }),
    model: HoldingModelSchema,
  })
  .meta({ id: 'PortfolioAsset' });

const PortfolioDataWarningSchema = DataWarningSchema.extend({ symbol: z.string().meta({ description: 'Holding whose history lost the object.' }) }).meta({
  id: 'PortfolioDataWarning',
});

export const RiskPortfolioResponseSchema = z
  .object({
    requestId: z.string().meta({ description: 'Request id; the key of the audit item.' }),
    symbols: z.array(z.string()).meta({ description: 'The holdings’ symbols, in request order.' }),
    asOf: IsoDate.meta({ description: 'Last common date of the holdings.' }),
    inputHash: z
      .string()
      .meta({ description: 'sha256 of the canonical JSON of the holdings’ histories, the weights used and the parameters (see docs/api.md).' }),
    weighting: z
      .object({
        basis: z.enum(['weight', 'quantity']).meta({ description: 'What the request gave.' }),
        normalized: z.boolean().meta({ description: 'True when the given weights did not sum to 1 and were divided by their sum (`normalize: true`).' }),
        givenSum: z.number().meta({ description: 'Sum of the given weights (of the holdings’ market values for quantities).' }),
      })
      .meta({ id: 'PortfolioWeighting' }),
    period: z
      .object({
        startDate: IsoDate,
        endDate: IsoDate,
        commonDates: z.number().int().meta({ description: 'Dates all holdings have (inner join).' }),
        returns: z.number().int().meta({ description: 'Returns over consecutive common dates (commonDates - 1).' }),
      })
      .meta({ id: 'PortfolioPeriod' }),
    parameters: z
      .object({
        confidence: z.number(),
        periodsPerYear: z.number().meta({ description: 'Periods per year of the annualised volatilities: 252 (trading days).' }),
        horizon: z.number(),
        covariance: z.enum(['sample', 'ewma', 'ledoit-wolf']),
        weightsSum: z.number().meta({ description: 'Sum of the weights used (1 up to rounding).' }),
      })
      .meta({ id: 'PortfolioParameters' }),
    annualizedVolatility: z.number().meta({ description: '√(wᵀΣw × 252).' }),
    diversificationRatio: z.number().nullable().meta({ description: 'Σ wᵢσᵢ / σₚ; null when σₚ is 0.' }),
    ledoitWolfShrinkage: z.number().nullable().meta({ description: 'Shrinkage intensity in [0, 1] with `ledoit-wolf`; else null.' }),
    gaussianVar: z.number().meta({ description: 'Delta-normal VaR over `horizon` days.' }),
    gaussianEs: z.number().meta({ description: 'Delta-normal ES over `horizon` days.' }),
    historicalVar: z.number().meta({ description: '1-day historical VaR of the portfolio returns (type-7 quantile).' }),
    historicalEs: z.number().meta({ description: '1-day historical ES: minus the mean of the portfolio returns at or below the VaR quantile.' }),
    assets: z.array(AssetSchema).meta({ description: 'One entry per holding, in request order.' }),
    conventions: PortfolioConventionsSchema,
    // The champion's answer for the constant-weight portfolio's value series (see conventions.riskLevel).
    model: ModelAnswerSchema,
    dataWarnings: z.array(PortfolioDataWarningSchema).optional().meta({
      description: 'Present only when lake objects of a holding could not be read (corrupt): they were left out and the answer was computed from the rest.',
    }),
  })
  .meta({ id: 'RiskPortfolioResponse' });

export type RiskPortfolioResponse = z.infer<typeof RiskPortfolioResponseSchema>;
