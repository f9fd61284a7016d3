/**
 * Compaction on the emulators: staging objects folded into one Parquet object per (symbol, year)
 * that readers serve unchanged, idempotent reruns, corrupt objects moved to quarantine with their
 * bytes and reason, and the bound: after compaction a symbol has at most (years of history + 1)
 * objects. Concurrent runs: compaction-concurrency.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { CompactionConflictError, compactPartition, compactPartitions, stagedPartitions } from '../../lib/adapters/s3/lake-compactor.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { getBytes, getText, listObjects } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import type { LakeBar } from '../../lib/domain/lake/bar-schema.ts';
import type { CorruptObjectEntry } from '../../lib/domain/lake/compact-partition.ts';
import { curatedObjectKey, stagingSymbolPrefix } from '../../lib/domain/lake/keys.ts';
import { decodeLakeObject } from '../../lib/domain/lake/parquet-bars.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar } from '../helpers/lake-bar.ts';
import { putCompacted, putObject, putStaging } from '../helpers/lake-seed.ts';

const emu = useEmulators();
const bucket = () => emu().env.DATA_BUCKET!;
const NOW = new Date('2026-11-30T10:00:00Z');
const T0 = Date.UTC(2026, 0, 1);

/** Bar of record `seq` (arriving at T0 + seq ms). */
const bar = (symbol: string, date: string, close: number, seq: number): LakeBar =>
  lakeBar({ symbol, date, close, sequenceNumber: String(seq), arrivalTime: T0 + seq });

/** Every object of `symbol`: compacted (any year) and staging. */
async function objectsOf(symbol: string): Promise<string[]> {
  const curated = (await listObjects(bucket(), DATA_LAKE_BUCKET.curatedPrefix)).map((o) => o.key).filter((k) => k.endsWith(`/${symbol}.parquet`));
  const staging = (await listObjects(bucket(), stagingSymbolPrefix(symbol))).map((o) => o.key);
  return [...curated, ...staging].sort();
}

test('staging objects are folded into one object per year; readers serve the same series; a rerun changes nothing', async () => {
  const S = 'CMPA';
  await putCompacted(bucket(), [bar(S, '2024-12-30', 10, 1), bar(S, '2024-12-31', 11, 1)]);
  await putStaging(bucket(), '2', [bar(S, '2024-12-31', 12, 2)]); // a correction
  await putStaging(bucket(), '3', [bar(S, '2025-01-02', 13, 3)]);
  await putStaging(bucket(), '4', [bar(S, '2025-01-03', 14, 4)]);
  const before = await readSeries(bucket(), S);
  assert.deepEqual(await stagedPartitions(bucket(), S), [
    { symbol: S, year: 2024 },
    { symbol: S, year: 2025 },
  ]);

  const run = await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  assert.deepEqual(
    run.partitions.map((p) => [p.year, p.status, p.objectsFolded, p.bars]),
    [
      [2024, 'compacted', 1, 2],
      [2025, 'compacted', 2, 2],
    ],
  );
  assert.deepEqual(
    { objectsCompacted: run.objectsCompacted, barsCompacted: run.barsCompacted, failed: run.failed },
    { objectsCompacted: 3, barsCompacted: 4, failed: [] },
  );
  assert.deepEqual(await objectsOf(S), [curatedObjectKey({ symbol: S, year: 2024 }), curatedObjectKey({ symbol: S, year: 2025 })]);

  const y2024 = await decodeLakeObject(await getBytes(bucket(), curatedObjectKey({ symbol: S, year: 2024 })));
  assert.deepEqual(
    y2024.bars.map((b) => [b.date, b.close, b.revision]),
    [
      ['2024-12-30', 10, 0],
      ['2024-12-31', 12, 1],
    ],
  );
  assert.deepEqual(y2024.folded, [`${stagingSymbolPrefix(S)}shardId-000000000000-2-2024.parquet`]);

  // Readers serve the same series; only the objects it was read from (recorded for lineage) changed.
  const after = await readSeries(bucket(), S);
  assert.deepEqual(after.series, before.series);
  assert.deepEqual(after.skipped, before.skipped);
  assert.deepEqual(
    after.objects.map((o) => o.key),
    [curatedObjectKey({ symbol: S, year: 2024 }), curatedObjectKey({ symbol: S, year: 2025 })],
  );
  assert.deepEqual(after.series?.close, new Float64Array([10, 12, 13, 14]));

  const bytes = await getBytes(bucket(), curatedObjectKey({ symbol: S, year: 2025 }));
  const rerun = await compactPartitions(bucket(), { partitions: [{ symbol: S, year: 2025 }], now: () => NOW });
  assert.deepEqual(
    rerun.partitions.map((p) => p.status),
    ['empty'],
  );
  assert.deepEqual(await getBytes(bucket(), curatedObjectKey({ symbol: S, year: 2025 })), bytes);
});

test('a staging object written again after it was folded (a retried batch) is folded again without a new revision', async () => {
  const S = 'CMPB';
  const first = [bar(S, '2025-03-03', 20, 7), bar(S, '2025-03-04', 21, 7)];
  await putStaging(bucket(), '7', first);
  await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  const key = curatedObjectKey({ symbol: S, year: 2025 });
  const once = await decodeLakeObject(await getBytes(bucket(), key));
  await putStaging(bucket(), '7', first);
  const run = await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  // same rows and the same folded key: the bytes are the stored ones, nothing is written
  assert.deepEqual(
    run.partitions.map((p) => [p.status, p.objectsFolded]),
    [['unchanged', 1]],
  );
  assert.deepEqual(await decodeLakeObject(await getBytes(bucket(), key)), once);
  assert.deepEqual(await objectsOf(S), [key]);
});

test('corrupt staging and compacted objects go to quarantine with their bytes and reason; the rest is compacted', async () => {
  const S = 'CMPC';
  const goodKey = await putStaging(bucket(), '20', [bar(S, '2025-05-05', 30, 20)]);
  const badStaging = `${stagingSymbolPrefix(S)}shardId-000000000000-21-2025.parquet`;
  await putObject(bucket(), badStaging, 'not parquet at all');
  // a compacted object of another year that is truncated Parquet, plus one staging object for that year
  const [badCompacted] = await putCompacted(bucket(), [bar(S, '2024-06-03', 40, 5)]);
  const full = await getBytes(bucket(), badCompacted!);
  await putObject(bucket(), badCompacted!, full.slice(0, full.length - 20));
  await putStaging(bucket(), '22', [bar(S, '2024-06-04', 41, 22)]);

  const warnings: string[] = [];
  const run = await compactPartitions(bucket(), { symbol: S, now: () => NOW, logger: { warn: (_m, d) => void warnings.push(String(d.key)) } });
  assert.equal(run.corruptObjects, 2);
  assert.deepEqual(warnings.sort(), [badCompacted, badStaging].sort());

  const quarantined = (await listObjects(bucket(), 'quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/')).map((o) => o.key);
  assert.deepEqual(
    quarantined.sort(),
    [
      `quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/${badCompacted}.json`,
      `quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/${badStaging}.json`,
    ].sort(),
  );
  const stagingEntryText = await getText(bucket(), `quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/${badStaging}.json`);
  assert.equal(stagingEntryText.split('\n').length, 2, 'one JSON line (Athena reads line by line)');
  const stagingEntry = JSON.parse(stagingEntryText) as CorruptObjectEntry;
  assert.equal(Buffer.from(stagingEntry.payloadBase64, 'base64').toString(), 'not parquet at all');
  assert.equal(stagingEntry.sourceKey, badStaging);
  assert.equal(stagingEntry.sequenceNumber, '21');
  assert.match(stagingEntry.detail, /not a readable Parquet file.*riskfn lake rebuild --symbol CMPC/);
  const compactedEntry = JSON.parse(
    await getText(bucket(), `quarantine/reason=CORRUPT_OBJECT/ingest_date=2026-11-30/${badCompacted}.json`),
  ) as CorruptObjectEntry;
  assert.deepEqual(Buffer.from(compactedEntry.payloadBase64, 'base64'), Buffer.from(full.slice(0, full.length - 20)));

  // corrupt staging object gone, good one folded; the corrupt compacted object replaced by the staged bars
  assert.deepEqual(await objectsOf(S), [curatedObjectKey({ symbol: S, year: 2024 }), curatedObjectKey({ symbol: S, year: 2025 })]);
  const y2025 = await decodeLakeObject(await getBytes(bucket(), curatedObjectKey({ symbol: S, year: 2025 })));
  assert.deepEqual(
    y2025.bars.map((b) => b.close),
    [30],
  );
  assert.deepEqual(y2025.folded, [badStaging, goodKey].sort());
  const y2024 = await decodeLakeObject(await getBytes(bucket(), curatedObjectKey({ symbol: S, year: 2024 })));
  assert.deepEqual(
    y2024.bars.map((b) => b.close),
    [41],
  );
  assert.deepEqual((await readSeries(bucket(), S)).skipped, []);
});

test('the bound: many one-bar staging objects over several years compact to one object per year (+1 for staging written since)', async () => {
  const S = 'CMPD';
  const years = [2021, 2022, 2023, 2024];
  let seq = 100;
  const written: string[] = [];
  for (const y of years) {
    for (let i = 0; i < 30; i++) {
      const date = `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12) * 9).padStart(2, '0')}`;
      written.push(await putStaging(bucket(), String(seq), [bar(S, date, 100 + i, seq)]));
      seq++;
    }
  }
  assert.equal((await objectsOf(S)).length, years.length * 30);
  const before = await readSeries(bucket(), S);

  const run = await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  assert.equal(run.objectsCompacted, written.length);
  const after = await objectsOf(S);
  assert.equal(after.length, years.length, `objects after compaction: ${after.join(', ')}`);
  assert.deepEqual((await readSeries(bucket(), S)).series, before.series);

  // bars that arrive after the run: one more staging object per record until the next run; the next run folds them
  await putStaging(bucket(), String(seq), [bar(S, '2024-12-30', 99, seq)]);
  assert.ok((await objectsOf(S)).length <= years.length + 1);
  await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  assert.equal((await objectsOf(S)).length, years.length);
  assert.equal((await readSeries(bucket(), S)).series?.dates.length, before.series!.dates.length + 1);
});

/**
 * Makes another writer replace `key` right before each of the next `times` conditional PUTs to it,
 * so each of those commits is lost (412); returns how many were intercepted.
 */
function interceptCommits(bucket: string, key: string, times: number, bars: LakeBar[]): () => number {
  let done = 0;
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string; IfMatch?: string; IfNoneMatch?: string };
      if (context.commandName === 'PutObjectCommand' && input.Key === key && (input.IfMatch || input.IfNoneMatch) && done < times) {
        done++;
        await putCompacted(
          bucket,
          bars.map((b) => ({ ...b, close: b.close + done })),
        );
      }
      return next(args);
    },
    { step: 'initialize', name: 'concurrentWriter' },
  );
  return () => done;
}

test("a lost commit starts over from the winner's object; after 8 lost commits the partition is reported, nothing deleted", async () => {
  const S = 'CMPE';
  const key = curatedObjectKey({ symbol: S, year: 2025 });
  const winner = [bar(S, '2025-02-03', 50, 1)];
  await putStaging(bucket(), '9', [bar(S, '2025-02-04', 60, 9)]);
  try {
    const lost = interceptCommits(bucket(), key, 2, winner);
    const out = await compactPartition(bucket(), { symbol: S, year: 2025 });
    assert.equal(lost(), 2);
    assert.equal(out.conflicts, 2);
    // the winner's bar (its last version) and the staged bar are both in the committed object
    const rows = (await decodeLakeObject(await getBytes(bucket(), key))).bars;
    assert.deepEqual(
      rows.map((b) => [b.date, b.close]),
      [
        ['2025-02-03', 52],
        ['2025-02-04', 60],
      ],
    );
    assert.deepEqual(await objectsOf(S), [key]);
  } finally {
    s3Client().middlewareStack.remove('concurrentWriter');
  }

  const again = await putStaging(bucket(), '10', [bar(S, '2025-02-05', 61, 10)]);
  try {
    interceptCommits(bucket(), key, 100, winner);
    await assert.rejects(compactPartition(bucket(), { symbol: S, year: 2025 }), CompactionConflictError);
    const run = await compactPartitions(bucket(), { symbol: S });
    assert.deepEqual(
      run.failed.map((f) => [f.symbol, f.year, f.error.name]),
      [[S, 2025, 'CompactionConflictError']],
    );
    // the staged bar is still staged (and readable)
    assert.deepEqual(await objectsOf(S), [key, again]);
    assert.ok((await readSeries(bucket(), S)).series?.dates.includes('2025-02-05'));
  } finally {
    s3Client().middlewareStack.remove('concurrentWriter');
  }
});

test('a folded staging object rewritten before its delete (a release adding a bar) is kept and folded again', async () => {
  const S = 'CMPF';
  const first = [bar(S, '2025-04-01', 70, 30)];
  const stagingKey = await putStaging(bucket(), '30', first);
  let rewrites = 0;
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string };
      if (context.commandName === 'DeleteObjectCommand' && input.Key === stagingKey && rewrites === 0) {
        rewrites++;
        await putStaging(
          bucket(),
          '30',
          [...first, bar(S, '2025-04-02', 71, 30)].map((b, i) => ({ ...b, barIndex: i })),
        );
      }
      return next(args);
    },
    { step: 'initialize', name: 'rewriteBeforeDelete' },
  );
  try {
    const warnings: string[] = [];
    const out = await compactPartition(bucket(), { symbol: S, year: 2025 }, { logger: { warn: (m) => void warnings.push(m) } });
    assert.equal(rewrites, 1);
    assert.deepEqual(warnings, ['staging objects changed while being folded; folding them again']);
    assert.equal(out.status, 'compacted');
    assert.equal(out.objectsFolded, 2);
  } finally {
    s3Client().middlewareStack.remove('rewriteBeforeDelete');
  }
  const key = curatedObjectKey({ symbol: S, year: 2025 });
  assert.deepEqual(
    (await decodeLakeObject(await getBytes(bucket(), key))).bars.map((b) => [b.date, b.close]),
    [
      ['2025-04-01', 70],
      ['2025-04-02', 71],
    ],
  );
  assert.deepEqual(await objectsOf(S), [key]);
});

test('compacting one symbol also visits its compacted objects without staging: a corrupt one goes to quarantine', async () => {
  const S = 'CMPG';
  const [good] = await putCompacted(bucket(), [bar(S, '2023-05-02', 80, 40)]);
  const [bad] = await putCompacted(bucket(), [bar(S, '2024-05-02', 81, 41)]);
  await putObject(bucket(), bad!, 'PAR1 but not really');
  const goodBytes = await getBytes(bucket(), good!);
  const run = await compactPartitions(bucket(), { symbol: S, now: () => NOW });
  assert.deepEqual(
    run.partitions.map((p) => [p.year, p.status, p.corruptObjects]),
    [
      [2023, 'empty', []],
      [2024, 'compacted', [bad]],
    ],
  );
  assert.deepEqual(await getBytes(bucket(), good!), goodBytes);
  assert.deepEqual((await decodeLakeObject(await getBytes(bucket(), bad!))).bars, []);
  assert.ok((await listObjects(bucket(), 'quarantine/reason=CORRUPT_OBJECT/')).some((o) => o.key.endsWith(`${bad}.json`)));
  assert.deepEqual((await readSeries(bucket(), S)).skipped, []);
});

test('a run over every staged partition reports when its oldest staging object was written (the compaction lag); with nothing staged, nothing', async () => {
  const S = 'CMPLAG';
  await putStaging(bucket(), '1', [bar(S, '2025-02-03', 10, 1)]);
  await putStaging(bucket(), '2', [bar(S, '2025-02-04', 11, 2)]);
  const stagingTimes = async () => {
    const out = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: DATA_LAKE_BUCKET.stagingPrefix }));
    return (out.Contents ?? []).map((o) => o.LastModified!.getTime());
  };
  const times = await stagingTimes();
  const run = await compactPartitions(bucket(), { now: () => NOW });
  assert.equal(run.oldestStagedAt, new Date(Math.min(...times)).toISOString());
  assert.deepEqual(await stagingTimes(), []);
  assert.equal((await compactPartitions(bucket(), { now: () => NOW })).oldestStagedAt, undefined);
});
