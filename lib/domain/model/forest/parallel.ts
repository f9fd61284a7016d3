/**
 * Training on several threads: the calling thread and `threads − 1` worker threads share the
 * training matrix (SharedArrayBuffers, not copied per worker) and a tree counter; each thread
 * claims the next unbuilt tree until none are left, so a thread that starts late (a worker
 * loading its code) or runs on a busier core simply builds fewer trees. Tree t is built with
 * the seed derived from (forest seed, t) wherever it runs, and trees are put back in tree order,
 * so the model is byte-identical to a one-thread run.
 *
 * A worker runs this module's own file (see train-worker.ts): parallel.ts from TypeScript
 * sources (registering tsx in the worker first), or the bundle that contains this code, so it
 * also works in a bundled Lambda. Workers are started before the training matrix is built and
 * receive their job as a message, so loading their code overlaps the calling thread's work.
 * When no tree is left to claim, the calling thread also builds the trees workers have claimed
 * but not delivered (whichever copy comes first is kept), so it never waits on a slow or failed
 * worker: same model either way.
 */
import { Worker } from 'node:worker_threads';
import type { FlatTree } from './flat-tree.ts';
import { buildForestTree } from './train.ts';
import { claimTrees, type TreeJob, WORKER_KEY, type WorkerMessage } from './train-worker.ts';
import type { TrainingMatrix } from './training-data.ts';
import type { TreeParams } from './tree-builder.ts';

/** [from, to) ranges of nearly equal size covering 0..n. */
export function shardRanges(n: number, shards: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < shards; s++) out.push([Math.floor((s * n) / shards), Math.floor(((s + 1) * n) / shards)]);
  return out;
}

function shared<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** The matrix on shared memory, so workers read it without a copy each. */
function sharedMatrix(m: TrainingMatrix): TrainingMatrix {
  const { bins } = m;
  return {
    ...m,
    values: shared(m.values),
    y: shared(m.y),
    order: shared(m.order),
    rank: shared(m.rank),
    bins: bins && { codes: shared(bins.codes), low: shared(bins.low), high: shared(bins.high) },
  };
}

/** This module's file: a worker evaluates it (or the bundle holding it) to run train-worker.ts. */
const WORKER_ENTRY = import.meta.url;

/**
 * Bootstrap evaluated in the worker: when running from TypeScript sources, worker threads do
 * not inherit the parent's tsx loader, so it registers tsx (if installed) before importing
 * the entry; JavaScript entries (a bundle) are imported directly. Dynamic imports only: the
 * script is CommonJS by default but ESM when the process runs with `--input-type=module`.
 */
const BOOTSTRAP = `
import('node:worker_threads').then(async ({ workerData }) => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
}).catch((err) => { setImmediate(() => { throw err; }); });
`;

function tsxApi(): string | null {
  if (!WORKER_ENTRY.endsWith('.ts')) return null;
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
}

/**
 * A worker thread started before its job is known, so that it loads its code while the calling
 * thread validates and sorts the rows.
 */
export interface ForestWorker {
  /** Sends `job`; settles when the worker has no more trees to claim (rejects if it failed). */
  run(job: TreeJob, onTree: (index: number, tree: FlatTree) => void): Promise<void>;
  /** Ends the worker at once, whatever it is doing. */
  stop(): void;
}

function startWorker(): ForestWorker {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { [WORKER_KEY]: true, entry: WORKER_ENTRY, tsxApi: tsxApi() } });
  let onTree: (index: number, tree: FlatTree) => void = () => {};
  let settle: { resolve(): void; reject(err: Error): void } | null = null;
  let failure: Error | null = null;
  let finished = false;
  const fail = (err: Error) => {
    if (finished) return;
    finished = true;
    failure = err;
    settle?.reject(err);
  };
  worker.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'tree') {
      onTree(msg.index, msg.tree);
      return;
    }
    finished = true;
    settle?.resolve();
    // In a bundle the worker also evaluated the rest of the bundle (e.g. a Lambda handler's
    // setup), which may keep its event loop alive: it has done its work, so end it.
    void worker.terminate();
  });
  worker.once('error', fail);
  worker.once('exit', (code) => fail(new Error(`forest worker exited with code ${code} before finishing`)));
  return {
    run(job, cb) {
      onTree = cb;
      return new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        settle = { resolve, reject };
        // Queued until the worker listens for it.
        worker.postMessage(job);
      });
    },
    stop: () => void worker.terminate(),
  };
}

/** Starts `count` worker threads (see {@link ForestWorker}). */
export function startWorkers(count: number): ForestWorker[] {
  return Array.from({ length: Math.max(0, count) }, startWorker);
}

/**
 * Starts the workers that `threads` threads need for `trees` trees (none for one thread), then
 * runs `prepare` on this thread while they load their code; stops them if `prepare` throws.
 */
export function prepareWithWorkers<T>(threads: number, trees: number, prepare: () => T): { workers: ForestWorker[]; prepared: T } {
  const workers = startWorkers(Math.min(threads, trees) - 1);
  try {
    return { workers, prepared: prepare() };
  } catch (err) {
    for (const w of workers) w.stop();
    throw err;
  }
}

/**
 * Runs `job` in a new worker thread (exported for tests: proves the thread path works); `onTree`
 * receives each tree the worker builds, as it arrives. Resolves when the worker has no more
 * trees to claim; rejects if it fails or exits early (trees already passed to `onTree` stay valid).
 */
export function runWorker(job: TreeJob, onTree: (index: number, tree: FlatTree) => void): Promise<void> {
  return startWorker().run(job, onTree);
}

/** The trees of a threaded run, and how many of them worker threads built (the rest: the calling thread). */
export interface ShardedTrees {
  trees: FlatTree[];
  workerTrees: number;
}

/**
 * Builds trees [from, to) of the forest on the calling thread and `workers` (from
 * {@link startWorkers}, which this stops when done); `onTree` is called once per tree as it
 * finishes, on whichever thread it was built.
 */
export async function trainSharded(
  m: TrainingMatrix,
  params: TreeParams,
  seed: number,
  range: { from: number; to: number },
  workers: ForestWorker[],
  onTree?: () => void,
): Promise<ShardedTrees> {
  const { from, to } = range;
  const job: TreeJob = { matrix: sharedMatrix(m), params, seed, from, to, next: new Int32Array(new SharedArrayBuffer(4)) };
  const trees: (FlatTree | undefined)[] = new Array(to - from);
  let workerTrees = 0;
  // Each tree counts once, from whichever thread delivers it first (they are identical).
  const add = (t: number, tree: FlatTree, byWorker: boolean) => {
    if (trees[t - from]) return;
    trees[t - from] = tree;
    if (byWorker) workerTrees++;
    onTree?.();
  };
  for (const w of workers) w.run(job, (index, tree) => add(index, tree, true)).catch(() => undefined); // a failed worker's trees are built below
  claimTrees(job, (t) => add(t, buildForestTree(m, params, seed, t), false));
  // Nothing left to claim. Trees still missing are being built by a worker (or were claimed by a
  // worker that failed). Rather than wait, build them here too and keep whichever arrives first:
  // a worker's first trees run before the JIT has optimised the builder, so on small data one of
  // them can take longer than all of this thread's trees. Yielding once lets delivered trees in.
  for (let t = from; t < to; t++) {
    if (trees[t - from]) continue;
    await new Promise((resolve) => setImmediate(resolve));
    if (!trees[t - from]) add(t, buildForestTree(m, params, seed, t), false);
  }
  for (const w of workers) w.stop();
  return { trees: trees as FlatTree[], workerTrees };
}
