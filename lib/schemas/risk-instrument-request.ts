/**
 * Request body of `POST /v1/risk/instrument`.
 *
 * Two forms:
 * - `{ "symbol": "DAX" }`: the history is read from the data lake;
 * - `{ "symbol"?: "MYFUND", "prices": [{ "date": "2024-01-02", "close": 101.2 }, ...] }`: the
 *   history is in the body (see ./price-point.ts: at least 2 prices, dates strictly ascending
 *   and unique, prices finite and > 0, open/high/low on every point or on none); `symbol` is
 *   then only a label.
 * `asOf` (optional, `YYYY-MM-DD`) scores the history up to and including that date.
 * `confidence` is the VaR confidence level, a fraction in the open interval (0.5, 1); default
 * the risk engine's `DEFAULT_CONFIDENCE` (0.95).
 * Unknown keys are rejected (a typo such as `confidance` must not silently fall back to the default).
 */
import * as z from 'zod';
// The risk engine's default, so a request without `confidence` is scored as the CLI would.
import { DEFAULT_CONFIDENCE } from '../domain/risk/defaults.ts';
import { SYMBOL_PATTERN } from './price-bar.ts';
import { priceListSchema } from './price-point.ts';

/** The same characters ingest accepts for a bar's symbol (1-32 of `A-Z a-z 0-9 . _ ^ -`). */
export const SymbolSchema = z.string().regex(SYMBOL_PATTERN, 'symbol must be 1-32 of A-Z a-z 0-9 . _ ^ -').meta({
  description: 'Instrument identifier. Looked up in the data lake case-insensitively (ingest stores symbols upper-cased); with `prices` it is only a label.',
  example: 'DAX',
});

/** VaR confidence of a request: a fraction in (0.5, 1), default `fallback`. */
export function confidenceSchema(fallback: number, description: string) {
  return z
    .number('confidence must be a number')
    .gt(0.5, 'confidence must be greater than 0.5')
    .lt(1, 'confidence must be less than 1')
    .default(fallback)
    .meta({ description, example: fallback });
}

export const RiskInstrumentRequestSchema = z
  .strictObject({
    symbol: SymbolSchema.optional(),
    prices: priceListSchema().optional().meta({
      description:
        'Daily history, dates strictly ascending and unique; OHLC bars (open/high/low on every point) add the range-based volatility estimators. When absent, the history of `symbol` is read from the data lake.',
    }),
    asOf: z.iso
      .date('asOf must be a real calendar date, YYYY-MM-DD')
      .optional()
      .meta({ description: 'Score the history up to and including this date (default: all of it).', example: '2024-06-28' }),
    confidence: confidenceSchema(DEFAULT_CONFIDENCE, 'Confidence level of the 1-day historical VaR, a fraction in (0.5, 1).'),
  })
  .superRefine((req, ctx) => {
    if (req.prices === undefined && req.symbol === undefined) {
      ctx.addIssue({ code: 'custom', path: ['symbol'], message: 'symbol is required when prices are not given' });
    }
  })
  .meta({
    id: 'RiskInstrumentRequest',
    description: 'Either a symbol whose history is in the data lake, or the price history itself.',
    examples: [
      { symbol: 'DAX' },
      {
        symbol: 'MYFUND',
        prices: [
          { date: '2024-01-02', close: 101.2 },
          { date: '2024-01-03', close: 100.7 },
        ],
        confidence: 0.99,
      },
    ],
  });

/** The request after validation, `confidence` defaulted. */
export type RiskInstrumentRequest = z.infer<typeof RiskInstrumentRequestSchema>;
