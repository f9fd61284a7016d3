/**
 * The compaction handler with in-memory dependencies: input validation, what it asks the
 * compactor for, the metrics and the result, and how failed partitions fail the invocation
 * after the others were reported. Compaction against S3 is test/integration/compaction*.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompactionFailedError, createCompactHandler } from '../../../functions/compact.ts';
import type { CompactionRun, Partition, PartitionCompaction } from '../../../lib/adapters/s3/lake-compactor.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { silentLogger } from '../api/fixtures.ts';

const done = (symbol: string, year: number, over: Partial<PartitionCompaction> = {}): PartitionCompaction => ({
  symbol,
  year,
  status: 'compacted',
  key: `curated/prices/year=${year}/${symbol}.parquet`,
  objectsFolded: 3,
  bars: 250,
  corruptObjects: [],
  conflicts: 0,
  ...over,
});

function harness(run: CompactionRun) {
  const calls: (Partition[] | undefined)[] = [];
  const emitted: Record<string, number> = {};
  let published = 0;
  const add = (name: string) => (n: number) => {
    emitted[name] = (emitted[name] ?? 0) + n;
  };
  const handler = createCompactHandler({
    logger: silentLogger(),
    now: () => new Date('2026-11-30T10:00:00Z'),
    compact: async (partitions) => {
      calls.push(partitions);
      return run;
    },
    metrics: {
      objectsCompacted: add('objectsCompacted'),
      barsCompacted: add('barsCompacted'),
      corruptObjects: add('corruptObjects'),
      publish: () => void published++,
    },
  });
  const invoke = (event: unknown) => handler(event, createLambdaContext({ functionName: 'riskfn-compact-test', timeoutMs: 60_000 }));
  return { invoke, calls, emitted, published: () => published };
}

const RUN: CompactionRun = {
  partitions: [
    done('DAX', 2023),
    done('DAX', 2024, { objectsFolded: 2, bars: 10, corruptObjects: ['staging/prices/symbol=DAX/shardId-000000000000-7-2024.parquet'], conflicts: 1 }),
    done('SMI', 2024, { status: 'empty', objectsFolded: 0, bars: 40 }),
  ],
  failed: [],
  objectsCompacted: 5,
  barsCompacted: 260,
  corruptObjects: 1,
};

test('{} compacts every staged partition and reports the counts as metrics and result', async () => {
  const h = harness(RUN);
  const out = await h.invoke({});
  assert.deepEqual(h.calls, [undefined]);
  assert.deepEqual(out, { partitions: 2, objectsCompacted: 5, barsCompacted: 260, corruptObjects: 1, conflicts: 1 });
  assert.deepEqual(h.emitted, { objectsCompacted: 5, barsCompacted: 260, corruptObjects: 1 });
  assert.equal(h.published(), 1);
});

test('named partitions are passed on, symbols upper-cased', async () => {
  const h = harness(RUN);
  await h.invoke({ partitions: [{ symbol: 'dax', year: 2024 }] });
  assert.deepEqual(h.calls, [[{ symbol: 'DAX', year: 2024 }]]);
});

test('an invalid input is refused before anything is compacted', async () => {
  for (const event of [
    { partitions: [{ symbol: 'DAX', year: 1850 }] },
    { partitions: [{ symbol: '..', year: 2024 }] },
    { partitions: [{ symbol: 'A/B', year: 2024 }] },
    { symbols: ['DAX'] },
  ]) {
    const h = harness(RUN);
    await assert.rejects(h.invoke(event), { name: 'ZodError' }, JSON.stringify(event));
    assert.equal(h.calls.length, 0);
  }
});

test('failed partitions fail the invocation, after the metrics of the partitions done were published', async () => {
  const h = harness({ ...RUN, failed: [{ symbol: 'FTSE', year: 2022, error: new Error('lost the conditional commit 8 times') }] });
  await assert.rejects(h.invoke({}), (err: Error) => {
    assert.ok(err instanceof CompactionFailedError);
    assert.match(err.message, /1 partition\(s\) not compacted \(FTSE 2022\): lost the conditional commit/);
    return true;
  });
  assert.deepEqual(h.emitted, { objectsCompacted: 5, barsCompacted: 260, corruptObjects: 1 });
  assert.equal(h.published(), 1);
});

test('the compaction lag: how long the oldest staged bar waited, to the end of the run, through the runtime emitter; nothing when nothing was staged', async () => {
  const emitted: unknown[] = [];
  const handler = (run: CompactionRun) =>
    createCompactHandler({
      logger: silentLogger(),
      now: () => new Date('2026-11-30T10:00:00Z'),
      compact: async () => run,
      metrics: { objectsCompacted: () => {}, barsCompacted: () => {}, corruptObjects: () => {}, publish: () => {} },
      metricsEmitter: { emit: (values, dimensions) => emitted.push({ values, dimensions }) },
    })({}, createLambdaContext({ functionName: 'riskfn-compact-test', timeoutMs: 60_000 }));
  await handler({ ...RUN, oldestStagedAt: '2026-11-30T09:42:30.000Z' });
  assert.deepEqual(emitted, [{ values: [{ name: 'stagingAge', unit: 'Seconds', value: 1050 }], dimensions: undefined }]);
  await handler(RUN);
  assert.equal(emitted.length, 1);
});
