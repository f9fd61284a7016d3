/**
 * The lake's review and repair operations on the emulators, after a real ingest (poller →
 * handler) and real compaction runs: listing quarantine, releasing a held bar, and rebuilding a
 * symbol from raw/ — which must give the stored compacted objects' exact bytes, and restore a
 * lost one.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { compactPartitions } from '../../lib/adapters/s3/lake-compactor.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { rebuildSymbol } from '../../lib/adapters/s3/lake-rebuild.ts';
import { deleteObject, getBytes } from '../../lib/adapters/s3/objects.ts';
import { listQuarantine, ReleaseError, releaseHeldPart } from '../../lib/adapters/s3/quarantine-store.ts';
import { parseStagingKey } from '../../lib/domain/lake/keys.ts';
import { decodeBars } from '../../lib/domain/lake/parquet-bars.ts';
import { createKinesisPoller } from '../../lib/local/kinesis-poller.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { bar, bucket, keysUnder, put, quarantineEntry, stream, testHandler } from '../helpers/ingest-harness.ts';

useEmulators();

const days = (year: number, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(year, 0, 2 + i)).toISOString().slice(0, 10));
const closes = async (symbol: string) => {
  const s = (await readSeries(bucket, symbol)).series!;
  return s.dates.map((d, i) => `${d}=${s.close[i]}`);
};

describe('quarantine, release and rebuild after a real ingest and compaction', () => {
  const seqs: Record<string, string> = {};
  const poller = createKinesisPoller({ streamName: stream, handler: testHandler(), retryDelayMs: 1 });

  before(async () => {
    // Two years of REB, one batch per year; then compaction, so later changes land on compacted objects.
    seqs.y2023 = await put(JSON.stringify({ bars: days(2023, 25).map((d, i) => bar('reb', d, 100 + (i % 4))) }));
    seqs.y2024 = await put(JSON.stringify({ bars: [...days(2024, 25).map((d, i) => bar('reb', d, 101 + (i % 3))), bar('reb', '2024-02-30', 1)] }));
    await poller.drain();
    await compactPartitions(bucket);
    // A small correction (applied: revision 1), an implausible close (held), a suspect revision (held), a split batch.
    seqs.fix = await put(JSON.stringify(bar('reb', '2024-01-03', 103.5)));
    seqs.spike = await put(JSON.stringify(bar('reb', '2024-01-27', 1000)));
    seqs.revision = await put(JSON.stringify({ bars: [bar('reb', '2023-01-10', 10), bar('reb', '2024-01-28', 102)] }));
    seqs.split = await put(JSON.stringify({ split: true, bars: [bar('reb', '2023-01-02', 50)] }));
    await poller.drain();
  });

  test('the quarantine listing shows held and rejected parts, filtered by reason and date', async () => {
    const all = await listQuarantine(bucket);
    assert.deepEqual(all.map((r) => [r.reason, r.status, r.symbol ?? '-', r.date ?? '-']).sort(), [
      ['IMPLAUSIBLE_PRICE', 'held', 'REB', '2024-01-27'],
      ['INVALID_DATE', 'rejected', '-', '-'],
      ['SUSPECT_REVISION', 'held', 'REB', '2023-01-10'],
    ]);
    assert.match(all.find((r) => r.reason === 'IMPLAUSIBLE_PRICE')!.detail!, /^close 1000 on 2024-01-27 moves \|log return\|/);
    assert.deepEqual(
      (await listQuarantine(bucket, { reason: 'SUSPECT_REVISION' })).map((r) => r.reason),
      ['SUSPECT_REVISION'],
    );
    assert.deepEqual(await listQuarantine(bucket, { since: '2999-01-01' }), []);
  });

  test('releasing a held bar stages it as its own object with its provenance and the flag released; twice changes nothing', async () => {
    const spike = (await listQuarantine(bucket, { reason: 'IMPLAUSIBLE_PRICE' }))[0]!;
    const r = await releaseHeldPart(bucket, spike.key, new Date('2026-11-30T11:00:00Z'));
    assert.equal(r.firstRelease, true);
    // Its own staging object, keyed by the held part (a one-bar record: bar index 0).
    assert.equal(r.stagingKey, `staging/prices/symbol=REB/shardId-000000000000-${seqs.spike}-2024-released-0.parquet`);
    assert.deepEqual(parseStagingKey(r.stagingKey), {
      symbol: 'REB',
      shardId: 'shardId-000000000000',
      sequenceNumber: seqs.spike,
      releasedBarIndex: 0,
      year: 2024,
    });
    // Its partition (2024) was compacted at once: the bar is in the compacted object, with its provenance.
    assert.deepEqual(
      (await keysUnder('staging/prices/symbol=REB/')).filter((k) => parseStagingKey(k)?.year === 2024),
      [],
    );
    const row = (await decodeBars(await getBytes(bucket, 'curated/prices/year=2024/REB.parquet'))).find((b) => b.date === '2024-01-27')!;
    assert.deepEqual([row.close, row.flags, row.sequenceNumber, row.barIndex], [1000, 'released', seqs.spike, 0]);
    assert.deepEqual((await quarantineEntry(spike.key)).released, { at: '2026-11-30T11:00:00.000Z', stagingKey: r.stagingKey });
    assert.equal((await releaseHeldPart(bucket, spike.key, new Date())).firstRelease, false);
    assert.equal((await listQuarantine(bucket, { reason: 'IMPLAUSIBLE_PRICE' }))[0]!.status, 'released');
    assert.ok((await closes('REB')).includes('2024-01-27=1000'));
    const rejected = (await listQuarantine(bucket, { reason: 'INVALID_DATE' }))[0]!;
    await assert.rejects(releaseHeldPart(bucket, rejected.key, new Date()), ReleaseError);
  });

  test('rebuild from raw/ gives the stored compacted objects byte for byte', async () => {
    const before = await closes('REB');
    const report = await rebuildSymbol(bucket, 'REB');
    assert.equal(report.bars, 25 + 25 + 1 + 1 + 1 + 1); // both batches, the fix, the released spike, the revision batch's good bar, the split bar
    assert.equal(report.heldOut, 1); // the suspect revision, still held
    assert.deepEqual(
      report.years.map((y) => [y.year, y.status, y.written]),
      [
        [2023, 'same', false],
        [2024, 'same', false],
      ],
    );
    assert.deepEqual(await keysUnder('staging/'), [], 'rebuild compacted the pending staging objects first');
    assert.deepEqual(await closes('REB'), before);
    const rows2023 = await decodeBars(await getBytes(bucket, 'curated/prices/year=2023/REB.parquet'));
    assert.deepEqual(
      rows2023.filter((r) => r.date === '2023-01-02').map((r) => [r.close, r.flags, r.revision]),
      [[50, 'split', 1]],
    );
  });

  test('a lost compacted object is reported missing and --apply restores the same bars', async () => {
    const before = await closes('REB');
    const stored = await getBytes(bucket, 'curated/prices/year=2024/REB.parquet');
    await deleteObject(bucket, 'curated/prices/year=2024/REB.parquet');
    const dry = await rebuildSymbol(bucket, 'REB');
    assert.deepEqual(
      dry.years.map((y) => [y.year, y.status, y.written]),
      [
        [2023, 'same', false],
        [2024, 'missing', false],
      ],
    );
    const applied = await rebuildSymbol(bucket, 'REB', { apply: true });
    assert.deepEqual(applied.years.map((y) => [y.year, y.status, y.written])[1], [2024, 'missing', true]);
    assert.deepEqual(await closes('REB'), before);
    assert.deepEqual(await decodeBars(await getBytes(bucket, 'curated/prices/year=2024/REB.parquet')), await decodeBars(stored));
    assert.deepEqual(
      (await rebuildSymbol(bucket, 'REB')).years.map((y) => y.status),
      ['same', 'same'],
    );
  });
});
