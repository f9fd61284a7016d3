/**
 * readSeries / listSymbols on the emulators: compacted objects per year plus unfolded staging
 * objects, folded staging keys ignored, corrupt objects skipped and reported, the ETag cache, and
 * a compaction that folds and deletes a staging object in the middle of a read.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../lib/adapters/clients.ts';
import { createLakeObjectCache, listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { curatedObjectKey, stagingObjectKey } from '../../lib/domain/lake/keys.ts';
import { encodeBars } from '../../lib/domain/lake/parquet-bars.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar, TEST_SHARD } from '../helpers/lake-bar.ts';
import { putCompacted, putObject, putStaging } from '../helpers/lake-seed.ts';

const emu = useEmulators();
const bucket = () => emu().env.DATA_BUCKET!;
const T0 = Date.UTC(2025, 0, 1);

/**
 * Records every S3 command the shared client sends while `fn` runs: `Get <key>` or `List <prefix>`,
 * and the HTTP status of each GET's answer (304 = not modified since the cached ETag).
 */
async function recordingRequests<R>(fn: () => Promise<R>): Promise<{ result: R; requests: string[]; getStatuses: number[] }> {
  const requests: string[] = [];
  const getStatuses: number[] = [];
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string; Prefix?: string };
      if (context.commandName === 'ListObjectsV2Command') requests.push(`List ${input.Prefix}`);
      if (context.commandName !== 'GetObjectCommand') return next(args);
      requests.push(`Get ${input.Key}`);
      try {
        const out = await next(args);
        getStatuses.push((out.output as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode ?? 0);
        return out;
      } catch (err) {
        getStatuses.push((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0);
        throw err;
      }
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  try {
    return { result: await fn(), requests, getStatuses };
  } finally {
    s3Client().middlewareStack.remove('recordRequests');
  }
}

describe('a symbol with compacted and staging objects, some folded, some corrupt', () => {
  const bar = (date: string, close: number, seq: string, arrivalTime = T0) => lakeBar({ symbol: 'MIX', date, close, sequenceNumber: seq, arrivalTime });
  let folded: string;
  let fresh: string;
  let corruptStaging: string;
  const corruptCompacted = curatedObjectKey({ symbol: 'MIX', year: 2022 });

  before(async () => {
    // Staging object already folded into the 2024 compacted object, not yet deleted: must not count twice
    // (its close differs so a double read would show).
    folded = await putStaging(bucket(), '10', [bar('2024-03-01', 999, '10')]);
    await putCompacted(bucket(), [bar('2023-12-29', 50, '5'), bar('2024-03-01', 51, '10'), bar('2024-03-04', 52, '11')], [folded]);
    // Newer record: corrects 2024-03-04 (later arrival) and adds a date.
    fresh = await putStaging(bucket(), '12', [bar('2024-03-04', 53, '12', T0 + 1000), bar('2024-03-05', 54, '12', T0 + 1000)]);
    corruptStaging = stagingObjectKey({ symbol: 'MIX', shardId: TEST_SHARD, sequenceNumber: '13', year: 2024 });
    await putObject(bucket(), corruptStaging, 'PAR1 this is not parquet');
    await putObject(bucket(), corruptCompacted, encodeBars([bar('2022-06-01', 40, '1')]).slice(0, 100));
    // A symbol only in staging, for listSymbols.
    await putStaging(bucket(), '20', [lakeBar({ symbol: 'NEWBIE', date: '2025-02-03' })]);
  });

  test('the series merges compacted and unfolded staging bars, latest version per date; corrupt objects are skipped and named', async () => {
    const { series, skipped, objects } = await readSeries(bucket(), 'mix');
    assert.equal(series?.symbol, 'MIX');
    assert.deepEqual(series?.dates, ['2023-12-29', '2024-03-01', '2024-03-04', '2024-03-05']);
    assert.deepEqual([...series!.close], [50, 51, 53, 54]);
    assert.deepEqual(
      skipped.map((s) => s.key),
      [corruptCompacted, corruptStaging],
    );
    assert.match(skipped[0]!.reason, /^(not a readable Parquet file|Parquet data unreadable)/);
    assert.match(skipped[1]!.reason, /^not a readable Parquet file/);
    // The objects the bars came from, as read (the audit lineage records them): ETags, and each compacted object's watermark.
    assert.deepEqual(
      objects.map((o) => [o.key, o.folded]),
      [
        ['curated/prices/year=2023/MIX.parquet', 1],
        ['curated/prices/year=2024/MIX.parquet', 1],
        [fresh, undefined],
      ],
    );
    assert.ok(
      objects.every((o) => /^"[0-9a-f]{32}"$/.test(o.etag) && o.versionId === undefined),
      's3rver has ETags and no versions',
    );
  });

  test('requests: staging LIST, years LIST, one GET per year, GETs of unfolded staging only; with a warm cache no staging GET', async () => {
    const cache = createLakeObjectCache();
    const first = await recordingRequests(() => readSeries(bucket(), 'MIX', { cache }));
    const years = ['2022', '2023', '2024'].map((y) => `Get curated/prices/year=${y}/MIX.parquet`);
    assert.deepEqual(first.requests.slice(0, 2), ['List staging/prices/symbol=MIX/', 'List curated/prices/']);
    assert.deepEqual(first.requests.slice(2, 5).sort(), years);
    assert.deepEqual(first.requests.slice(5).sort(), [`Get ${fresh}`, `Get ${corruptStaging}`].sort());
    assert.ok(!first.requests.includes(`Get ${folded}`), 'folded staging objects are not read');

    const second = await recordingRequests(() => readSeries(bucket(), 'MIX', { cache }));
    assert.deepEqual(second.result, first.result);
    assert.deepEqual(second.requests.slice(2).sort(), years, 'only the conditional GETs of the compacted objects');
    assert.deepEqual(second.getStatuses, [304, 304, 304], 'unchanged compacted objects are not downloaded again');

    // A compacted object rewritten since is read again.
    await putCompacted(bucket(), [bar('2023-12-29', 49, '5')]);
    const third = await readSeries(bucket(), 'MIX', { cache });
    assert.deepEqual([...third.series!.close], [49, 51, 53, 54]);
  });

  test('skipped objects are logged with key, reason and symbol', async () => {
    const warnings: { message: string; details: { key: string; reason: string; symbol: string } }[] = [];
    await readSeries(bucket(), 'MIX', { logger: { warn: (message, details) => warnings.push({ message, details }) } });
    assert.deepEqual(
      warnings.map((w) => [w.details.key, w.details.symbol]),
      [
        [corruptCompacted, 'MIX'],
        [corruptStaging, 'MIX'],
      ],
    );
    assert.match(warnings[0]!.message, /skipped/);
  });

  test('listSymbols finds symbols from compacted file names and staging prefixes', async () => {
    const symbols = await listSymbols(bucket());
    assert.ok(symbols.includes('MIX'));
    assert.ok(symbols.includes('NEWBIE'));
    assert.deepEqual(symbols, [...symbols].sort());
    assert.equal(new Set(symbols).size, symbols.length);
  });

  test('an unknown symbol, or a string no symbol can be, reads as no series and nothing skipped', async () => {
    assert.deepEqual(await readSeries(bucket(), 'NOPE'), { series: null, skipped: [], objects: [] });
    assert.deepEqual(await readSeries(bucket(), '..'), { series: null, skipped: [], objects: [] });
    assert.deepEqual(await readSeries(bucket(), 'A/B'), { series: null, skipped: [], objects: [] });
  });
});

test('a compaction that folds and deletes a staging object during the read does not hide its bars', async () => {
  const bar = (date: string, close: number, seq: string) => lakeBar({ symbol: 'RACE', date, close, sequenceNumber: seq });
  await putCompacted(bucket(), [bar('2024-05-01', 10, '1')]);
  const staged = await putStaging(bucket(), '2', [bar('2024-05-02', 11, '2')]);
  let compacted = false;
  // Just before the reader GETs the staging object, "compaction" commits it into the compacted object and deletes it.
  s3Client().middlewareStack.add(
    (next, context) => async (args) => {
      if (!compacted && context.commandName === 'GetObjectCommand' && (args.input as { Key: string }).Key === staged) {
        compacted = true;
        await putCompacted(bucket(), [bar('2024-05-01', 10, '1'), bar('2024-05-02', 11, '2')], [staged]);
        await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: staged }));
      }
      return next(args);
    },
    { step: 'initialize', name: 'compactMidRead' },
  );
  try {
    const { series, skipped } = await readSeries(bucket(), 'RACE', { cache: createLakeObjectCache() });
    assert.ok(compacted, 'the staging object was read after the first listing');
    assert.deepEqual(series?.dates, ['2024-05-01', '2024-05-02']);
    assert.deepEqual([...series!.close], [10, 11]);
    assert.deepEqual(skipped, []);
  } finally {
    s3Client().middlewareStack.remove('compactMidRead');
  }
});
