import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateMachine } from 'aws-local-stepfunctions';
import { ensurePromiseWithResolvers } from '../../../lib/local/step-functions/promise-with-resolvers.ts';

const oneTask = {
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', End: true } },
};
const run = (sm: StateMachine) =>
  sm.run({ x: 1 }, { overrides: { taskResourceLocalHandlers: { Work: async (i: unknown) => ({ y: (i as { x: number }).x + 1 }) } } }).result;

test('without Promise.withResolvers a Task state fails (the defect on Node 20)', async () => {
  const saved = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');
  delete (Promise as unknown as Record<string, unknown>).withResolvers;
  try {
    await assert.rejects(run(new StateMachine(oneTask as never)), /withResolvers/);
  } finally {
    if (saved) Object.defineProperty(Promise, 'withResolvers', saved);
  }
});

test('with the polyfill the same Task state runs', async () => {
  const saved = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');
  delete (Promise as unknown as Record<string, unknown>).withResolvers;
  try {
    ensurePromiseWithResolvers();
    assert.deepEqual(await run(new StateMachine(oneTask as never)), { y: 2 });
    const { promise, resolve } = (Promise as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void } }).withResolvers<number>();
    resolve(7);
    assert.equal(await promise, 7);
  } finally {
    if (saved) Object.defineProperty(Promise, 'withResolvers', saved);
    else ensurePromiseWithResolvers();
  }
});
