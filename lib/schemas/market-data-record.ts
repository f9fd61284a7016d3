/**
 * The JSON carried in one Kinesis record's `Data` on the market-data stream: either one
 * price bar (lib/schemas/price-bar.ts) or a batch `{ "bars": [bar, ...] }` of 1 to
 * MAX_BARS_PER_RECORD bars. A batch's bars are validated one by one: a bad bar is
 * quarantined on its own and the others are written.
 */
import * as z from 'zod';
import { PriceBarSchema } from './price-bar.ts';

/** Most bars one record may carry (about four years of daily bars; keeps a record far below Kinesis' 1 MiB). */
export const MAX_BARS_PER_RECORD = 1000;

/**
 * The batch envelope only (bars unchecked): how the ingest domain tells a batch from a
 * single bar before validating each bar on its own. An object with a `bars` key is a batch.
 */
export const BatchEnvelopeSchema = z.object({
  bars: z.array(z.unknown()),
});

/** Full contract of a record, for producers and docs (the ingest path validates bar by bar). */
export const MarketDataRecordSchema = z.union([z.object({ bars: z.array(PriceBarSchema).min(1).max(MAX_BARS_PER_RECORD) }), PriceBarSchema]);
