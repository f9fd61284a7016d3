/**
 * The JSON carried in one Kinesis record's `Data` on the market-data stream: either one
 * price bar (lib/schemas/price-bar.ts) or a batch `{ "bars": [bar, ...] }` of 1 to
 * MAX_BARS_PER_RECORD bars. A batch's bars are validated one by one: a bad bar is
 * quarantined on its own and the others are written.
 *
 * A batch may say `"split": true`: it restates history after a stock split (the producer sends
 * the split-adjusted closes), so its bars bypass the plausibility hold (which would otherwise
 * hold every restated close as a suspect revision) and are stored with the flag `split`.
 */
import * as z from 'zod';
import { PriceBarSchema } from './price-bar.ts';

/** Most bars one record may carry (about four years of daily bars; keeps a record far below Kinesis' 1 MiB). */
export const MAX_BARS_PER_RECORD = 1000;

/** Full contract of a record, for producers and docs (the ingest path validates bar by bar). */
export const MarketDataRecordSchema = z.union([
  z.object({ bars: z.array(PriceBarSchema).min(1).max(MAX_BARS_PER_RECORD), split: z.boolean().optional() }),
  PriceBarSchema,
]);
