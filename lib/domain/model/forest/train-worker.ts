/**
 * Worker-thread entry for parallel training (see parallel.ts): builds trees [from, to),
 * reporting each finished tree, then posts them back, transferring their buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ShardJob, WorkerMessage } from './parallel.ts';
import { buildTrees } from './train.ts';

const port = parentPort!;
const job = workerData as ShardJob;
const tree: WorkerMessage = { kind: 'tree' };
const trees = buildTrees(job.matrix, job.params, job.seed, job.from, job.to, () => port.postMessage(tree));
const done: WorkerMessage = { kind: 'done', trees };
port.postMessage(done, trees.flatMap((t) => [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.counts.buffer]) as ArrayBuffer[]);
