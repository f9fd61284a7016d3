/**
 * Training on several threads: the trees are cut into contiguous shards; the calling thread
 * builds the first shard while worker threads build the others from the same presorted
 * matrix (shared memory, not copied per worker). Tree t is built with the seed derived from
 * (forest seed, t) wherever it runs, and the shards are concatenated in tree order, so the
 * model is byte-identical to a one-thread run.
 *
 * The worker runs `train-worker.ts` (registering tsx first when running from TypeScript
 * sources). If a worker cannot start (e.g. in a bundle without that file), its shard is built
 * on the calling thread instead: slower, same model.
 */
import { Worker } from 'node:worker_threads';
import type { FlatTree } from './flat-tree.ts';
import { buildTrees } from './train.ts';
import type { TrainingMatrix } from './training-data.ts';
import type { TreeParams } from './tree-builder.ts';

/** Messages a worker posts: one `tree` per finished tree, then `done` with the shard's trees. */
export type WorkerMessage = { kind: 'tree' } | { kind: 'done'; trees: FlatTree[] };

/** Message a worker receives (workerData). */
export interface ShardJob {
  matrix: TrainingMatrix;
  params: TreeParams;
  seed: number;
  from: number;
  to: number;
}

/** [from, to) ranges of nearly equal size covering 0..n. */
export function shardRanges(n: number, shards: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < shards; s++) out.push([Math.floor((s * n) / shards), Math.floor(((s + 1) * n) / shards)]);
  return out;
}

function shared<T extends Float64Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

const WORKER_ENTRY = new URL('./train-worker.ts', import.meta.url);

/**
 * Bootstrap evaluated in the worker: when running from TypeScript sources, worker threads do
 * not inherit the parent's tsx loader, so it registers tsx (if installed) before importing
 * the entry; compiled JavaScript entries are imported directly.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((err) => { setImmediate(() => { throw err; }); });
`;

function tsxApi(): string | null {
  if (!WORKER_ENTRY.pathname.endsWith('.ts')) return null;
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
}

/**
 * Runs one shard in a worker thread (exported for tests: proves the thread path works);
 * `onTree` is called as each of its trees finishes.
 */
export function runWorker(job: ShardJob, onTree?: () => void): Promise<FlatTree[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...job, entry: WORKER_ENTRY.href, tsxApi: tsxApi() } });
    let done = false;
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.kind === 'tree') {
        onTree?.();
        return;
      }
      done = true;
      resolve(msg.trees);
    });
    worker.once('error', (err) => {
      done = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`forest worker exited with code ${code} before sending its trees`));
    });
  });
}

/**
 * Builds the forest's `nTrees` trees on `threads` threads; `onTree` is called once per tree as
 * it finishes, on whichever thread it was built (also when a failed worker's shard is rebuilt here).
 */
export async function trainSharded(
  m: TrainingMatrix,
  params: TreeParams,
  seed: number,
  nTrees: number,
  threads: number,
  onTree?: () => void,
): Promise<FlatTree[]> {
  const ranges = shardRanges(nTrees, Math.min(threads, nTrees));
  const matrix: TrainingMatrix = {
    ...m,
    values: shared(m.values),
    y: shared(m.y),
    order: shared(m.order),
    rank: shared(m.rank),
  };
  const pending = ranges.slice(1).map(([from, to]) => {
    let reported = 0;
    const tick = () => {
      reported++;
      onTree?.();
    };
    // A worker that fails after reporting some trees: only the trees it did not report count again.
    const retick = () => {
      if (reported > 0) reported--;
      else onTree?.();
    };
    return runWorker({ matrix, params, seed, from, to }, tick).catch(() => buildTrees(m, params, seed, from, to, retick));
  });
  const first = buildTrees(m, params, seed, ranges[0][0], ranges[0][1], onTree);
  const rest = await Promise.all(pending);
  return [first, ...rest].flat();
}
