/**
 * A daily price history in a request body (`prices` of the risk routes): a list of points
 * `{ date, close }` or OHLC bars `{ date, open, high, low, close }`.
 *
 * Rules: at least 2 points and at most {@link MAX_PRICES}; dates real calendar dates, strictly
 * ascending and unique; prices finite and > 0; `open`, `high`, `low` all three or none in a
 * point, and in every point of a list or in none (a range-based volatility over half the
 * history would mean something else than it says); with them, high ≥ max(open, close) and
 * low ≤ min(open, close). Unknown keys are rejected.
 */
import * as z from 'zod';
import { REQUEST_LIMITS } from './request-limits.ts';

/** Most points in one price list (about 200 years of daily closes). */
export const MAX_PRICES = REQUEST_LIMITS.prices;

const IsoDateSchema = z.iso.date();

const price = (field: string, description: string, example: number) =>
  z
    .number(`${field} must be a finite number`)
    .positive(`${field} must be > 0`)
    .meta({ description: `${description}; finite and > 0.`, example });

const OHL = ['open', 'high', 'low'] as const;

export const PricePointSchema = z
  .strictObject({
    date: z.iso.date('date must be a real calendar date, YYYY-MM-DD').meta({ description: 'Trading day, ISO 8601 `YYYY-MM-DD`.', example: '2024-01-02' }),
    open: price('open', 'Opening price (OHLC bars only)', 100.9).optional(),
    high: price('high', 'Highest price of the day (OHLC bars only), ≥ open and close', 101.8).optional(),
    low: price('low', 'Lowest price of the day (OHLC bars only), ≤ open and close', 100.4).optional(),
    close: price('close', 'Closing (or adjusted closing) price', 101.2),
  })
  .superRefine((p, ctx) => {
    const given = OHL.filter((f) => p[f] !== undefined);
    if (given.length > 0 && given.length < OHL.length) {
      for (const f of OHL.filter((f) => p[f] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [f], message: `${f} is required when ${given.join('/')} is given (open/high/low: all three or none)` });
      }
      return;
    }
    if (p.open === undefined || p.high === undefined || p.low === undefined) return;
    if (p.high < Math.max(p.open, p.close)) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: `high ${p.high} is below max(open, close) ${Math.max(p.open, p.close)}` });
    }
    if (p.low > Math.min(p.open, p.close)) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: `low ${p.low} is above min(open, close) ${Math.min(p.open, p.close)}` });
    }
  })
  .meta({ id: 'PricePoint', description: 'One daily price: the close, optionally with open, high and low (all three or none).' });

export type PricePoint = z.infer<typeof PricePointSchema>;

/** A price list (see the module comment), at least `min` points. */
export function priceListSchema(min = 2) {
  return z
    .array(PricePointSchema)
    .min(min, `prices needs at least ${min} entries`)
    .max(MAX_PRICES, `prices accepts at most ${MAX_PRICES} entries`)
    .superRefine((prices, ctx) => {
      const isDate = (d: unknown): boolean => IsoDateSchema.safeParse(d).success;
      for (let i = 1; i < prices.length; i++) {
        // zod still runs this check when an item failed; only compare dates that are themselves valid.
        if (!isDate(prices[i].date) || !isDate(prices[i - 1].date)) continue;
        if (prices[i].date <= prices[i - 1].date) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'date'],
            message: `dates must be strictly ascending and unique: ${prices[i].date} follows ${prices[i - 1].date}`,
          });
        }
      }
      const withOhlc = prices.findIndex((p) => p.open !== undefined);
      const without = prices.findIndex((p) => p.open === undefined);
      if (withOhlc >= 0 && without >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: [without, 'open'],
          message: `open/high/low are given for ${prices[withOhlc].date} but not for ${prices[without].date}: give them for every price or for none`,
        });
      }
    });
}
