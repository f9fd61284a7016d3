/**
 * The worker-thread side of parallel training (parallel.ts starts the workers): a worker claims
 * tree indices from a counter shared with the other threads until none are left, posts each
 * tree as it finishes (transferring its buffers), then posts `done`.
 *
 * The worker serves when this module is evaluated in a worker thread whose workerData carries
 * {@link WORKER_KEY}: it waits for its job as the first message (the calling thread starts workers
 * before it has prepared the rows). parallel.ts imports this module and starts each worker on its OWN
 * module URL: from TypeScript sources that is parallel.ts (which imports this file), in a bundle
 * (a Lambda's index.mjs) it is the bundle itself, which holds this code. So workers need no
 * separate file next to the bundle. Any other thread evaluates nothing here.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { FlatTree } from './flat-tree.ts';
import { buildForestTree } from './train.ts';
import type { TrainingMatrix } from './training-data.ts';
import type { TreeParams } from './tree-builder.ts';

/** workerData property that marks a forest worker; its {@link TreeJob} comes as the first message. */
export const WORKER_KEY = 'riskfnForestWorker';

/** What a worker builds: trees [from, to) of the forest, claimed one at a time through `next`. */
export interface TreeJob {
  matrix: TrainingMatrix;
  params: TreeParams;
  seed: number;
  from: number;
  to: number;
  /**
   * Shared claim counter (one Int32 on a SharedArrayBuffer): the next tree is `from` + the
   * value before an atomic increment. Shared by every thread of one training run.
   */
  next: Int32Array;
}

/** Messages a worker posts: each finished tree with its index, then `done`. */
export type WorkerMessage = { kind: 'tree'; index: number; tree: FlatTree } | { kind: 'done' };

/** Claims trees of `job` until none are left, calling `build(t)` for each claimed index t. */
export function claimTrees(job: Pick<TreeJob, 'from' | 'to' | 'next'>, build: (t: number) => void): void {
  for (let t = job.from + Atomics.add(job.next, 0, 1); t < job.to; t = job.from + Atomics.add(job.next, 0, 1)) build(t);
}

function serve(job: TreeJob): void {
  const port = parentPort!;
  claimTrees(job, (index) => {
    const tree = buildForestTree(job.matrix, job.params, job.seed, index);
    const message: WorkerMessage = { kind: 'tree', index, tree };
    port.postMessage(message, [tree.feature.buffer, tree.threshold.buffer, tree.left.buffer, tree.right.buffer, tree.counts.buffer] as ArrayBuffer[]);
  });
  const done: WorkerMessage = { kind: 'done' };
  port.postMessage(done);
}

if (!isMainThread && workerData?.[WORKER_KEY]) parentPort!.once('message', (job: TreeJob) => serve(job));
