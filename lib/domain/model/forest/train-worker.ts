/**
 * Worker-thread entry for parallel training (see parallel.ts): builds trees [from, to) and
 * posts them back, transferring their buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ShardJob } from './parallel.ts';
import { buildTrees } from './train.ts';

const job = workerData as ShardJob;
const trees = buildTrees(job.matrix, job.params, job.seed, job.from, job.to);
parentPort!.postMessage(
  trees,
  trees.flatMap((t) => [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.counts.buffer]) as ArrayBuffer[],
);
