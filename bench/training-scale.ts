/**
 * How long the training workflow's tasks take on a large lake: 500 instruments × 10 years by
 * default, the size docs/cost.md prices a training run at. One process, one core (except the
 * two-thread shard), the workflow's own code:
 *
 *   NODE_OPTIONS=--expose-gc npx tsx bench/training-scale.ts [--symbols 500] [--years 10] [--trees 100] [--seed 1] [--no-sklearn] [--no-store]
 *
 * `--no-sklearn` skips the reference (about 11 minutes at the default size), `--no-store` the
 * stored set's encoding and decoding; `--expose-gc` lets the bench sample the live heap.
 *
 * Data: `symbols` synthetic instruments of weekday closes over `years` years, each a stationary
 * block bootstrap (mean block 21 days) of the daily log returns of one of the 20 Dow stocks in
 * data/dj30 (chosen per symbol), scaled by a volatility factor drawn in [0.6, 1.6] so the
 * instruments spread over the three risk levels; seeded (lib/util/prng.ts), so a size always
 * gives the same rows.
 *
 * Steps timed, in the order the workflow runs them:
 * - BuildDataset: `buildTrainingSet` (default features, bands, horizon 21, as the task calls it),
 *   then the stored object's `serializeTrainingSet`, and `parseTrainingSet`, which every later
 *   task (RunFold, Summarize, TrainShard, Merge, Evaluate) does first;
 * - RunFold: `planWalkForward`, then `runFold` of the LAST fold (the largest training period), its
 *   parts split at the forest's tree callbacks: the depth candidates' forests on the calibration
 *   slice's earlier rows, the fold's forest on all its training rows, the rest (baselines,
 *   served probabilities, permutation importance);
 * - Summarize: `planRefit` on every row (what its `refitOptions` runs: the depth candidates' forests
 *   on the whole set's calibration slice, the calibration, HAR); the rest of that task is small;
 * - TrainShard: `fitForestShard` of `TREES_PER_SHARD` trees on every row (what the refit trains),
 *   at the depth Summarize chose, on 1 thread and on 2 (the deployed FOREST_THREADS).
 * Each step runs once (they take minutes at the default size): the table's times are single runs.
 * Peak RSS is the process's maximum resident set after each step (`process.resourceUsage().maxRSS`),
 * so it includes every earlier step's objects still alive.
 *
 * Reference: scikit-learn's RandomForestClassifier (the fold forest's trees and depth,
 * min_samples_leaf 21, max_features "sqrt", n_jobs=1) fitted on the same fold's training rows,
 * in a `/usr/bin/python3` child (or $RISKFN_PYTHON) reading them from a temporary CSV.
 * The last line printed is the measurement as JSON (for fitting the growth with rows across sizes).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TREES_PER_SHARD } from '../functions/training/workflow-state.ts';
import { buildTrainingSet } from '../lib/domain/model/dataset.ts';
import { fitForestShard } from '../lib/domain/model/forest-shards.ts';
import { planWalkForward, runFold, TRAIN_DEFAULTS, type TrainingSet } from '../lib/domain/model/index.ts';
import { planRefit, treesPerFit } from '../lib/domain/model/walk-forward.ts';
import { parsePriceCsv } from '../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { parseTrainingSet, serializeTrainingSet } from '../lib/domain/training/training-set-codec.ts';
import { formatIsoDate } from '../lib/util/calendar-date.ts';
import { Xoshiro128 } from '../lib/util/prng.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DJ30 = join(here, '..', 'data', 'dj30');
/** Mean block length of the bootstrap (trading days): a month keeps volatility clusters intact. */
const MEAN_BLOCK = 21;
/**
 * Log returns beyond ±30 % a day are left out of the pool (two days in data/dj30: PG 2000-03-07,
 * HD 2000-10-12): the bootstrap would otherwise repeat each of them in dozens of instruments.
 */
const MAX_ABS_LOG_RETURN = 0.3;

const { values: args } = parseArgs({
  options: {
    symbols: { type: 'string', default: '500' },
    years: { type: 'string', default: '10' },
    trees: { type: 'string', default: String(TRAIN_DEFAULTS.trees) },
    seed: { type: 'string', default: '1' },
    'no-sklearn': { type: 'boolean', default: false },
    'no-store': { type: 'boolean', default: false },
  },
});
const SYMBOLS = Number(args.symbols);
const YEARS = Number(args.years);
const TREES = Number(args.trees);
const SEED = Number(args.seed);

/** Daily log returns of each Dow stock, splits left out. */
function dowReturns(): Float64Array[] {
  return readdirSync(DJ30)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => {
      const { close } = parsePriceCsv(readFileSync(join(DJ30, f), 'utf8'));
      const r: number[] = [];
      for (let t = 1; t < close.length; t++) {
        const x = Math.log(close[t] / close[t - 1]);
        if (Math.abs(x) <= MAX_ABS_LOG_RETURN) r.push(x);
      }
      return Float64Array.from(r);
    });
}

/** Weekdays (ISO dates) of `years` calendar years from 2015-01-01. */
function weekdays(years: number): string[] {
  const out: string[] = [];
  const end = Date.UTC(2015 + years, 0, 1);
  for (let ms = Date.UTC(2015, 0, 1); ms < end; ms += 86_400_000) {
    const d = new Date(ms);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
  }
  return out;
}

/** One synthetic instrument: a stationary block bootstrap of one source's returns, volatility scaled. */
function syntheticSeries(symbol: string, dates: string[], pool: readonly Float64Array[], rng: Xoshiro128): PriceSeries {
  const src = pool[rng.nextInt(pool.length)];
  const scale = 0.6 + rng.nextFloat();
  const close = new Float64Array(dates.length);
  let logPrice = Math.log(100);
  let at = rng.nextInt(src.length);
  close[0] = 100;
  for (let t = 1; t < dates.length; t++) {
    // Politis–Romano: a new block starts with probability 1 / MEAN_BLOCK, else the block continues (wrapping).
    at = rng.nextFloat() < 1 / MEAN_BLOCK ? rng.nextInt(src.length) : (at + 1) % src.length;
    logPrice += scale * src[at];
    close[t] = Math.exp(logPrice);
  }
  return { symbol, dates, close };
}

function syntheticLake(symbols: number, years: number, seed: number): PriceSeries[] {
  const pool = dowReturns();
  const dates = weekdays(years);
  const rng = new Xoshiro128(seed);
  return Array.from({ length: symbols }, (_, i) => syntheticSeries(`SYN${String(i + 1).padStart(4, '0')}`, dates, pool, rng));
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;
/** CPU seconds of the whole process (every thread, GC included) since `c0`: the work, whatever the machine's load. */
const cpuSeconds = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/**
 * Largest live heap seen (MB): with `node --expose-gc`, a full collection every `LIVE_HEAP_EVERY`
 * trees of a fold and the heap left after it. Peak RSS alone overstates what a task needs, because
 * V8 grows the heap lazily up to its limit; the live heap is what a smaller limit still has to hold.
 */
let liveHeapMb = 0;
const LIVE_HEAP_EVERY = 100;
function sampleLiveHeap(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
}

interface SklearnResult {
  library: string;
  fit_s: number;
  fit_cpu_s: number;
  peak_rss_mb: number;
}

/** Fits scikit-learn's forest on `rows` of `set` (written to a temporary CSV); null when no Python with sklearn. */
function sklearnFit(set: TrainingSet, rows: readonly number[], trees: number, maxDepth: number | null, minSamplesLeaf: number): SklearnResult | null {
  const python = process.env.RISKFN_PYTHON ?? '/usr/bin/python3';
  const dir = mkdtempSync(join(tmpdir(), 'riskfn-training-scale-'));
  try {
    const csv = join(dir, 'fold.csv');
    const lines = [`${set.featureNames.join(',')},label`];
    for (const i of rows) lines.push(`${set.rows[i].features.join(',')},${set.rows[i].label}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    lines.length = 0;
    const script = `
import json, resource, sys, time
import pandas as pd, sklearn
from sklearn.ensemble import RandomForestClassifier
path, trees, depth, leaf, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
df = pd.read_csv(path)
X, y = df.drop(columns=["label"]).to_numpy(dtype="float64"), df["label"].to_numpy()
m = RandomForestClassifier(n_estimators=trees, max_depth=None if depth == "none" else int(depth), min_samples_leaf=leaf, max_features="sqrt", n_jobs=1, random_state=seed)
t0, c0 = time.perf_counter(), time.process_time()
m.fit(X, y)
fit_s, fit_cpu_s = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"library": f"scikit-learn {sklearn.__version__}", "fit_s": fit_s, "fit_cpu_s": fit_cpu_s, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;
    const r = spawnSync(python, ['-c', script, csv, String(trees), maxDepth === null ? 'none' : String(maxDepth), String(minSamplesLeaf), String(SEED)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      console.error(`scikit-learn reference skipped: ${python} exited ${r.status}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
      return null;
    }
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as SklearnResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const [name, v] of Object.entries({ symbols: SYMBOLS, years: YEARS, trees: TREES })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  }
  console.log(
    `training-scale: ${SYMBOLS} symbols × ${YEARS} years, ${TREES} trees, seed ${SEED}; ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
  );
  const series = syntheticLake(SYMBOLS, YEARS, SEED);

  // BuildDataset
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  // One set alive at a time, as in the tasks: the parsed set replaces the built one.
  let set = buildTrainingSet(series, { horizon: TRAIN_DEFAULTS.horizon });
  const buildS = seconds(t0);
  const buildCpu = cpuSeconds(c0);
  const buildRss = peakRssMb();
  sampleLiveHeap();
  t0 = performance.now();
  let stored: Uint8Array | null = null;
  let storedProblem = '';
  try {
    if (args['no-store']) storedProblem = 'skipped (--no-store)';
    else stored = serializeTrainingSet(set);
  } catch (err) {
    // Reported, not thrown: the steps after it still run on the built set.
    storedProblem = `failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  const serializeS = seconds(t0);
  const storedMb = stored === null ? null : stored.byteLength / 1e6;
  let parseS: number | null = null;
  let parseCpu: number | null = null;
  if (stored !== null) {
    t0 = performance.now();
    c0 = process.cpuUsage();
    set = parseTrainingSet(stored);
    parseS = seconds(t0);
    parseCpu = cpuSeconds(c0);
    sampleLiveHeap();
    stored = null;
  }
  const counts = new Map<string, number>();
  for (const r of set.rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  console.log(
    `training set: ${set.rows.length.toLocaleString('en-US')} rows, ${set.featureNames.length} features, classes ${[...counts].map(([c, n]) => `${c} ${((100 * n) / set.rows.length).toFixed(0)} %`).join(', ')}`,
  );

  // RunFold of the last (largest) fold, its parts told apart by the forests' tree callbacks.
  t0 = performance.now();
  const plan = planWalkForward(set, { trees: TREES });
  const planS = seconds(t0);
  const fold = plan.folds.at(-1)!;
  const opts = { trees: TREES };
  const candidateTrees = treesPerFit(opts, set) - TREES;
  let treesDone = 0;
  let candidatesEnd = 0;
  let forestEnd = 0;
  const onTree = () => {
    treesDone++;
    if (treesDone % LIVE_HEAP_EVERY === 0) sampleLiveHeap();
    if (treesDone === candidateTrees) candidatesEnd = performance.now();
    if (treesDone === candidateTrees + TREES) forestEnd = performance.now();
  };
  t0 = performance.now();
  c0 = process.cpuUsage();
  const result = runFold(set, fold, opts, onTree);
  const end = performance.now();
  const runFoldCpu = cpuSeconds(c0);
  const runFoldS = (end - t0) / 1000;
  const candidatesS = (candidatesEnd - t0) / 1000;
  const foldForestS = (forestEnd - candidatesEnd) / 1000;
  const foldRestS = (end - forestEnd) / 1000;
  const foldRss = peakRssMb();
  const maxDepth = result.maxDepth;
  const loadAtFold = loadavg()[0];
  console.log(
    `last fold: ${result.trainRows.toLocaleString('en-US')} training rows (${result.trainFrom} .. ${result.trainTo}), ${result.testRows.toLocaleString('en-US')} test rows, ` +
      `depth chosen ${maxDepth} of ${result.tuning?.candidates.map((c) => c.maxDepth).join('/') ?? '-'} on ${result.tuning?.validationRows.toLocaleString('en-US') ?? '-'} calibration rows`,
  );

  // Summarize: the refit's plan on every row (depth candidates on the whole set's calibration slice, calibration, HAR).
  t0 = performance.now();
  c0 = process.cpuUsage();
  const refit = planRefit(
    set,
    set.rows.map((_, i) => i),
    opts,
    onTree,
  );
  const refitS = seconds(t0);
  const refitCpu = cpuSeconds(c0);
  const refitRss = peakRssMb();

  // TrainShard: TREES_PER_SHARD trees of the refit forest on every row, 1 and 2 threads.
  const X = set.rows.map((r) => r.features);
  const y = set.rows.map((r) => r.label);
  const range = { from: 0, to: Math.min(TREES_PER_SHARD, TREES) };
  const shardS: number[] = [];
  const shardCpu: number[] = [];
  for (const threads of [1, 2]) {
    t0 = performance.now();
    c0 = process.cpuUsage();
    await fitForestShard(X, y, refit.forest, range, threads);
    shardS.push(seconds(t0));
    shardCpu.push(cpuSeconds(c0));
  }
  const shardRss = peakRssMb();

  // Reference: scikit-learn on the same fold's training rows.
  const trainRows: number[] = [];
  set.rows.forEach((r, i) => {
    const d = r.date!;
    if (fold.kind === 'time' && d >= fold.trainFrom && d <= fold.trainTo) trainRows.push(i);
  });
  // The candidates' forests fit the training rows dated before the calibration slice, less the purge gap.
  const trainDates = [...new Set(trainRows.map((i) => set.rows[i].date!))].sort();
  const sliceAt = result.tuning?.validationFrom ? trainDates.indexOf(result.tuning.validationFrom) : -1;
  const candidateFitRows = sliceAt < 0 ? null : trainRows.filter((i) => set.rows[i].date! < trainDates[Math.max(0, sliceAt - plan.purgeGap)]).length;
  const sk = args['no-sklearn'] ? null : sklearnFit(set, trainRows, TREES, maxDepth, refit.forest.minSamplesLeaf);

  const fmt = (s: number | null) => (s === null ? '-' : s < 10 ? s.toFixed(2) : s.toFixed(1));
  const table: [string, string, number | null, number | null, number | null][] = [
    ['BuildDataset: buildTrainingSet', `${set.rows.length}`, buildS, buildCpu, buildRss],
    ['BuildDataset: serializeTrainingSet', storedMb === null ? storedProblem : `${storedMb.toFixed(0)} MB`, serializeS, null, null],
    ['RunFold/TrainShard: parseTrainingSet', `${set.rows.length}`, parseS, parseCpu, null],
    ['planWalkForward', `${plan.folds.length} folds`, planS, null, null],
    ['RunFold (last fold), total', `${result.trainRows}`, runFoldS, runFoldCpu, foldRss],
    [
      `  depth candidates: ${candidateTrees} trees, scored on ${result.tuning?.validationRows ?? '-'} slice rows`,
      `${candidateFitRows ?? '-'}`,
      candidatesS,
      null,
      null,
    ],
    [`  calibration + fold forest: ${TREES} trees, depth ${maxDepth}`, `${result.trainRows}`, foldForestS, null, null],
    ['  baselines, scoring, permutation importance', `${result.testRows} test`, foldRestS, null, null],
    [`Summarize: planRefit on every row (${candidateTrees} trees), depth ${refit.forest.maxDepth ?? '-'}`, `${set.rows.length}`, refitS, refitCpu, refitRss],
    [`TrainShard: ${range.to} trees, 1 thread`, `${set.rows.length}`, shardS[0], shardCpu[0], null],
    [`TrainShard: ${range.to} trees, 2 threads`, `${set.rows.length}`, shardS[1], shardCpu[1], shardRss],
    [
      `scikit-learn fold forest, n_jobs=1 (${sk?.library ?? 'skipped'})`,
      `${result.trainRows}`,
      sk?.fit_s ?? null,
      sk?.fit_cpu_s ?? null,
      sk?.peak_rss_mb ?? null,
    ],
  ];
  console.log('\nstep                                                          rows          wall s     CPU s   peak RSS MB (process so far)');
  for (const [step, rows, s, cpu, rss] of table) {
    console.log(`${step.padEnd(62)}${rows.padEnd(14)}${fmt(s).padStart(6)}  ${fmt(cpu).padStart(8)}   ${rss === null ? '' : rss.toFixed(0)}`);
  }
  const ratio = sk ? foldForestS / sk.fit_s : null;
  console.log(`\nriskfn fold forest / scikit-learn: ${ratio === null ? '-' : ratio.toFixed(2)} (riskfn's time also holds the fold's calibration and HAR fits)`);
  console.log('one run of each step (each takes minutes at 500 symbols): times are single runs, not medians');
  console.log(`load average (1 min) after the fold ${loadAtFold.toFixed(1)}, at the end ${loadavg()[0].toFixed(1)} (${cpus().length} cores)`);
  console.log(
    (globalThis as { gc?: unknown }).gc
      ? `largest live heap after a full GC (sampled after the build, the parse and every ${LIVE_HEAP_EVERY} trees of the fold; the GCs are inside the fold's time): ${liveHeapMb.toFixed(0)} MB`
      : 'run with NODE_OPTIONS=--expose-gc to also sample the live heap',
  );
  console.log(
    JSON.stringify({
      symbols: SYMBOLS,
      years: YEARS,
      trees: TREES,
      rows: set.rows.length,
      foldTrainRows: result.trainRows,
      calibrationRows: result.tuning?.validationRows ?? null,
      candidateFitRows,
      maxDepth,
      storedMb,
      buildS,
      serializeS,
      parseS,
      runFoldS,
      runFoldCpu,
      candidatesS,
      foldForestS,
      foldRestS,
      refitS,
      refitCpu,
      refitDepth: refit.forest.maxDepth ?? null,
      shard1S: shardS[0],
      shard2S: shardS[1],
      shard1Cpu: shardCpu[0],
      shard2Cpu: shardCpu[1],
      sklearnS: sk?.fit_s ?? null,
      sklearnCpu: sk?.fit_cpu_s ?? null,
      loadAverage: [loadAtFold, loadavg()[0]],
      peakRssMb: peakRssMb(),
      liveHeapMb: liveHeapMb || null,
    }),
  );
}

await main();
