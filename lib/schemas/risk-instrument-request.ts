/**
 * Request body of `POST /v1/risk/instrument`.
 *
 * Two forms:
 * - `{ "symbol": "DAX" }`: the history is read from the data lake;
 * - `{ "symbol"?: "MYFUND", "prices": [{ "date": "2024-01-02", "close": 101.2 }, ...] }`: the
 *   history is in the body (at least 2 prices, dates strictly ascending and unique, closes
 *   finite and > 0); `symbol` is then only a label.
 * `confidence` is the VaR confidence level, a fraction in the open interval (0.5, 1); default
 * the risk engine's `DEFAULT_CONFIDENCE` (0.95).
 * Unknown keys are rejected (a typo such as `confidance` must not silently fall back to the default).
 */
import * as z from 'zod';
// The risk engine's default, so a request without `confidence` is scored as the CLI would.
import { DEFAULT_CONFIDENCE } from '../domain/risk/defaults.ts';
import { SYMBOL_PATTERN } from './price-bar.ts';

/** Most prices accepted in one body (about 200 years of daily closes). */
export const MAX_PRICES = 50_000;

/** The same characters ingest accepts for a bar's symbol (1-32 of `A-Z a-z 0-9 . _ ^ -`). */
const SymbolSchema = z.string().regex(SYMBOL_PATTERN, 'symbol must be 1-32 of A-Z a-z 0-9 . _ ^ -').meta({
  description: 'Instrument identifier. Looked up in the data lake case-insensitively (ingest stores symbols upper-cased); with `prices` it is only a label.',
  example: 'DAX',
});

const IsoDateSchema = z.iso.date();

const PricePointSchema = z
  .strictObject({
    date: z.iso.date('date must be a real calendar date, YYYY-MM-DD').meta({ description: 'Trading day, ISO 8601 `YYYY-MM-DD`.', example: '2024-01-02' }),
    close: z
      .number('close must be a finite number')
      .positive('close must be > 0')
      .meta({ description: 'Closing (or adjusted closing) price; finite and > 0.', example: 101.2 }),
  })
  .meta({ id: 'PricePoint', description: 'One daily closing price.' });

export const RiskInstrumentRequestSchema = z
  .strictObject({
    symbol: SymbolSchema.optional(),
    prices: z
      .array(PricePointSchema)
      .min(2, 'prices needs at least 2 entries')
      .max(MAX_PRICES, `prices accepts at most ${MAX_PRICES} entries`)
      .optional()
      .meta({ description: 'Daily history, dates strictly ascending and unique. When absent, the history of `symbol` is read from the data lake.' }),
    confidence: z
      .number('confidence must be a number')
      .gt(0.5, 'confidence must be greater than 0.5')
      .lt(1, 'confidence must be less than 1')
      .default(DEFAULT_CONFIDENCE)
      .meta({ description: 'Confidence level of the 1-day historical VaR, a fraction in (0.5, 1).', example: 0.95 }),
  })
  .superRefine((req, ctx) => {
    if (req.prices === undefined && req.symbol === undefined) {
      ctx.addIssue({ code: 'custom', path: ['symbol'], message: 'symbol is required when prices are not given' });
    }
    const prices = req.prices ?? [];
    const isDate = (d: unknown): boolean => IsoDateSchema.safeParse(d).success;
    for (let i = 1; i < prices.length; i++) {
      // zod still runs this check when an item failed; only compare dates that are themselves valid.
      if (!isDate(prices[i].date) || !isDate(prices[i - 1].date)) continue;
      if (prices[i].date <= prices[i - 1].date) {
        ctx.addIssue({
          code: 'custom',
          path: ['prices', i, 'date'],
          message: `dates must be strictly ascending and unique: ${prices[i].date} follows ${prices[i - 1].date}`,
        });
      }
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
