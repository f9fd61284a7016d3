/**
 * The end-to-end part of bench/ingest.bench.ts: on freshly started emulators, the records of a
 * new symbol are put on the stream (PutRecords, encoded as `riskfn ingest` sends them), the local
 * event-source mapping feeds them to the ingest handler (batches of 100 records, as the stack's
 * mapping), and the compaction handler folds the staging objects into curated Parquet. The clock
 * runs from the first PutRecords call until compaction returns; emulator start-up and module
 * loading are outside it. Each case uses its own symbol on the same emulators.
 */
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { barRecords } from '../bin/cli/commands/ingest.ts';
import { s3Client } from '../lib/adapters/clients.ts';
import { putRecords } from '../lib/adapters/kinesis/put-records.ts';
import { DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../lib/config/resources.ts';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { startEmulators } from '../lib/local/emulators.ts';
import { createKinesisPoller } from '../lib/local/kinesis-poller.ts';
import { createLambdaContext } from '../lib/local/lambda-context.ts';
import { Xoshiro128 } from '../lib/util/prng.ts';

export interface EndToEndCase {
  bars: number;
  barsPerRecord: number;
}

export interface EndToEnd extends EndToEndCase {
  seconds: number;
  /** Curated objects of the symbol after compaction (one per year). */
  objects: number;
}

/**
 * A random walk of `n` weekday OHLCV bars of `symbol` from 1985-01-02 (daily moves up to ±1.75 %,
 * robust volatility ≈ 1 %, full-precision doubles as in CSV files); the same `seed` gives the same bars.
 */
export function ohlcvWalk(symbol: string, n: number, seed: number): PriceSeries {
  const rng = new Xoshiro128(seed);
  const dates: string[] = [];
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let t = Date.UTC(1985, 0, 1);
  let last = 100;
  for (let i = 0; i < n; i++) {
    do t += 86_400_000;
    while ([0, 6].includes(new Date(t).getUTCDay()));
    dates.push(new Date(t).toISOString().slice(0, 10));
    const o = last * (1 + (rng.nextFloat() - 0.5) * 0.004);
    const c = o * (1 + (rng.nextFloat() - 0.5) * 0.035);
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + rng.nextFloat() * 0.005);
    low[i] = Math.min(o, c) * (1 - rng.nextFloat() * 0.005);
    volume[i] = Math.round(rng.nextFloat() * 1e6);
    last = c;
  }
  return { symbol, dates, open, high, low, close, volume };
}

function walk(symbol: string, n: number): PriceSeries {
  const dates: string[] = [];
  const close = new Float64Array(n);
  let t = Date.UTC(1960, 0, 1);
  for (let i = 0; i < n; i++) {
    do t += 86_400_000;
    while ([0, 6].includes(new Date(t).getUTCDay()));
    dates.push(new Date(t).toISOString().slice(0, 10));
    close[i] = 100 * (1 + 0.1 * Math.sin(i / 40));
  }
  return { symbol, dates, close };
}

export async function runEndToEnd(cases: readonly EndToEndCase[]): Promise<EndToEnd[]> {
  const emulators = await startEmulators();
  emulators.applyEnv();
  // Loaded after applyEnv: the handlers read their environment when they load.
  const { handler: ingest } = await import('../functions/ingest.ts');
  const { handler: compact } = await import('../functions/compact.ts');
  const poller = createKinesisPoller({ streamName: MARKET_DATA_STREAM.name, handler: ingest, batchSize: 100 });
  const out: EndToEnd[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const symbol = `E2EBENCH${i}`;
      const records = barRecords(walk(symbol, c.bars), symbol, 'bench', c.barsPerRecord);
      const t0 = performance.now();
      await putRecords(MARKET_DATA_STREAM.name, records);
      const stats = await poller.drain();
      if (stats.discardedBatches > 0) throw new Error(`end-to-end: ${stats.discardedBatches} batches failed`);
      await compact({}, createLambdaContext({ functionName: 'riskfn-compact', timeoutMs: 900_000 }));
      const seconds = (performance.now() - t0) / 1000;
      let objects = 0;
      for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: DATA_LAKE_BUCKET.localName, Prefix: DATA_LAKE_BUCKET.curatedPrefix })) {
        objects += (page.Contents ?? []).filter((o) => o.Key!.endsWith(`/${symbol}.parquet`)).length;
      }
      out.push({ ...c, seconds, objects });
    }
    return out;
  } finally {
    await poller.stop();
    await emulators.stop();
  }
}
