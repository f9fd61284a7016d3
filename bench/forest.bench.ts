/**
 * Random forest benchmark: riskfn's forest (exact and histogram split search, 1 and 2 threads)
 * against scikit-learn's RandomForestClassifier(n_estimators=100, max_features="sqrt",
 * n_jobs=1 and 2) on the same rows, in one run. Data: generated classification (20 features:
 * 6 informative, 4 redundant linear mixes, 10 noise; 3 classes with 2 Gaussian clusters each;
 * 3 % of labels flipped), 2,000 / 20,000 / 100,000 rows, first 70 % for training.
 *
 *   npx tsx bench/forest.bench.ts            # 2,000 / 20,000 / 100,000 rows: 3 / 3 / 1 rounds
 *   npx tsx bench/forest.bench.ts --quick    # 2,000 and 20,000 rows: 3 rounds each
 *
 * One round = one riskfn child process (this file bundled with esbuild, as a Lambda runs riskfn:
 * worker threads start from the bundle) training the four riskfn variants, then one scikit-learn
 * child process training n_jobs=1 and n_jobs=2, each with seed = round index. Rounds alternate
 * the two libraries so that a change in machine load (the cores may be shared) hits both alike;
 * times are medians over rounds, ratios are of the medians. Train CPU s (all threads of the
 * process) shows what a second thread costs in work when a busy machine hides its wall-time gain. Prediction time is the median of 3
 * predict calls on the test rows. The load average is printed before and after each size.
 * scikit-learn needs Debian's python3-sklearn; the interpreter is $RISKFN_PYTHON, else the
 * first of python3, /usr/bin/python3 that imports sklearn (the bench skips it otherwise).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg as osLoadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { trainForestAsync } from '../lib/domain/model/forest/index.ts';
import { Xoshiro128 } from '../lib/util/prng.ts';

const here = dirname(fileURLToPath(import.meta.url));
const FEATURES = 20;
const CLASSES = ['a', 'b', 'c'];

interface Meta {
  rows: number;
  train_rows: number;
  features: number;
  classes: string[];
}

/** make_classification-like data, deterministic for a seed. */
function generate(rows: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const rng = new Xoshiro128(seed);
  const uni = () => rng.nextUint32() / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log((rng.nextUint32() + 1) / 4294967297)) * Math.cos(2 * Math.PI * uni());
  const INF = 6;
  const RED = 4;
  const clusters = CLASSES.length * 2;
  const centroids = Array.from({ length: clusters }, () => Array.from({ length: INF }, () => (uni() < 0.5 ? -1 : 1)));
  const mix = Array.from({ length: clusters }, () => Array.from({ length: INF * INF }, () => 2 * uni() - 1));
  const redundant = Array.from({ length: RED * INF }, () => 2 * uni() - 1);
  const X = new Float64Array(rows * FEATURES);
  const y = new Uint8Array(rows);
  const z = new Float64Array(INF);
  for (let i = 0; i < rows; i++) {
    const c = i % clusters;
    const cls = c % CLASSES.length;
    for (let j = 0; j < INF; j++) z[j] = gauss();
    const o = i * FEATURES;
    for (let j = 0; j < INF; j++) {
      let v = centroids[c][j];
      for (let k = 0; k < INF; k++) v += mix[c][j * INF + k] * z[k];
      X[o + j] = v;
    }
    for (let r = 0; r < RED; r++) {
      let v = 0;
      for (let j = 0; j < INF; j++) v += redundant[r * INF + j] * X[o + j];
      X[o + INF + r] = v;
    }
    for (let j = INF + RED; j < FEATURES; j++) X[o + j] = gauss();
    y[i] = uni() < 0.03 ? Math.floor(uni() * CLASSES.length) : cls;
  }
  // shuffle rows (clusters were assigned round-robin)
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    for (let f = 0; f < FEATURES; f++) {
      const t = X[i * FEATURES + f];
      X[i * FEATURES + f] = X[j * FEATURES + f];
      X[j * FEATURES + f] = t;
    }
    const t = y[i];
    y[i] = y[j];
    y[j] = t;
  }
  return { X, y };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function readData(dir: string): { meta: Meta; rows: Float64Array[]; labels: string[] } {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
  const buf = readFileSync(join(dir, 'X.f64'));
  const X = new Float64Array(buf.buffer, buf.byteOffset, meta.rows * meta.features);
  const y = readFileSync(join(dir, 'y.u8'));
  const rows = Array.from({ length: meta.rows }, (_, i) => X.subarray(i * meta.features, (i + 1) * meta.features));
  return { meta, rows, labels: Array.from(y, (c) => meta.classes[c]) };
}

/** The riskfn variants, in the order each round trains them. */
const VARIANTS = [
  { name: 'exact', splitSearch: 'exact', threads: 1 },
  { name: 'exact', splitSearch: 'exact', threads: 2 },
  { name: 'histogram', splitSearch: 'histogram', threads: 1 },
  { name: 'histogram', splitSearch: 'histogram', threads: 2 },
] as const;

/** One measurement of one variant (riskfn) or one n_jobs (scikit-learn). */
interface Run {
  train_s: number;
  /** CPU seconds of the whole process (all threads) while training. */
  train_cpu_s: number;
  predict_s: number;
  accuracy: number;
  model_bytes: number;
  nodes_per_tree?: number;
}

/** Child process: one round of riskfn on one data set (seed = round); prints one JSON line. */
async function child(dir: string, seed: number): Promise<void> {
  const { meta, rows, labels } = readData(dir);
  const n = meta.train_rows;
  const Xtr = rows.slice(0, n);
  const ytr = labels.slice(0, n);
  const Xte = rows.slice(n);
  const yte = labels.slice(n);
  const runs: Record<string, Run> = {};
  const json: Record<string, string> = {};
  for (const v of VARIANTS) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const model = await trainForestAsync(Xtr, ytr, { nEstimators: 100, maxFeatures: 'sqrt', seed, splitSearch: v.splitSearch, threads: v.threads });
    const train_s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const train_cpu_s = (cpu.user + cpu.system) / 1e6;
    const predict: number[] = [];
    let pred: string[] = [];
    for (let k = 0; k < 3; k++) {
      const p0 = performance.now();
      pred = model.predict(Xte);
      predict.push((performance.now() - p0) / 1000);
    }
    json[`${v.name}/${v.threads}`] = JSON.stringify(model);
    runs[`${v.name}/${v.threads}`] = {
      train_s,
      train_cpu_s,
      predict_s: median(predict),
      accuracy: pred.filter((p, i) => p === yte[i]).length / yte.length,
      model_bytes: Buffer.byteLength(json[`${v.name}/${v.threads}`]),
      nodes_per_tree: model.trees.reduce((a, t) => a + t.nodeCount, 0) / model.trees.length,
    };
  }
  console.log(
    JSON.stringify({
      runs,
      two_threads_identical: json['exact/1'] === json['exact/2'] && json['histogram/1'] === json['histogram/2'],
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

function findPython(): string | null {
  const candidates = [process.env.RISKFN_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

function runJson(cmd: string, args: string[]): Record<string, any> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line);
}

/** The 1-, 5- and 15-minute load averages. */
const loadavg = () =>
  osLoadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Appends one round's runs to the runs so far, per variant. */
function collect(into: Record<string, Run[]>, round: Record<string, Run>): void {
  for (const [k, run] of Object.entries(round)) {
    into[k] = [...(into[k] ?? []), run];
  }
}

interface SizeResult {
  rows: number;
  rounds: number;
  load: [string, string];
  riskfn: Record<string, Run[]>;
  sklearn: Record<string, Run[]> | null;
  identical: boolean;
  rssRiskfn: number;
  rssSklearn: number | null;
  sklearnVersion: string | null;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], Number(args[2]));
  const quick = args.includes('--quick');
  const plan: [number, number][] = quick
    ? [
        [2_000, 3],
        [20_000, 3],
      ]
    : [
        [2_000, 3],
        [20_000, 3],
        [100_000, 1],
      ];
  // riskfn runs as the Lambdas run it: one esbuild bundle (so worker threads start from the bundle,
  // not from TypeScript sources through tsx).
  const bundleDir = mkdtempSync(join(tmpdir(), 'riskfn-forest-bench-bundle-'));
  const bundle = join(bundleDir, 'forest-bench.mjs');
  // esbuild is imported here only: the bundle (which never runs this part) leaves it external.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['esbuild'],
    logLevel: 'error',
  });
  const python = findPython();
  if (!python) console.log('scikit-learn not found (apt-get install python3-sklearn): riskfn only');
  process.on('exit', () => rmSync(bundleDir, { recursive: true, force: true }));
  const fmt = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
  const results: SizeResult[] = [];
  for (const [rows, rounds] of plan) {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-forest-bench-'));
    try {
      const { X, y } = generate(rows, 2026 + rows);
      const meta: Meta = { rows, train_rows: Math.round(rows * 0.7), features: FEATURES, classes: CLASSES };
      writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
      writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer));
      writeFileSync(join(dir, 'y.u8'), y);
      const res: SizeResult = {
        rows,
        rounds,
        load: [loadavg(), ''],
        riskfn: {},
        sklearn: python ? {} : null,
        identical: true,
        rssRiskfn: 0,
        rssSklearn: null,
        sklearnVersion: null,
      };
      for (let round = 0; round < rounds; round++) {
        const rf = runJson(process.execPath, [bundle, '--child', dir, String(round)]);
        collect(res.riskfn, rf.runs);
        res.identical &&= rf.two_threads_identical;
        res.rssRiskfn = Math.max(res.rssRiskfn, rf.peak_rss_mb);
        if (python && res.sklearn) {
          const sk = runJson(python, [join(here, 'forest_reference.py'), dir, String(round)]);
          collect(res.sklearn, sk.runs);
          res.rssSklearn = Math.max(res.rssSklearn ?? 0, sk.peak_rss_mb);
          res.sklearnVersion = sk.library;
        }
      }
      res.load[1] = loadavg();
      results.push(res);
      console.log(`${rows} rows done (load average ${res.load[0]} → ${res.load[1]})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const med = (runs: Run[] | undefined, key: keyof Run) => (runs ? median(runs.map((r) => r[key] as number)) : Number.NaN);
  console.log(`\nRandom forest, 100 trees, max_features=sqrt (4 of 20), 3 classes, 70/30 split; medians over rounds (in brackets).`);
  console.log(`Node ${process.version}${results[0]?.sklearnVersion ? `, ${results[0].sklearnVersion}` : ''}, ${cpus().length} CPUs.\n`);
  console.log('| rows | library / variant | threads (n_jobs) | train s | train CPU s | predict s | test accuracy | model MB |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const label = `${r.rows.toLocaleString('en')} [${r.rounds}]`;
    let first = true;
    const line = (lib: string, threads: number, runs: Run[] | undefined, unit: string) => {
      console.log(
        `| ${first ? label : ''} | ${lib} | ${threads} | ${fmt(med(runs, 'train_s'))} | ${fmt(med(runs, 'train_cpu_s'))} | ${fmt(med(runs, 'predict_s'), 3)} | ${fmt(med(runs, 'accuracy'), 3)} | ${fmt(med(runs, 'model_bytes') / 2 ** 20, 1)}${unit} |`,
      );
      first = false;
    };
    for (const v of VARIANTS) line(`riskfn ${v.name}`, v.threads, r.riskfn[`${v.name}/${v.threads}`], '');
    if (r.sklearn) for (const j of [1, 2]) line('scikit-learn', j, r.sklearn[`n_jobs=${j}`], ' (pickle)');
  }
  if (results.some((r) => r.sklearn)) {
    console.log('\nTrain-time ratios riskfn / scikit-learn (1 thread vs n_jobs=1, 2 threads vs n_jobs=2) and accuracy difference in points:\n');
    console.log(
      '| rows | exact, 1 | exact, 2 | histogram, 1 | histogram, 2 | accuracy exact | accuracy histogram | 2-thread models identical | load average before → after |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      if (!r.sklearn) continue;
      const sk = (j: number) => med(r.sklearn![`n_jobs=${j}`], 'train_s');
      const ratio = (k: string, j: number) => `${fmt(med(r.riskfn[k], 'train_s') / sk(j))}x`;
      const acc = (k: string) => fmt(100 * (med(r.riskfn[k], 'accuracy') - med(r.sklearn!['n_jobs=1'], 'accuracy')), 1);
      console.log(
        `| ${r.rows.toLocaleString('en')} | ${ratio('exact/1', 1)} | ${ratio('exact/2', 2)} | ${ratio('histogram/1', 1)} | ${ratio('histogram/2', 2)} | ${acc('exact/1')} | ${acc('histogram/1')} | ${r.identical ? 'yes' : 'NO'} | ${r.load[0]} → ${r.load[1]} |`,
      );
    }
  }
  console.log(
    `\nNodes per tree (exact / histogram): ${results.map((r) => `${r.rows}: ${fmt(med(r.riskfn['exact/1'], 'nodes_per_tree'), 0)} / ${fmt(med(r.riskfn['histogram/1'], 'nodes_per_tree'), 0)}`).join(', ')}; peak RSS MB riskfn / scikit-learn: ${results.map((r) => `${r.rows}: ${fmt(r.rssRiskfn, 0)} / ${fmt(r.rssSklearn ?? Number.NaN, 0)}`).join(', ')}`,
  );
  const target = results.find((r) => r.rows === 20_000);
  if (target?.sklearn) {
    const t = (k: string) => med(target.riskfn[k], 'train_s');
    const sk = (j: number) => med(target.sklearn![`n_jobs=${j}`], 'train_s');
    const accOk = (k: string) => Math.abs(med(target.riskfn[k], 'accuracy') - med(target.sklearn!['n_jobs=1'], 'accuracy')) <= 0.01;
    for (const name of ['exact', 'histogram']) {
      const ok1 = t(`${name}/1`) <= 0.5 * sk(1) && accOk(`${name}/1`);
      const ok2 = t(`${name}/2`) <= 0.7 * sk(2);
      console.log(
        `Target at 20,000 rows, ${name}: 1 thread ≤ 0.5x n_jobs=1 with accuracy within 1 point: ${ok1 ? 'met' : 'NOT met'}; 2 threads ≤ 0.7x n_jobs=2: ${ok2 ? 'met' : 'NOT met'}`,
      );
    }
  }
}

// Forest worker threads evaluate this file's bundle too (that is how they find their code): only
// the main thread runs the benchmark.
if (isMainThread) await main();
