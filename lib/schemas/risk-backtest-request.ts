/**
 * Request body of `POST /v1/risk/backtest`: a rolling VaR backtest of one history, read from the
 * data lake (`symbol`) or given in the body (`prices`, see ./price-point.ts; `symbol` then only
 * a label). `method`, `window`, `confidence` and `significance` are those of `riskfn backtest`
 * (defaults historical, 250, 0.99, 0.05). Unknown keys are rejected.
 */
import * as z from 'zod';
import { priceListSchema } from './price-point.ts';
import { confidenceSchema, SymbolSchema } from './risk-instrument-request.ts';

/** The VaR forecast methods (the risk engine's VAR_METHODS; a unit test keeps the two lists equal). */
const METHODS = ['historical', 'gaussian', 'cornish-fisher', 'ewma'] as const;

/** Default estimation window: one trading year, the Basel backtest's. */
const DEFAULT_WINDOW = 250;

export const RiskBacktestRequestSchema = z
  .strictObject({
    symbol: SymbolSchema.optional(),
    prices: priceListSchema(2)
      .optional()
      .meta({ description: 'Daily history, dates strictly ascending and unique. When absent, the history of `symbol` is read from the data lake.' }),
    method: z
      .enum(METHODS)
      .default('historical')
      .meta({ description: 'VaR forecast method: historical quantile, Gaussian, Cornish–Fisher, or EWMA (RiskMetrics, λ 0.94).' }),
    window: z
      .number('window must be a number')
      .int('window must be an integer')
      .min(2, 'window must be at least 2')
      .default(DEFAULT_WINDOW)
      .meta({ description: 'Estimation window in returns; the history needs at least window + 2 returns.', example: DEFAULT_WINDOW }),
    confidence: confidenceSchema(0.99, 'Confidence level of the VaR forecasts, a fraction in (0.5, 1).'),
    significance: z
      .number('significance must be a number')
      .gt(0, 'significance must be greater than 0')
      .lt(1, 'significance must be less than 1')
      .default(0.05)
      .meta({ description: 'Test size: a test rejects when its p-value is below it.', example: 0.05 }),
  })
  .superRefine((req, ctx) => {
    if (req.prices === undefined && req.symbol === undefined) {
      ctx.addIssue({ code: 'custom', path: ['symbol'], message: 'symbol is required when prices are not given' });
    }
  })
  .meta({
    id: 'RiskBacktestRequest',
    description: 'A symbol whose history is in the data lake, or the price history itself, and the backtest parameters.',
    examples: [{ symbol: 'DAX', method: 'historical', window: 250, confidence: 0.99 }],
  });

/** The request after validation, defaults filled in. */
export type RiskBacktestRequest = z.infer<typeof RiskBacktestRequestSchema>;
