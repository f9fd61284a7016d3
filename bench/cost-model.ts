/**
 * The cost model of docs/cost.md: measured inputs (the soak and load runs) × AWS list prices →
 * dollars per million bars ingested, per million answers, per training run, per month for a
 * stated workload, and the same workload at 50,000 symbols. Every input is printed with its source;
 * the arithmetic is all here, so a changed price or a new measurement is one edit and one run.
 *
 *   npx tsx bench/cost-model.ts [--backfill SOAK.json] [--feed SOAK.json] [--load LOAD.json]
 *
 * Without files it uses the figures recorded below (the runs of 2026-11-30 in docs/benchmarks.md);
 * `--backfill` / `--feed` take `bench/soak.ts --summary` files (100-bar records / one bar per
 * record, interleaved), `--load` a `bench/api-load.ts --summary` file.
 *
 * Conventions: USD, us-east-1 list prices, no free tier, no savings plans; a month is 730 hours or
 * 30.4 days; GB = 10^9 bytes where AWS bills per GB.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MARKET_DATA_STREAM } from '../lib/config/resources.ts';
import {
  COMPACTION_FUNCTION_SIZING,
  DEFAULT_FUNCTION_SIZING,
  TRAIN_SHARD_FUNCTION_SIZING,
  TRAIN_SHARD_THREADS,
  TRAINING_FUNCTION_SIZING,
} from '../lib/infra/defaults/lambda-defaults.ts';

/**
 * us-east-1 list prices as AWS published them (DynamoDB on-demand after its 2024-11-01 price cut);
 * not re-read from the live pricing pages on the day of the run: check them before relying on a total.
 */
const PRICES = {
  /** Lambda on Arm (the stack's architecture), first tier, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2e-6,
  /** S3 Standard: PUT, COPY, POST and LIST requests (DELETE is free). */
  s3PutOrList: 0.005 / 1000,
  /** S3 Standard: GET and other requests (a 304 to a conditional GET is a GET). */
  s3Get: 0.0004 / 1000,
  s3GbMonth: 0.023,
  kinesisShardHour: 0.015,
  /** Retention beyond 24 h (the stack keeps 7 days), per shard-hour. */
  kinesisExtendedRetentionShardHour: 0.02,
  /** Per PUT payload unit (25 KB of a record; every record is at least one). */
  kinesisPayloadUnit: 0.014e-6,
  /** API Gateway REST API, first 333 million requests a month. */
  apiGatewayRequest: 3.5e-6,
  /** DynamoDB on demand: a write request unit writes up to 1 KB; each global secondary index holding the item is written too. */
  dynamoWru: 0.625e-6,
  /** A strongly consistent read of up to 4 KB. */
  dynamoRru: 0.125e-6,
  dynamoGbMonth: 0.25,
  stepFunctionsTransition: 0.025 / 1000,
  athenaTbScanned: 5,
  /** Athena bills at least 10 MB per query. */
  athenaMinBytes: 10e6,
  cloudWatchLogsGbIngested: 0.5,
  xrayTrace: 5e-6,
  /** Internet egress, first 10 TB tier. */
  egressGb: 0.09,
  cloudWatchMetricMonth: 0.3,
  cloudWatchAlarmMonth: 0.1,
  cloudWatchDashboardMonth: 3,
  kmsKeyMonth: 1,
} as const;
const PRICE_NOTE = 'us-east-1 list prices as published by AWS in 2025 (not re-checked on the run date); no free tier';

/** Assumptions that are not measured here, each used once below. */
const ASSUMED = {
  /** Lambda's CPU share is memory / 1769 MB of one vCPU: local wall time × 1769 / memory (at least ×1) as the billed duration, an upper bound. */
  fullVcpuMb: 1769,
  /** The audit writer Lambda's billed time per answer: one conditional PutItem (its CPU runs inside the API's local figure). */
  auditWriterMs: 20,
  /** Years of history a symbol has: the daily feed's ingest reads one compacted object per year for the plausibility check. */
  yearsOfHistory: 10,
  /** CloudWatch Logs per answer: API Gateway access log line, START/END/REPORT of two functions, one EMF metrics line. */
  logBytesPerAnswer: 2500,
  /** Custom metric series (metric × dimension values): ingest, compaction, API by route, drift per feature, training. */
  metricSeries: 60,
  alarms: 14,
  dashboards: 1,
  /** Customer-managed KMS keys: the alarm topic's, the audit table's, the lake's. */
  kmsKeys: 3,
  /** Analyst queries a month, each a one-date cross-section of one year (docs/data-lake.md). */
  athenaQueriesPerMonth: 1000,
  /** S3 GETs Athena makes per Parquet object it opens (footer, then the column chunks). */
  athenaGetsPerObject: 2,
  /** Rows of the training set per symbol-year (trading days). */
  tradingDays: 252,
  /**
   * How a training task's time grows with rows: the largest fold's RunFold took 11.6× the time on
   * 10× the rows (bench/training-scale.ts, 50 → 500 symbols × 10 years: rows^1.07; tuning chose deeper trees
   * on more rows, which is part of it). Scales the smaller folds and row counts other than the measured one.
   */
  trainingRowExponent: 1.07,
  /**
   * Most training rows a run uses: the 500-symbol set (500 × 10 years × 252 days). Beyond it the
   * set is sampled, as 126 million rows × 19 features would not fit a Lambda's 10 GB.
   */
  trainingRowCap: 500 * 10 * 252,
  /** Rows the sample training run used (four indices × 1,860 days). */
  trainingRowsMeasured: 4 * 1860,
  /** The audit table's items also sit in its two indexes (projection ALL): written and stored three times. */
  auditCopies: 3,
  /** Noncurrent versions of a rewritten curated object kept (the lake's lifecycle rule: 30 days). */
  noncurrentDays: 30,
} as const;

/**
 * The training tasks at 500 symbols × 10 years, measured by `bench/training-scale.ts` (2026-11-30,
 * one run, one core of the 2-core machine, load average about 1): local seconds of each task's own
 * work on 1,231,000 rows. The lake reads of BuildDataset and the own work of Merge and Evaluate
 * (beyond decoding the set) were not measured.
 */
const TRAINING_500 = {
  rows: 1_231_000,
  /** BuildDataset: buildTrainingSet and serializeTrainingSet. */
  buildDatasetS: 11.3 + 1.8,
  /** parseTrainingSet: RunFold, Summarize, TrainShard, Merge and Evaluate each decode the stored set first. */
  decodeS: 2.0,
  /** RunFold of the last fold (1,097,000 training rows): six depth candidates, the fold's forest, scoring. */
  lastFoldS: 317.0,
  /** The five folds' training rows as shares of the last's (expanding window: 1,210 … 2,194 dates). */
  foldShares: [1210 / 2194, 1456 / 2194, 1702 / 2194, 1948 / 2194, 1],
  /** Summarize: the refit's plan on every row (six depth candidates, calibration, HAR). */
  summarizeS: 222.1,
  /** TrainShard: 20 trees on every row on two threads (FOREST_THREADS); five shards of the 100-tree forest. */
  shardS: 23.5,
  shards: 5,
  /** Tasks that decode the set and were not measured further: Merge, Evaluate. */
  otherDecodingTasks: 2,
} as const;

/** The stated workload and its growth. */
const WORKLOAD = { symbols: 500, answersPerDay: 100_000, trainingRunsPerMonth: 30.4, auditMonths: 12 } as const;
const LARGE_SYMBOLS = 50_000;
const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = 30.4;
const TRADING_DAYS_PER_MONTH = 21;

/** What a `bench/soak.ts --summary` file holds (the parts used here). */
interface SoakSummary {
  date: string;
  bars: number;
  symbols: number;
  barsPerRecord: number;
  records: number;
  ingestInvocations: number;
  ingestHandlerMs: number;
  compactionMs: number;
  objects: Record<string, { count: number; bytes: number }>;
  requests: { phase: string; service: string; command: string; prefix: string; count: number }[];
}

/** What a `bench/api-load.ts --summary` file holds (the parts used here). */
interface LoadSummary {
  date: string;
  trainingSeconds: number;
  trainingStates: number;
  runs: {
    name: string;
    answers: number;
    requestsPerSecond: number;
    callsPerAnswer: Record<string, number>;
    meanAnswerBytes: number;
    meanAuditItemBytes: number;
  }[];
}

/**
 * The runs of 2026-11-30 (docs/benchmarks.md, "Soak" and "Load"), condensed to what the model
 * reads: S3 calls summed per phase and command; the load's backtest row from its `--runs backtest` run.
 */
const RECORDED: { backfill: SoakSummary; feed: SoakSummary; load: LoadSummary } = {
  backfill: {
    date: '2026-11-30T14:38:44.216Z',
    bars: 1000000,
    symbols: 500,
    barsPerRecord: 100,
    records: 10000,
    ingestInvocations: 100,
    ingestHandlerMs: 63636,
    compactionMs: 134200,
    objects: { curated: { count: 4000, bytes: 52049255 }, quarantine: { count: 1500, bytes: 1601432 }, raw: { count: 10000, bytes: 47229869 } },
    requests: [
      { phase: 'compact', service: 's3', command: 'DeleteObject', prefix: '', count: 4000 },
      { phase: 'compact', service: 's3', command: 'GetObject', prefix: '', count: 8000 },
      { phase: 'compact', service: 's3', command: 'ListObjectsV2', prefix: '', count: 4006 },
      { phase: 'compact', service: 's3', command: 'PutObject', prefix: '', count: 4000 },
      { phase: 'ingest', service: 's3', command: 'GetObject', prefix: '', count: 1680 },
      { phase: 'ingest', service: 's3', command: 'ListObjectsV2', prefix: '', count: 1000 },
      { phase: 'ingest', service: 's3', command: 'PutObject', prefix: '', count: 15500 },
    ],
  },
  feed: {
    date: '2026-11-30T14:44:53.534Z',
    bars: 5000,
    symbols: 500,
    barsPerRecord: 1,
    records: 5000,
    ingestInvocations: 50,
    ingestHandlerMs: 307377,
    compactionMs: 302313,
    objects: { curated: { count: 500, bytes: 1559173 }, quarantine: { count: 7, bytes: 6962 }, raw: { count: 5000, bytes: 990899 } },
    requests: [
      { phase: 'compact', service: 's3', command: 'DeleteObject', prefix: '', count: 4993 },
      { phase: 'compact', service: 's3', command: 'GetObject', prefix: '', count: 6731 },
      { phase: 'compact', service: 's3', command: 'ListObjectsV2', prefix: '', count: 1743 },
      { phase: 'compact', service: 's3', command: 'PutObject', prefix: '', count: 1738 },
      { phase: 'ingest', service: 's3', command: 'GetObject', prefix: '', count: 10108 },
      { phase: 'ingest', service: 's3', command: 'ListObjectsV2', prefix: '', count: 9990 },
      { phase: 'ingest', service: 's3', command: 'PutObject', prefix: '', count: 10000 },
    ],
  },
  load: {
    date: '2026-11-30T16:04:07.302Z',
    trainingSeconds: 17.5,
    trainingStates: 21,
    runs: [
      {
        name: 'POST /v1/risk/instrument, lake symbol DAX (7 years)',
        answers: 2000,
        requestsPerSecond: 45.5,
        callsPerAnswer: {
          'dynamodb PutItem': 1,
          'dynamodb GetItem': 1,
          's3 GetObject': 8.0005,
          's3 ListObjectsV2': 2,
          's3 PutObject': 0.004,
        },
        meanAnswerBytes: 2160,
        meanAuditItemBytes: 3967,
      },
      {
        name: 'POST /v1/risk/instrument, 252 prices in the body',
        answers: 2000,
        requestsPerSecond: 133.3,
        callsPerAnswer: {
          'dynamodb PutItem': 1,
          'dynamodb GetItem': 1,
          's3 PutObject': 1,
        },
        meanAnswerBytes: 2175,
        meanAuditItemBytes: 5264,
      },
      {
        name: 'POST /v1/risk/portfolio, 4 lake indices (7 years each)',
        answers: 2000,
        requestsPerSecond: 13.3,
        callsPerAnswer: {
          'dynamodb PutItem': 1,
          'dynamodb GetItem': 1,
          's3 GetObject': 32,
          's3 ListObjectsV2': 8,
          's3 PutObject': 0.0105,
        },
        meanAnswerBytes: 5132,
        meanAuditItemBytes: 9905,
      },
      {
        name: 'POST /v1/risk/backtest, lake symbol DAX, 250-day window',
        answers: 2000,
        requestsPerSecond: 51.3,
        callsPerAnswer: {
          'dynamodb PutItem': 1,
          's3 GetObject': 8,
          's3 ListObjectsV2': 2,
        },
        meanAnswerBytes: 2023,
        meanAuditItemBytes: 3582,
      },
    ],
  },
};

const { values: args } = parseArgs({ options: { backfill: { type: 'string' }, feed: { type: 'string' }, load: { type: 'string' } } });
const read = <T>(file: string | undefined, recorded: T): T => (file ? (JSON.parse(readFileSync(file, 'utf8')) as T) : recorded);
const backfill: SoakSummary = read(args.backfill, RECORDED.backfill);
const feed: SoakSummary = read(args.feed, RECORDED.feed);
const load: LoadSummary = read(args.load, RECORDED.load);

const usd = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));
const cpuFactor = (memoryMb: number) => Math.max(1, ASSUMED.fullVcpuMb / memoryMb);
const lambdaUsd = (invocations: number, localMs: number, memoryMb: number) =>
  invocations * PRICES.lambdaRequest + (localMs / 1000) * cpuFactor(memoryMb) * (memoryMb / 1024) * PRICES.lambdaGbSecond;

/** S3 requests of one phase of a soak, per unit (`per` = bars, or partition folds). */
function s3Calls(s: SoakSummary, phase: string, per: number) {
  const sum = (...commands: string[]) =>
    s.requests.filter((r) => r.service === 's3' && r.phase === phase && commands.includes(r.command)).reduce((n, r) => n + r.count, 0) / per;
  return { put: sum('PutObject'), list: sum('ListObjectsV2'), get: sum('GetObject', 'HeadObject') };
}
/** Partition folds of a soak's compaction: one compacted object written per fold. */
const folds = (s: SoakSummary) => s3Calls(s, 'compact', 1).put;
/** One fold's S3 calls and local time, from the backfill soak (thousands of folds). */
const perFold = { ...s3Calls(backfill, 'compact', folds(backfill)), ms: backfill.compactionMs / folds(backfill) };

interface Line {
  item: string;
  usd: number;
}
function table(title: string, lines: Line[], unit: string): number {
  const total = lines.reduce((n, l) => n + l.usd, 0);
  console.log(`\n${title}`);
  const sorted = [...lines].sort((a, b) => b.usd - a.usd);
  for (const l of sorted) console.log(`  ${l.item.padEnd(78)} ${usd(l.usd).padStart(10)}  ${((100 * l.usd) / total).toFixed(0).padStart(3)} %`);
  console.log(`  ${'total'.padEnd(78)} ${usd(total).padStart(10)}  ${unit}`);
  return total;
}

// ---- ingest: per million bars -------------------------------------------------------------
/**
 * Ingest as the soak measured it, plus compaction at `foldsPerBar` partition folds per bar (a
 * backfill: as measured; a daily feed: one, since each 15-minute run folds a symbol's one new bar
 * of the day) and `extraGetsPerBar` GETs the soak's new symbols did not need.
 */
function ingestPerMillion(s: SoakSummary, foldsPerBar: number, extraGetsPerBar: number): Line[] {
  const ingest = s3Calls(s, 'ingest', s.bars);
  const m = 1e6 / s.bars;
  const perBar = (k: 'put' | 'list' | 'get') => ingest[k] + foldsPerBar * perFold[k];
  const ingestMs = (s.ingestHandlerMs / s.ingestInvocations) * cpuFactor(DEFAULT_FUNCTION_SIZING.memorySize);
  return [
    { item: `S3 PUT ${perBar('put').toPrecision(3)}/bar: raw backup, staging, quarantine, compacted rewrite`, usd: 1e6 * perBar('put') * PRICES.s3PutOrList },
    { item: `S3 LIST ${perBar('list').toPrecision(3)}/bar: plausibility reads, compaction`, usd: 1e6 * perBar('list') * PRICES.s3PutOrList },
    {
      item: `S3 GET ${(perBar('get') + extraGetsPerBar).toPrecision(3)}/bar${extraGetsPerBar > 0 ? ` (${extraGetsPerBar} for ${ASSUMED.yearsOfHistory} years of history)` : ''}`,
      usd: 1e6 * (perBar('get') + extraGetsPerBar) * PRICES.s3Get,
    },
    { item: `Kinesis PUT payload units, ${(s.records / s.bars).toPrecision(2)} records/bar`, usd: 1e6 * (s.records / s.bars) * PRICES.kinesisPayloadUnit },
    {
      item: `ingest Lambda ${DEFAULT_FUNCTION_SIZING.memorySize} MB, ${(1e6 / s.bars) * s.ingestInvocations} invocations of ${(ingestMs / 1000).toFixed(1)} s`,
      usd: lambdaUsd(s.ingestInvocations * m, s.ingestHandlerMs * m, DEFAULT_FUNCTION_SIZING.memorySize),
    },
    {
      item: `compaction Lambda ${COMPACTION_FUNCTION_SIZING.memorySize} MB, ${foldsPerBar.toPrecision(2)} folds/bar of ${(perFold.ms * cpuFactor(COMPACTION_FUNCTION_SIZING.memorySize)).toFixed(0)} ms`,
      usd: lambdaUsd(0, 1e6 * foldsPerBar * perFold.ms, COMPACTION_FUNCTION_SIZING.memorySize),
    },
  ];
}

console.log(`riskfn cost model — ${PRICE_NOTE}`);
console.log(
  `inputs: backfill soak ${backfill.date} (${backfill.bars} bars, ${backfill.barsPerRecord} per record), feed soak ${feed.date} (${feed.bars} bars, ${feed.barsPerRecord} per record), load ${load.date}`,
);
console.log(
  `Lambda billed time = local wall time × max(1, 1769 MB / memory): ingest and API ${DEFAULT_FUNCTION_SIZING.memorySize} MB ×${cpuFactor(DEFAULT_FUNCTION_SIZING.memorySize).toFixed(2)}, compaction ${COMPACTION_FUNCTION_SIZING.memorySize} MB ×${cpuFactor(COMPACTION_FUNCTION_SIZING.memorySize).toFixed(2)}, training ${TRAINING_FUNCTION_SIZING.memorySize} MB ×1`,
);

const backfillPerM = table(
  'Per million bars, backfill (100-bar records)',
  ingestPerMillion(backfill, folds(backfill) / backfill.bars, 0),
  'USD per million bars',
);
// In the feed soak every symbol was new, so its plausibility reads found no compacted year; a symbol with history costs one GET per year per invocation.
const feedPerM = table(
  'Per million bars, daily feed (one bar per record, 100 symbols per invocation)',
  ingestPerMillion(feed, 1, ASSUMED.yearsOfHistory),
  'USD per million bars',
);

// ---- API: per million answers --------------------------------------------------------------
const answersPerM: Record<string, number> = {};
function answerLines(run: LoadSummary['runs'][number]): Line[] {
  const calls = (key: string) => run.callsPerAnswer[key] ?? 0;
  const apiMs = 1000 / run.requestsPerSecond;
  const wruPerPut = Math.ceil(run.meanAuditItemBytes / 1024) * ASSUMED.auditCopies;
  const dynamoWrites = calls('dynamodb PutItem') + calls('dynamodb UpdateItem');
  const dynamoReads = calls('dynamodb GetItem') + calls('dynamodb Query') + calls('dynamodb BatchGetItem');
  return [
    { item: 'API Gateway REST request', usd: 1e6 * PRICES.apiGatewayRequest },
    {
      item: `API Lambda ${DEFAULT_FUNCTION_SIZING.memorySize} MB (${(apiMs * cpuFactor(DEFAULT_FUNCTION_SIZING.memorySize)).toFixed(0)} ms: 1 / local req/s × CPU factor)`,
      usd: lambdaUsd(1e6, 1e6 * apiMs, DEFAULT_FUNCTION_SIZING.memorySize),
    },
    { item: `audit writer Lambda (${ASSUMED.auditWriterMs} ms assumed)`, usd: lambdaUsd(1e6, (1e6 * ASSUMED.auditWriterMs) / cpuFactor(512), 512) },
    {
      item: `DynamoDB writes ${dynamoWrites.toFixed(2)}/answer, audit item ${(run.meanAuditItemBytes / 1024).toFixed(1)} KB → ${wruPerPut} WRU with its 2 indexes`,
      usd: 1e6 * dynamoWrites * wruPerPut * PRICES.dynamoWru,
    },
    { item: `DynamoDB reads ${dynamoReads.toFixed(2)}/answer (champion pointer)`, usd: 1e6 * dynamoReads * PRICES.dynamoRru },
    {
      item: `S3 LIST ${calls('s3 ListObjectsV2').toFixed(2)}/answer (lake reader: the curated years, the symbol's staging objects)`,
      usd: 1e6 * calls('s3 ListObjectsV2') * PRICES.s3PutOrList,
    },
    {
      item: `S3 GET ${calls('s3 GetObject').toFixed(2)}/answer (lake reader: one conditional GET per compacted year object, 304 when cached)`,
      usd: 1e6 * calls('s3 GetObject') * PRICES.s3Get,
    },
    {
      item: `S3 PUT ${calls('s3 PutObject').toFixed(2)}/answer (audit copies: input series, long requests, overflow)`,
      usd: 1e6 * calls('s3 PutObject') * PRICES.s3PutOrList,
    },
    {
      item: `CloudWatch Logs ${ASSUMED.logBytesPerAnswer} B/answer (assumed)`,
      usd: ((1e6 * ASSUMED.logBytesPerAnswer) / 1e9) * PRICES.cloudWatchLogsGbIngested,
    },
    { item: `egress ${(run.meanAnswerBytes / 1024).toFixed(1)} KB/answer`, usd: ((1e6 * run.meanAnswerBytes) / 1e9) * PRICES.egressGb },
  ];
}
for (const run of load.runs) answersPerM[run.name] = table(`Per million answers: ${run.name}`, answerLines(run), 'USD per million answers');

// ---- training: per run ------------------------------------------------------------------
/** Local seconds of the 2048 MB training tasks at the measured 500-symbol size (TrainShard apart): BuildDataset, five RunFold, Summarize, Merge, Evaluate. */
const t500 = TRAINING_500;
const training500Seconds =
  t500.buildDatasetS +
  t500.foldShares.reduce((n, share) => n + t500.decodeS + t500.lastFoldS * share ** ASSUMED.trainingRowExponent, 0) +
  t500.decodeS +
  t500.summarizeS +
  t500.otherDecodingTasks * t500.decodeS;
const shard500Seconds = t500.decodeS + t500.shardS;
/** Training Lambda time for `rows` training rows: the 500-symbol measurement scaled by rows^trainingRowExponent. */
const trainingSecondsFor = (rows: number, seconds500: number) => seconds500 * (rows / t500.rows) ** ASSUMED.trainingRowExponent;
function trainingRun(symbols: number): Line[] {
  const rows = Math.min(ASSUMED.trainingRowCap, symbols * ASSUMED.yearsOfHistory * ASSUMED.tradingDays);
  const seconds = trainingSecondsFor(rows, training500Seconds);
  const shardSeconds = trainingSecondsFor(rows, shard500Seconds);
  const mem = TRAINING_FUNCTION_SIZING.memorySize;
  const shardMem = TRAIN_SHARD_FUNCTION_SIZING.memorySize;
  return [
    { item: `Step Functions ${load.trainingStates} state transitions`, usd: load.trainingStates * PRICES.stepFunctionsTransition },
    {
      item: `training Lambdas ${mem} MB, ${rows.toLocaleString('en-US')} rows → ${(seconds / 60).toFixed(1)} min of Lambda time`,
      usd: lambdaUsd(load.trainingStates - t500.shards, seconds * 1000, mem),
    },
    {
      item: `TrainShard ${shardMem} MB, ${t500.shards} shards on ${TRAIN_SHARD_THREADS} threads → ${((t500.shards * shardSeconds) / 60).toFixed(1)} min`,
      usd: lambdaUsd(t500.shards, t500.shards * shardSeconds * 1000, shardMem),
    },
  ];
}
const trainingMeasured = table(
  `Per training run as measured (${ASSUMED.trainingRowsMeasured} rows, ${load.trainingSeconds.toFixed(1)} s locally)`,
  [
    { item: `Step Functions ${load.trainingStates} state transitions`, usd: load.trainingStates * PRICES.stepFunctionsTransition },
    { item: 'training Lambdas', usd: lambdaUsd(load.trainingStates, load.trainingSeconds * 1000, TRAINING_FUNCTION_SIZING.memorySize) },
  ],
  'USD per run',
);
const training500 = table(`Per training run, ${WORKLOAD.symbols} symbols × ${ASSUMED.yearsOfHistory} years`, trainingRun(WORKLOAD.symbols), 'USD per run');

// ---- a month of the stated workload -------------------------------------------------------
function month(symbols: number, answersPerDay: number): Line[] {
  const barsPerMonth = symbols * TRADING_DAYS_PER_MONTH;
  const answers = answersPerDay * DAYS_PER_MONTH;
  // The answer mix: every load run in equal parts.
  const perAnswer = Object.values(answersPerM).reduce((a, b) => a + b, 0) / Math.max(1, Object.keys(answersPerM).length) / 1e6;
  const perSecond = answersPerDay / 86_400;
  // X-Ray's default sampling rule: the first request each second, then 5 %.
  const traces = (Math.min(perSecond, 1) + 0.05 * Math.max(0, perSecond - 1)) * 86_400 * DAYS_PER_MONTH;
  const storedBars = symbols * ASSUMED.yearsOfHistory * ASSUMED.tradingDays;
  const curatedBytesPerBar = backfill.objects.curated!.bytes / backfill.bars;
  const rawBytesPerBar = feed.objects.raw!.bytes / feed.bars;
  const curatedObjectBytes = backfill.objects.curated!.bytes / backfill.objects.curated!.count;
  // Each daily compaction rewrites the symbol's current-year object; 30 days of old versions are kept.
  const noncurrentBytes = symbols * ASSUMED.noncurrentDays * (curatedObjectBytes / 2);
  const lakeGb = (storedBars * (curatedBytesPerBar + rawBytesPerBar) + noncurrentBytes) / 1e9;
  // A one-date cross-section opens one year's object of every symbol.
  const athenaBytes = Math.max(PRICES.athenaMinBytes, symbols * curatedObjectBytes);
  const auditItemBytes = load.runs.reduce((n, r) => n + r.meanAuditItemBytes, 0) / Math.max(1, load.runs.length);
  const auditGb = (answers * WORKLOAD.auditMonths * auditItemBytes * ASSUMED.auditCopies) / 1e9;
  // Daily bars arrive once a day: even 50,000 records spread over an hour are 14 records/s, far below a shard's 1,000.
  const shards = MARKET_DATA_STREAM.shardCount;
  return [
    {
      item: `Kinesis: ${shards} shard(s) with 7-day retention, ${HOURS_PER_MONTH} h`,
      usd: shards * HOURS_PER_MONTH * (PRICES.kinesisShardHour + PRICES.kinesisExtendedRetentionShardHour),
    },
    { item: `ingest of ${barsPerMonth.toLocaleString('en-US')} daily bars (feed figures)`, usd: (barsPerMonth / 1e6) * feedPerM },
    { item: `answers: ${answers.toLocaleString('en-US')} (the load runs in equal parts)`, usd: answers * perAnswer },
    {
      item: `audit table storage after ${WORKLOAD.auditMonths} months (${auditGb.toFixed(0)} GB with its indexes; grows every month)`,
      usd: auditGb * PRICES.dynamoGbMonth,
    },
    { item: `X-Ray: ${Math.round(traces).toLocaleString('en-US')} sampled traces (default rule)`, usd: traces * PRICES.xrayTrace },
    { item: `training: ${WORKLOAD.trainingRunsPerMonth} daily runs`, usd: WORKLOAD.trainingRunsPerMonth * trainingRun(symbols).reduce((n, l) => n + l.usd, 0) },
    { item: `S3 lake storage ${lakeGb.toFixed(1)} GB (${ASSUMED.yearsOfHistory} years: curated, raw, 30 days of versions)`, usd: lakeGb * PRICES.s3GbMonth },
    {
      item: `Athena: ${ASSUMED.athenaQueriesPerMonth} cross-sections, ${(athenaBytes / 1e6).toFixed(0)} MB and ${symbols * ASSUMED.athenaGetsPerObject} GETs each`,
      usd: ASSUMED.athenaQueriesPerMonth * ((athenaBytes / 1e12) * PRICES.athenaTbScanned + symbols * ASSUMED.athenaGetsPerObject * PRICES.s3Get),
    },
    {
      item: `CloudWatch: ${ASSUMED.metricSeries} metric series, ${ASSUMED.alarms} alarms, ${ASSUMED.dashboards} dashboard (assumed counts)`,
      usd:
        ASSUMED.metricSeries * PRICES.cloudWatchMetricMonth +
        ASSUMED.alarms * PRICES.cloudWatchAlarmMonth +
        ASSUMED.dashboards * PRICES.cloudWatchDashboardMonth,
    },
    { item: `KMS: ${ASSUMED.kmsKeys} customer-managed keys`, usd: ASSUMED.kmsKeys * PRICES.kmsKeyMonth },
  ];
}
const monthly = table(
  `Per month: ${WORKLOAD.symbols} symbols of daily bars, ${WORKLOAD.answersPerDay.toLocaleString('en-US')} answers a day, a daily training run`,
  month(WORKLOAD.symbols, WORKLOAD.answersPerDay),
  'USD per month',
);
const monthlyLarge = table(
  `Per month at ${LARGE_SYMBOLS.toLocaleString('en-US')} symbols (same answers; the training set sampled to 1.26 million rows)`,
  month(LARGE_SYMBOLS, WORKLOAD.answersPerDay),
  'USD per month',
);

console.log('\nsummary');
console.log(`  per million bars ingested: ${usd(backfillPerM)} USD as a backfill (100-bar records), ${usd(feedPerM)} USD as a daily feed (one bar per record)`);
for (const [name, v] of Object.entries(answersPerM)) console.log(`  per million answers, ${name}: ${usd(v)} USD`);
console.log(
  `  per training run: ${usd(trainingMeasured)} USD as measured, ${usd(training500)} USD at ${WORKLOAD.symbols} symbols × ${ASSUMED.yearsOfHistory} years`,
);
console.log(`  per month: ${usd(monthly)} USD at ${WORKLOAD.symbols} symbols, ${usd(monthlyLarge)} USD at ${LARGE_SYMBOLS.toLocaleString('en-US')} symbols`);
