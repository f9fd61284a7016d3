/**
 * Ingest throughput, in one run:
 * - the pure path of the ingest Lambda, exactly as functions/ingest.ts runs it but without I/O:
 *   base64 decode → validateRecordData (JSON.parse, validate, normalise) for each record, then
 *   planBatch over a Lambda batch of 100 records (plausibility against the symbol's closes, gzip
 *   source backup per record, one staging Parquet object per (symbol, year) per invocation);
 * - the floor: base64 decode → JSON.parse → the record's zod schema (MarketDataRecordSchema),
 *   i.e. parsing and validating alone;
 * for records of 1 bar (the usual feed) and of 100 bars, on one core (one thread). Records are
 * processed in Lambda-sized batches of 100 records, each batch with a close history per symbol as
 * the handler loads it from the lake (the 300 closes before the batch; built outside the timing,
 * since in the Lambda it is S3 I/O).
 *
 * Prints `ingest <case>: <N> bars/s per core` with the median of REPS runs, the ratio to the
 * floor and the target (≥ 150,000 bars/s for 100-bar records, ≥ 100,000 for 1-bar records), then
 * an end-to-end figure on the emulators: bars per second from the first PutRecords call until the
 * bars are in compacted Parquet (`riskfn ingest`'s encoding → local event-source mapping → ingest
 * handler → compaction).
 *
 *   npx tsx bench/ingest.bench.ts [reps]
 */
import { Buffer } from 'node:buffer';
import { barRecords } from '../bin/cli/commands/ingest.ts';
import { type BatchRecord, planBatch } from '../lib/domain/ingest/plan-batch.ts';
import { CloseHistory } from '../lib/domain/ingest/plausibility.ts';
import { validateRecordData } from '../lib/domain/ingest/validate-record.ts';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { MarketDataRecordSchema } from '../lib/schemas/market-data-record.ts';
import { latestBarDate } from '../lib/schemas/price-bar.ts';
import { ohlcvWalk, runEndToEnd } from './ingest-end-to-end.ts';

const REPS = Number(process.argv[2] ?? 9);
const WARMUP = 3;
/** Bars per run of a case: 40 years of daily bars. */
const BARS = 10_000;
/** Records per Lambda invocation (the stack's event-source mapping batch size). */
const BATCH_RECORDS = 100;
/** Closes the handler has for the symbol before a batch (it reads the symbol's lake series). */
const HISTORY = 300;
const TARGET = { 1: 100_000, 100: 150_000 } as const;

interface Case {
  barsPerRecord: 1 | 100;
  /** Kinesis `data` as Lambda delivers it: base64. */
  records: string[];
  /** Index of each record's first bar in the series. */
  firstBar: number[];
}

function makeCase(series: PriceSeries, barsPerRecord: 1 | 100): Case {
  const records = barRecords(series, 'BENCH', 'bench', barsPerRecord);
  const firstBar: number[] = [];
  let i = 0;
  for (const r of records) {
    firstBar.push(i);
    i += r.bars;
  }
  return { barsPerRecord, records: records.map((r) => Buffer.from(r.data).toString('base64')), firstBar };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const now = (): number => Number(process.hrtime.bigint()) / 1e9;

/** Seconds of one run of the pure path over every record of the case. */
function pureRun(c: Case, series: PriceSeries, latestDate: string): { seconds: number; accepted: number } {
  let seconds = 0;
  let accepted = 0;
  for (let b = 0; b < c.records.length; b += BATCH_RECORDS) {
    const start = c.firstBar[b]!;
    const from = Math.max(0, start - HISTORY);
    const histories = new Map([['BENCH', new CloseHistory(series.dates.slice(from, start), series.close.subarray(from, start))]]);
    const t0 = now();
    // One invocation: the handler validates every record, then plans the batch (planBatch).
    const batch: BatchRecord[] = [];
    for (let r = b; r < Math.min(b + BATCH_RECORDS, c.records.length); r++) {
      const data = Buffer.from(c.records[r]!, 'base64');
      const ref = {
        shardId: 'shardId-000000000000',
        sequenceNumber: String(49_650_000_000_000_000_000n + BigInt(r)),
        approximateArrivalTimestamp: 1_764_000_000 + r / 1000,
      };
      batch.push({ ref, data, validation: validateRecordData(data, latestDate) });
    }
    for (const p of planBatch(batch, { latestDate, histories }).records) accepted += p.barsAccepted;
    seconds += now() - t0;
  }
  return { seconds, accepted };
}

/** Seconds of one run of the floor (base64 → JSON.parse → zod) over every record of the case. */
function floorRun(c: Case): number {
  const t0 = now();
  let ok = 0;
  for (const b64 of c.records) {
    const text = Buffer.from(b64, 'base64').toString('utf8');
    if (MarketDataRecordSchema.safeParse(JSON.parse(text)).success) ok++;
  }
  const seconds = now() - t0;
  if (ok !== c.records.length) throw new Error(`floor: ${c.records.length - ok} records failed the schema`);
  return seconds;
}

const series = ohlcvWalk('BENCH', BARS, 7);
const latestDate = latestBarDate(new Date());
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const lines: string[] = [];
for (const barsPerRecord of [1, 100] as const) {
  const c = makeCase(series, barsPerRecord);
  for (let i = 0; i < WARMUP; i++) {
    pureRun(c, series, latestDate);
    floorRun(c);
  }
  const pure: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const run = pureRun(c, series, latestDate);
    // Every bar of the walk must pass (none held or rejected), else the figure would be for less work.
    if (run.accepted !== BARS) throw new Error(`pure path accepted ${run.accepted} of ${BARS} bars`);
    pure.push(BARS / run.seconds);
    floor.push(BARS / floorRun(c));
  }
  const p = median(pure);
  const f = median(floor);
  const target = TARGET[barsPerRecord];
  const label = `${barsPerRecord}-bar records`;
  lines.push(
    `ingest pure path, ${label}: ${fmt(p)} bars/s per core (planBatch, ${BATCH_RECORDS} records per invocation; median of ${REPS}; ${(p / f).toFixed(2)} × floor; target ${fmt(target)}: ${p >= target ? 'met' : 'NOT met'})`,
    `ingest floor (JSON.parse + zod), ${label}: ${fmt(f)} bars/s per core (median of ${REPS})`,
  );
}
for (const l of lines) console.log(l);

// One-bar records: 2 years of bars (one staging object per record, the usual feed); 100-bar
// records: 40 years (one staging object per record and year).
for (const e of await runEndToEnd([
  { bars: 500, barsPerRecord: 1 },
  { bars: 10_000, barsPerRecord: 100 },
])) {
  console.log(
    `ingest end-to-end on the emulators, ${e.barsPerRecord}-bar records: ${fmt(e.bars / e.seconds)} bars/s (${fmt(e.bars)} bars, PutRecords → compacted Parquet in ${e.seconds.toFixed(1)} s; ${e.objects} curated objects)`,
  );
}
