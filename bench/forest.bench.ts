/**
 * Random forest benchmark: riskfn's forest against scikit-learn's
 * RandomForestClassifier(n_estimators=100, max_features="sqrt", n_jobs=1) on the same rows,
 * in one run. Data: generated classification (20 features: 6 informative, 4 redundant linear
 * mixes, 10 noise; 3 classes with 2 Gaussian clusters each; 3 % of labels flipped), 2,000 /
 * 20,000 / 100,000 rows, first 70 % for training.
 *
 *   npx tsx bench/forest.bench.ts            # medians of 3 / 3 / 1 runs
 *   npx tsx bench/forest.bench.ts --quick    # 2,000 and 20,000 rows, one run each
 *
 * Each library trains in its own child process so peak RSS is per size and per library.
 * Prediction time is the median of 3 predict calls on the test rows per training run.
 * scikit-learn needs Debian's python3-sklearn; the interpreter is $RISKFN_PYTHON, else the
 * first of python3, /usr/bin/python3 that imports sklearn (the bench skips it otherwise).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomForestModel, trainForest, trainForestAsync } from '../lib/domain/model/forest/index.ts';
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

/** Child process: riskfn on one data set; prints one JSON line. */
async function child(dir: string, reps: number): Promise<void> {
  const { meta, rows, labels } = readData(dir);
  const n = meta.train_rows;
  const Xtr = rows.slice(0, n);
  const ytr = labels.slice(0, n);
  const Xte = rows.slice(n);
  const yte = labels.slice(n);
  const train: number[] = [];
  const predict: number[] = [];
  const acc: number[] = [];
  let model: RandomForestModel | undefined;
  for (let rep = 0; rep < reps; rep++) {
    let t0 = performance.now();
    model = trainForest(Xtr, ytr, { nEstimators: 100, maxFeatures: 'sqrt', seed: rep });
    train.push((performance.now() - t0) / 1000);
    let pred: string[] = [];
    for (let k = 0; k < 3; k++) {
      t0 = performance.now();
      pred = model.predict(Xte);
      predict.push((performance.now() - t0) / 1000);
    }
    acc.push(pred.filter((p, i) => p === yte[i]).length / yte.length);
  }
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const json = JSON.stringify(model);
  let t0 = performance.now();
  const two = await trainForestAsync(Xtr, ytr, { nEstimators: 100, maxFeatures: 'sqrt', seed: reps - 1, threads: 2 });
  const train2 = (performance.now() - t0) / 1000;
  t0 = performance.now();
  RandomForestModel.load(JSON.parse(json));
  const loadS = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      library: 'riskfn',
      train_s: median(train),
      train_all_s: train,
      train_2threads_s: train2,
      two_threads_identical: JSON.stringify(two) === json,
      predict_s: median(predict),
      accuracy: median(acc),
      model_bytes: Buffer.byteLength(json),
      load_s: loadS,
      heap_mb: heapMb,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      nodes_per_tree: model!.trees.reduce((a, t) => a + t.nodeCount, 0) / model!.trees.length,
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], Number(args[2]));
  const quick = args.includes('--quick');
  const plan: [number, number][] = quick
    ? [
        [2_000, 1],
        [20_000, 1],
      ]
    : [
        [2_000, 3],
        [20_000, 3],
        [100_000, 1],
      ];
  const python = findPython();
  if (!python) console.log('scikit-learn not found (apt-get install python3-sklearn): riskfn only');
  const fmt = (x: number | undefined, d = 2) => (x === undefined ? '-' : x.toFixed(d));
  const results: { rows: number; reps: number; rf: Record<string, any>; sk: Record<string, any> | null }[] = [];
  for (const [rows, reps] of plan) {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-forest-bench-'));
    try {
      const { X, y } = generate(rows, 2026 + rows);
      const meta: Meta = { rows, train_rows: Math.round(rows * 0.7), features: FEATURES, classes: CLASSES };
      writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
      writeFileSync(join(dir, 'X.f64'), new Uint8Array(X.buffer));
      writeFileSync(join(dir, 'y.u8'), y);
      const rf = runJson(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', dir, String(reps)]);
      const sk = python ? runJson(python, [join(here, 'forest_reference.py'), dir, String(reps)]) : null;
      results.push({ rows, reps, rf, sk });
      console.log(`${rows} rows done (riskfn ${fmt(rf.train_s)} s, scikit-learn ${fmt(sk?.train_s)} s)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log(`\nRandom forest, 100 trees, max_features=sqrt (4 of 20), 3 classes, 70/30 split; medians (runs per size in brackets).`);
  console.log(`Node ${process.version}${results[0]?.sk ? `, ${results[0].sk.library}` : ''}.\n`);
  console.log('| rows | library | train s (1 thread) | train s (2 threads) | predict s | test accuracy | peak RSS MB | model MB |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { rows, reps, rf, sk } of results) {
    console.log(
      `| ${rows.toLocaleString('en')} [${reps}] | riskfn | ${fmt(rf.train_s)} | ${fmt(rf.train_2threads_s)} | ${fmt(rf.predict_s, 3)} | ${fmt(rf.accuracy, 3)} | ${fmt(rf.peak_rss_mb, 0)} | ${fmt(rf.model_bytes / 2 ** 20, 1)} |`,
    );
    if (sk)
      console.log(
        `| | scikit-learn | ${fmt(sk.train_s)} | ${fmt(sk.train_2threads_s)} | ${fmt(sk.predict_s, 3)} | ${fmt(sk.accuracy, 3)} | ${fmt(sk.peak_rss_mb, 0)} | ${fmt(sk.model_bytes / 2 ** 20, 1)} (pickle) |`,
      );
  }
  if (results.some((r) => r.sk)) {
    console.log('\n| rows | train ratio riskfn/sklearn | predict ratio | accuracy difference (points) | 2-thread model identical |');
    console.log('|---|---|---|---|---|');
    for (const { rows, rf, sk } of results) {
      if (!sk) continue;
      console.log(
        `| ${rows.toLocaleString('en')} | ${fmt(rf.train_s / sk.train_s)}x | ${fmt(rf.predict_s / sk.predict_s)}x | ${fmt(100 * (rf.accuracy - sk.accuracy), 1)} | ${rf.two_threads_identical ? 'yes' : 'NO'} |`,
      );
    }
  }
  console.log(
    `\nriskfn heap after training (MB): ${results.map((r) => `${r.rows}: ${fmt(r.rf.heap_mb, 0)}`).join(', ')}; nodes per tree: ${results.map((r) => `${r.rows}: ${fmt(r.rf.nodes_per_tree, 0)}`).join(', ')}`,
  );
  const target = results.find((r) => r.rows === 20_000);
  if (target?.sk) {
    const ok =
      target.rf.train_s <= 2 * target.sk.train_s && Math.abs(target.rf.accuracy - target.sk.accuracy) <= 0.01 && target.rf.predict_s <= target.sk.predict_s;
    console.log(`Target at 20,000 rows (train ≤ 2x, accuracy within 1 point, predict no slower): ${ok ? 'met' : 'NOT met'}`);
  }
}

await main();
