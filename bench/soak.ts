/**
 * Soak run of the ingest path on the local stack: a bounded number of bars (default 1,000,000)
 * goes through kinesalite → the local event-source mapping → the ingest handler → the s3rver
 * lake, with the compaction loop `npm start` runs (after each settled ingest round and every 30 s),
 * then one last compaction. At the end the lake is reconciled against the raw backup
 * (`reconcile` of the ingest tests: every raw part stored exactly once) and against what was sent:
 *
 *   raw parts = curated bars + quarantined parts + held bars, each equal to what the generator put in.
 *
 * The bars: `--symbols` symbols (default 500) of OHLCV random walks (bench/ingest-end-to-end.ts)
 * sent with `riskfn ingest`'s encoding (`barRecords`) and the PutRecords adapter, `--bars-per-record`
 * bars per record (default 100: a backfill; 1 is a daily feed's shape, far slower per bar: each
 * bar is its own raw backup, staging object and lake read). One bar in 1,000 gets close 0
 * (quarantined, NON_POSITIVE_PRICE) and one in 2,000 a price three times its neighbour's (held,
 * IMPLAUSIBLE_PRICE). The producer sends as fast as PutRecords takes it while ingest runs, symbol
 * after symbol; with `--interleave` record k of every symbol, then record k + 1 (with one bar
 * per record: a daily feed, day after day, each invocation holding up to 100 symbols).
 *
 * Every `--sample-seconds` (default 10) it prints bars sent and ingested, bars/s and the process
 * memory (RSS, V8 heap); the emulators run in this process, so RSS includes kinesalite's
 * in-memory stream (it keeps every record, as a stream within its retention does) and s3rver.
 * It also counts the S3 and Kinesis calls per phase (bench/aws-request-counter.ts) for the cost
 * model, and the objects and bytes per lake prefix after compaction.
 *
 *   npx tsx bench/soak.ts [--bars N] [--symbols N] [--bars-per-record N] [--sample-seconds S] [--interleave] [--summary FILE.json]
 *
 * Exit code 1 when the reconciliation does not balance (or a batch was given up on). Not part of
 * `npm test` or `npm run bench`.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { barRecords } from '../bin/cli/commands/ingest.ts';
import { kinesisClient, s3Client } from '../lib/adapters/clients.ts';
import { putRecords, type StreamEntry } from '../lib/adapters/kinesis/put-records.ts';
import { DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../lib/config/resources.ts';
import { parseQuarantineKey } from '../lib/domain/lake/keys.ts';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { startCompactionLoop } from '../lib/local/compaction-loop.ts';
import { startEmulators } from '../lib/local/emulators.ts';
import { createKinesisPoller, type OnFailureRecord } from '../lib/local/kinesis-poller.ts';
import { createLambdaContext } from '../lib/local/lambda-context.ts';
import { createRequestCounter } from './aws-request-counter.ts';
import { ohlcvWalk } from './ingest-end-to-end.ts';

const { values: args } = parseArgs({
  options: {
    bars: { type: 'string', default: '1000000' },
    symbols: { type: 'string', default: '500' },
    'bars-per-record': { type: 'string', default: '100' },
    'sample-seconds': { type: 'string', default: '10' },
    interleave: { type: 'boolean', default: false },
    summary: { type: 'string' },
  },
});
const positiveInt = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got ${text}`);
  return n;
};
const BARS = positiveInt('bars', args.bars);
const SYMBOLS = Math.min(positiveInt('symbols', args.symbols), BARS);
const BARS_PER_RECORD = positiveInt('bars-per-record', args['bars-per-record']);
const SAMPLE_MS = positiveInt('sample-seconds', args['sample-seconds']) * 1000;
const INTERLEAVE = args.interleave;
/** Every INVALID_EVERY-th bar (global index ≡ −1) gets close 0: quarantined as NON_POSITIVE_PRICE. */
const INVALID_EVERY = 1000;
/** Every HELD_EVERY-th bar (global index ≡ HELD_OFFSET) is tripled: held as IMPLAUSIBLE_PRICE (|log return| 1.1 > 0.25). */
const HELD_EVERY = 2000;
const HELD_OFFSET = 1001;
/** PutRecords calls carry at most 500 records; the producer hands the adapter this many at a time. */
const PRODUCER_CHUNK = 500;
const HELD_REASONS = new Set(['IMPLAUSIBLE_PRICE', 'SUSPECT_REVISION']);

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MB = 1024 * 1024;

/** The symbol's series with the planned faults injected; counts what it injected. */
function soakSeries(symbol: string, n: number, seed: number, firstGlobal: number, injected: { invalid: number; held: number }): PriceSeries {
  const s = ohlcvWalk(symbol, n, seed);
  for (let i = 0; i < n; i++) {
    const g = firstGlobal + i;
    if (g % INVALID_EVERY === INVALID_EVERY - 1) {
      s.close[i] = 0;
      injected.invalid += 1;
    } else if (g % HELD_EVERY === HELD_OFFSET && i >= 1) {
      // The previous bar (g − 1 ≡ 0 mod 1000) is a valid one, so the held bar has a neighbour to be judged against.
      for (const col of [s.open!, s.high!, s.low!, s.close]) col[i] = col[i]! * 3;
      injected.held += 1;
    }
  }
  return s;
}

const startLoad = loadavg()[0]!;
const emulators = await startEmulators();
emulators.applyEnv();
// Loaded after applyEnv: the handlers read their environment when they load.
const { handler: ingestHandler } = await import('../functions/ingest.ts');
const { handler: compactHandler } = await import('../functions/compact.ts');
const { reconcile } = await import('../test/helpers/ingest-harness.ts');

const counter = createRequestCounter();
counter.attach(s3Client(), 's3');
counter.attach(kinesisClient(), 'kinesis');

const ingestTimes = { invocations: 0, ms: 0, maxMs: 0 };
const compactTimes = { runs: 0, ms: 0, maxMs: 0, objectsCompacted: 0, partitions: 0 };
const failed: OnFailureRecord[] = [];
const poller = createKinesisPoller({
  streamName: MARKET_DATA_STREAM.name,
  failedBucket: DATA_LAKE_BUCKET.localName,
  onFailure: (r) => {
    failed.push(r);
  },
  handler: (event: KinesisStreamEvent, context: Context) =>
    counter.run('ingest', async () => {
      const t = performance.now();
      try {
        return await ingestHandler(event, context);
      } finally {
        const ms = performance.now() - t;
        ingestTimes.invocations += 1;
        ingestTimes.ms += ms;
        ingestTimes.maxMs = Math.max(ingestTimes.maxMs, ms);
      }
    }),
});
const compactOnce = () =>
  counter.run('compact', async () => {
    const t = performance.now();
    const r = await compactHandler({}, createLambdaContext({ functionName: 'riskfn-compact', timeoutMs: 300_000 }));
    const ms = performance.now() - t;
    compactTimes.runs += 1;
    compactTimes.ms += ms;
    compactTimes.maxMs = Math.max(compactTimes.maxMs, ms);
    compactTimes.objectsCompacted += r.objectsCompacted;
    compactTimes.partitions += r.partitions;
  });

/** Bars carried by the first k records sent (the one shard delivers them in the order sent). */
const barsBefore: number[] = [0];
let recordsSent = 0;
const barsIngested = () => barsBefore[Math.min(poller.stats().recordsDelivered, recordsSent)] ?? 0;

interface Sample {
  seconds: number;
  barsSent: number;
  barsIngested: number;
  barsPerSecond: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}
const samples: Sample[] = [];
const t0 = performance.now();
let lastSample = { at: t0, ingested: 0 };
function sample(): Sample {
  const now = performance.now();
  const ingested = barsIngested();
  const m = process.memoryUsage();
  const s: Sample = {
    seconds: (now - t0) / 1000,
    barsSent: barsBefore[recordsSent]!,
    barsIngested: ingested,
    barsPerSecond: ((ingested - lastSample.ingested) * 1000) / Math.max(1, now - lastSample.at),
    rssMb: m.rss / MB,
    heapUsedMb: m.heapUsed / MB,
    heapTotalMb: m.heapTotal / MB,
    externalMb: (m.external + m.arrayBuffers) / MB,
  };
  lastSample = { at: now, ingested };
  samples.push(s);
  console.log(
    `${s.seconds.toFixed(0).padStart(6)} s  sent ${String(s.barsSent).padStart(8)}  ingested ${String(s.barsIngested).padStart(8)}  ${s.barsPerSecond.toFixed(0).padStart(6)} bars/s  rss ${s.rssMb.toFixed(0).padStart(5)} MB  heap ${s.heapUsedMb.toFixed(0).padStart(5)}/${s.heapTotalMb.toFixed(0)} MB  external ${s.externalMb.toFixed(0)} MB  compactions ${compactTimes.runs}`,
  );
  return s;
}

console.log(
  `soak: ${BARS} bars, ${SYMBOLS} symbols, ${BARS_PER_RECORD} bars per record${INTERLEAVE ? ', symbols interleaved' : ''}; node ${process.version}; load average ${startLoad.toFixed(2)} at start`,
);
const sampler = setInterval(sample, SAMPLE_MS);
counter.run('mapping', () => poller.start());
const compaction = startCompactionLoop({ compact: compactOnce, delivered: () => poller.stats().recordsDelivered });

// Producer: symbol after symbol, PutRecords as fast as the stream takes them.
const injected = { invalid: 0, held: 0 };
let pending: StreamEntry[] = [];
let pendingBars: number[] = [];
const flush = async () => {
  if (pending.length === 0) return;
  await counter.run('producer', () => putRecords(MARKET_DATA_STREAM.name, pending));
  for (const b of pendingBars) barsBefore.push(barsBefore[barsBefore.length - 1]! + b);
  recordsSent += pending.length;
  pending = [];
  pendingBars = [];
};
const send = async (r: StreamEntry & { bars: number }) => {
  pending.push(r);
  pendingBars.push(r.bars);
  if (pending.length >= PRODUCER_CHUNK) await flush();
};
/** Each symbol's records; with --interleave they are all made first and sent round-robin (record k of every symbol, then k + 1). */
const bySymbol: (StreamEntry & { bars: number })[][] = [];
let global = 0;
for (let s = 0; s < SYMBOLS; s++) {
  const n = Math.floor(BARS / SYMBOLS) + (s < BARS % SYMBOLS ? 1 : 0);
  const symbol = `SOAK${String(s).padStart(5, '0')}`;
  const series = soakSeries(symbol, n, s + 1, global, injected);
  global += n;
  const records = barRecords(series, symbol, 'soak', BARS_PER_RECORD);
  if (INTERLEAVE) bySymbol.push(records);
  else for (const r of records) await send(r);
}
for (let k = 0; bySymbol.some((records) => k < records.length); k++) {
  for (const records of bySymbol) if (k < records.length) await send(records[k]!);
}
await flush();
const producedAt = performance.now();
await counter.run('mapping', () => poller.drain());
const ingestedAt = performance.now();
await poller.stop();
await compaction.stop();
await compactOnce();
const compactedAt = performance.now();
clearInterval(sampler);
const last = sample();

// What the lake holds, per prefix, after the last compaction.
const objects = new Map<string, { count: number; bytes: number }>();
const held = { count: 0 };
await counter.run('reconcile', async () => {
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: DATA_LAKE_BUCKET.localName })) {
    for (const o of page.Contents ?? []) {
      const prefix = o.Key!.split('/')[0]!;
      const p = objects.get(prefix) ?? { count: 0, bytes: 0 };
      p.count += 1;
      p.bytes += o.Size ?? 0;
      objects.set(prefix, p);
      const q = o.Key!.startsWith(DATA_LAKE_BUCKET.quarantinePrefix) ? parseQuarantineKey(o.Key!) : null;
      if (q && HELD_REASONS.has(q.reason)) held.count += 1;
    }
  }
});
const tr = performance.now();
const r = await counter.run('reconcile', () => reconcile());
const reconcileSeconds = (performance.now() - tr) / 1000;
const quarantined = r.quarantinedParts - held.count;
const expectedCurated = BARS - injected.invalid - injected.held;
const staging = objects.get('staging')?.count ?? 0;

const checks: [string, boolean][] = [
  [`raw records ${r.rawRecords} = records sent ${recordsSent}`, r.rawRecords === recordsSent],
  [`raw parts ${r.rawParts} = bars sent ${BARS}`, r.rawParts === BARS],
  [
    `raw parts ${r.rawParts} = curated bars ${r.storedBars} + quarantined ${quarantined} + held ${held.count} (= ${r.storedBars + quarantined + held.count})`,
    r.rawParts === r.storedBars + quarantined + held.count,
  ],
  [`curated bars ${r.storedBars} = sent − injected faults ${expectedCurated}`, r.storedBars === expectedCurated],
  [`quarantined ${quarantined} = injected invalid ${injected.invalid}`, quarantined === injected.invalid],
  [`held ${held.count} = injected implausible ${injected.held}`, held.count === injected.held],
  [`lost ${r.lost.length}, duplicated ${r.duplicated.length}`, r.lost.length === 0 && r.duplicated.length === 0],
  [`staging objects left after the last compaction: ${staging}`, staging === 0],
  [`batches given up on: ${failed.length}`, failed.length === 0],
];

const seconds = (a: number, b: number) => (b - a) / 1000;
const ingestSeconds = seconds(t0, ingestedAt);
const totalSeconds = seconds(t0, compactedAt);
const peakRss = Math.max(...samples.map((s) => s.rssMb));
const peakHeap = Math.max(...samples.map((s) => s.heapUsedMb));
console.log(`
sent ${BARS} bars in ${recordsSent} records in ${seconds(t0, producedAt).toFixed(1)} s (${counter.total('producer', 'kinesis', 'PutRecords')} PutRecords calls)
ingested in ${ingestSeconds.toFixed(1)} s: ${(BARS / ingestSeconds).toFixed(0)} bars/s; ${ingestTimes.invocations} ingest invocations, ${(ingestTimes.ms / ingestTimes.invocations).toFixed(0)} ms mean, ${ingestTimes.maxMs.toFixed(0)} ms max
compacted ${seconds(ingestedAt, compactedAt).toFixed(1)} s later: ${(BARS / totalSeconds).toFixed(0)} bars/s end to end (first PutRecords → last compaction done); ${compactTimes.runs} compaction runs, ${(compactTimes.ms / 1000).toFixed(1)} s in all, ${(compactTimes.maxMs / 1000).toFixed(1)} s the longest, ${compactTimes.objectsCompacted} staging objects folded
memory: peak RSS ${peakRss.toFixed(0)} MB, peak heap used ${peakHeap.toFixed(0)} MB; at the end RSS ${last.rssMb.toFixed(0)} MB, heap ${last.heapUsedMb.toFixed(0)} MB
load average ${loadavg()[0]!.toFixed(2)} at the end (${startLoad.toFixed(2)} at start); reconciliation read the lake in ${reconcileSeconds.toFixed(1)} s

lake after the last compaction (objects, MB):`);
for (const [prefix, o] of [...objects].sort())
  console.log(`  ${prefix.padEnd(12)} ${String(o.count).padStart(8)}  ${(o.bytes / MB).toFixed(1).padStart(8)} MB`);
console.log('\nAWS calls (phase, service, command, key prefix, count):');
for (const c of counter.counts()) console.log(`  ${c.phase.padEnd(10)} ${c.service.padEnd(8)} ${c.command.padEnd(18)} ${c.prefix.padEnd(11)} ${c.count}`);
console.log('\nreconciliation:');
for (const [text, ok] of checks) console.log(`  ${ok ? 'ok      ' : 'MISMATCH'}  ${text}`);

if (args.summary) {
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    bars: BARS,
    symbols: SYMBOLS,
    barsPerRecord: BARS_PER_RECORD,
    interleave: INTERLEAVE,
    records: recordsSent,
    ingestSeconds,
    endToEndSeconds: totalSeconds,
    ingestInvocations: ingestTimes.invocations,
    ingestHandlerMs: ingestTimes.ms,
    compactionRuns: compactTimes.runs,
    compactionMs: compactTimes.ms,
    peakRssMb: peakRss,
    peakHeapUsedMb: peakHeap,
    objects: Object.fromEntries(objects),
    requests: counter.counts(),
    reconciliation: {
      rawRecords: r.rawRecords,
      rawParts: r.rawParts,
      curated: r.storedBars,
      quarantined,
      held: held.count,
      lost: r.lost.length,
      duplicated: r.duplicated.length,
    },
    samples,
    balanced: checks.every(([, ok]) => ok),
  };
  writeFileSync(args.summary, `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`\nsummary written to ${args.summary}`);
}
await emulators.stop();
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
