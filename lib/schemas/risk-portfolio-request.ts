/**
 * Request body of `POST /v1/risk/portfolio`.
 *
 * `holdings`: 1 to {@link MAX_HOLDINGS} entries, each a symbol whose history is in the data lake
 * (`{ "symbol": "DAX", "weight": 0.6 }`) or a history in the body (`{ "symbol"?: "MYFUND",
 * "prices": [...], "weight": 0.4 }`, `symbol` then only a label; see ./price-point.ts), with
 * either `weight` (fraction of capital, negative = short) or `quantity` (units held, negative =
 * short; converted to weights by the close on the last common date), the same kind for every
 * holding. Weights must sum to 1 (within 1e-6) unless `normalize` is true, which divides them by
 * their sum, as `riskfn portfolio --normalize` does; the route refuses other sums with 400.
 * `covariance`, `confidence` and `horizon` are those of `riskfn portfolio` (defaults sample,
 * 0.95, 1); periods per year are 252. Unknown keys are rejected.
 */
import * as z from 'zod';
import { DEFAULT_CONFIDENCE } from '../domain/risk/defaults.ts';
import { priceListSchema } from './price-point.ts';
import { REQUEST_LIMITS } from './request-limits.ts';
import { confidenceSchema, SymbolSchema } from './risk-instrument-request.ts';

/** Most holdings in one portfolio. */
export const MAX_HOLDINGS = REQUEST_LIMITS.holdings;

/** The covariance estimators (the scoring domain's COVARIANCE_METHODS; a unit test keeps the two lists equal). */
const COVARIANCE = ['sample', 'ewma', 'ledoit-wolf'] as const;

const HoldingSchema = z
  .strictObject({
    symbol: SymbolSchema.optional(),
    prices: priceListSchema(2)
      .optional()
      .meta({ description: 'Daily history of this holding. When absent, the history of `symbol` is read from the data lake.' }),
    weight: z.number('weight must be a finite number').optional().meta({ description: 'Fraction of capital (0.25 = 25 %); negative = short.', example: 0.5 }),
    quantity: z
      .number('quantity must be a finite number')
      .optional()
      .meta({ description: 'Units held (negative = short); weights become each holding’s value at the last common close over the total.', example: 120 }),
  })
  .superRefine((h, ctx) => {
    if (h.prices === undefined && h.symbol === undefined) {
      ctx.addIssue({ code: 'custom', path: ['symbol'], message: 'symbol is required when prices are not given' });
    }
    if ((h.weight === undefined) === (h.quantity === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['weight'], message: 'give either weight or quantity' });
    }
  })
  .meta({ id: 'PortfolioHolding', description: 'One holding: a lake symbol or a price history, with a weight or a quantity.' });

export const RiskPortfolioRequestSchema = z
  .strictObject({
    holdings: z
      .array(HoldingSchema)
      .min(1, 'holdings needs at least 1 entry')
      .max(MAX_HOLDINGS, `holdings accepts at most ${MAX_HOLDINGS} entries`)
      .meta({ description: `1 to ${MAX_HOLDINGS} holdings, all with \`weight\` or all with \`quantity\`.` }),
    covariance: z
      .enum(COVARIANCE)
      .default('sample')
      .meta({ description: 'Covariance estimator: sample (ddof 1), ewma (RiskMetrics, λ 0.94, zero means), ledoit-wolf (shrinkage).' }),
    confidence: confidenceSchema(DEFAULT_CONFIDENCE, 'Confidence level of the VaR and ES, a fraction in (0.5, 1).'),
    horizon: z
      .number('horizon must be a number')
      .positive('horizon must be > 0')
      .default(1)
      .meta({ description: 'Horizon in trading days of the Gaussian VaR/ES (square-root-of-time); the historical VaR/ES are 1-day.', example: 1 }),
    normalize: z
      .boolean('normalize must be true or false')
      .default(false)
      .meta({ description: 'Divide the weights by their sum instead of refusing a sum other than 1 (the answer then says `weighting.normalized: true`).' }),
  })
  .superRefine((req, ctx) => {
    const kinds = new Set(req.holdings.map((h) => (h.weight !== undefined ? 'weight' : h.quantity !== undefined ? 'quantity' : undefined)));
    kinds.delete(undefined);
    if (kinds.size > 1) {
      const first = req.holdings.findIndex((h) => (h.weight !== undefined) !== (req.holdings[0].weight !== undefined));
      ctx.addIssue({ code: 'custom', path: ['holdings', first], message: 'give weight for every holding or quantity for every holding, not a mix' });
    }
  })
  .meta({
    id: 'RiskPortfolioRequest',
    description: 'Holdings from the data lake and/or price histories, with weights or quantities.',
    examples: [
      {
        holdings: [
          { symbol: 'DAX', weight: 0.5 },
          { symbol: 'SMI', weight: 0.3 },
          { symbol: 'CAC', weight: 0.2 },
        ],
        covariance: 'ledoit-wolf',
        confidence: 0.99,
      },
    ],
  });

/** The request after validation, defaults filled in. */
export type RiskPortfolioRequest = z.infer<typeof RiskPortfolioRequestSchema>;
