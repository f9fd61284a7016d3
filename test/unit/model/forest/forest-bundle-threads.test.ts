/**
 * Worker threads work inside a Lambda bundle: the shard-training function bundled with esbuild the
 * way the stack bundles it (LAMBDA_BUNDLING: one ESM file, minified, AWS SDK included) starts its
 * forest workers on the bundle itself (no separate worker file exists next to it), and a worker
 * really builds trees there, identical to the calling thread's.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { spawnAsync } from '../../../helpers/riskfn-async.ts';

const ROOT = join(import.meta.dirname, '../../../..');

// The bundle's entry: the real TrainShard handler (so the bundle holds what the deployed function
// holds, side effects included), plus what the child below calls.
const ENTRY = `
export { handler } from './functions/training/train-shard.ts';
export { trainForestShard, trainForestShardAsync } from './lib/domain/model/forest/index.ts';
export { runWorker } from './lib/domain/model/forest/parallel.ts';
export { buildTrainingMatrix } from './lib/domain/model/forest/training-data.ts';
export { buildTrees, treeParams } from './lib/domain/model/forest/train.ts';
export { resolveForestOptions } from './lib/domain/model/forest/options.ts';
export { makeClassification } from './test/unit/model/forest/synthetic-data.ts';
`;

// Runs in a fresh node process on the bundle, as Lambda would load it.
const CHILD = `
const m = await import(process.argv[1]);
const d = m.makeClassification(300, 6, 5);
const options = { nEstimators: 8, seed: 3, splitSearch: 'histogram' };
const one = JSON.stringify(m.trainForestShard(d.X, d.y, options, { from: 2, to: 8 }));
const two = JSON.stringify(await m.trainForestShardAsync(d.X, d.y, { ...options, threads: 2 }, { from: 2, to: 8 }));
// A worker alone (the calling thread claims nothing): every tree it delivers was built in the
// worker. (With two threads on data this small the calling thread may build every tree first.)
const { matrix } = m.buildTrainingMatrix(d.X, d.y, true);
const params = m.treeParams(m.resolveForestOptions(options), matrix.features);
const fromWorker = [];
await m.runWorker({ matrix, params, seed: 3, from: 2, to: 8, next: new Int32Array(new SharedArrayBuffer(4)) }, (index, tree) => fromWorker.push([index, tree]));
const here = m.buildTrees(matrix, params, 3, 2, 8);
console.log(JSON.stringify({
  identical: one === two,
  workerIndices: fromWorker.map(([i]) => i),
  workerTreesEqual: JSON.stringify(fromWorker.map(([, t]) => t)) === JSON.stringify(here),
}));
`;

describe('forest worker threads in the bundled Lambda', () => {
  let dir: string;
  let bundle: string;
  before(async () => {
    const { esbuildLikeLambda } = await import('../../../../lib/infra/defaults/lambda-defaults.ts');
    dir = mkdtempSync(join(tmpdir(), 'riskfn-forest-bundle-'));
    bundle = join(dir, 'index.mjs');
    await build({ ...esbuildLikeLambda(bundle), stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' } });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a worker thread builds trees from the bundle itself; two threads give the one-thread shard', async () => {
    assert.deepEqual(readdirSync(dir).sort(), ['index.mjs', 'index.mjs.map']); // no worker file beside it
    const r = await spawnAsync(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(bundle).href], {
      cwd: dir,
      env: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_METRICS_DISABLED: 'true' },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.deepEqual(out, { identical: true, workerIndices: [2, 3, 4, 5, 6, 7], workerTreesEqual: true });
  });
});
