/**
 * TrainShard's thread count comes from FOREST_THREADS (the stack sets 2 on that function only):
 * unset means one thread, as in the local stack and the tests; anything but a positive integer
 * is refused with the variable's name, instead of training on a surprising number of threads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsTrainingDependencies } from '../../../functions/training/dependencies.ts';

function withEnv<T>(value: string | undefined, run: () => T): T {
  const saved = process.env.FOREST_THREADS;
  if (value === undefined) delete process.env.FOREST_THREADS;
  else process.env.FOREST_THREADS = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.FOREST_THREADS;
    else process.env.FOREST_THREADS = saved;
  }
}

test('FOREST_THREADS: unset or empty is 1, a positive integer is taken, anything else is refused', () => {
  assert.equal(
    withEnv(undefined, () => awsTrainingDependencies().forestThreads),
    1,
  );
  assert.equal(
    withEnv('', () => awsTrainingDependencies().forestThreads),
    1,
  );
  assert.equal(
    withEnv('2', () => awsTrainingDependencies().forestThreads),
    2,
  );
  for (const bad of ['0', '-1', '1.5', 'two']) {
    assert.throws(() => withEnv(bad, () => awsTrainingDependencies()), new RegExp(`FOREST_THREADS must be a positive integer, got '${bad}'`), bad);
  }
});
