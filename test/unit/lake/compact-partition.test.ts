import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { latestBarPerDate } from '../../../lib/domain/lake/assemble-series.ts';
import type { LakeBar } from '../../../lib/domain/lake/bar-schema.ts';
import { CompactionInputError, encodeCompacted, mergePartition, type StagedBars } from '../../../lib/domain/lake/compact-partition.ts';
import { decodeLakeObject } from '../../../lib/domain/lake/parquet-bars.ts';
import { lakeBar } from '../../helpers/lake-bar.ts';

const T = Date.UTC(2024, 5, 1);
/** A bar of record `seq` arriving at T + seq ms. */
const bar = (date: string, close: number, seq: number, extra: Partial<LakeBar> = {}): LakeBar =>
  lakeBar({ date, close, sequenceNumber: String(seq), arrivalTime: T + seq, ...extra });
const staged = (seq: number, ...bars: LakeBar[]): StagedBars => ({ key: `staging/prices/symbol=DAX/shardId-000000000000-${seq}-2024.parquet`, bars });
const view = (rows: LakeBar[]) => rows.map((r) => [r.date, r.close, r.sequenceNumber, r.revision]);

test('first compaction: one row per date, the latest version, revision = number of value changes', () => {
  const out = mergePartition(
    [],
    [
      staged(3, bar('2024-01-02', 101, 3)), // a correction of the 2nd
      staged(1, bar('2024-01-02', 100, 1), bar('2024-01-03', 102, 1)),
      staged(2, bar('2024-01-02', 100, 2, { source: 'other feed' })), // same values again: not a change
      staged(4, bar('2024-01-02', 99, 4)),
    ],
  );
  assert.deepEqual(view(out.rows), [
    ['2024-01-02', 99, '4', 2],
    ['2024-01-03', 102, '1', 0],
  ]);
  assert.deepEqual(
    out.folded,
    [1, 2, 3, 4].map((s) => staged(s).key),
  );
});

test('a later merge continues the revision of the compacted row; older or already-folded versions change nothing', () => {
  const compacted = [bar('2024-01-02', 101, 5, { revision: 3 }), bar('2024-01-03', 50, 5)];
  const out = mergePartition(compacted, [
    staged(5, bar('2024-01-02', 101, 5), bar('2024-01-03', 50, 5)), // folded before, written again by a retried batch
    staged(4, bar('2024-01-03', 77, 4)), // arrived before the compacted version: older, ignored
    staged(6, bar('2024-01-02', 105, 6), bar('2024-01-04', 10, 6)),
  ]);
  assert.deepEqual(view(out.rows), [
    ['2024-01-02', 105, '6', 4],
    ['2024-01-03', 50, '5', 0],
    ['2024-01-04', 10, '6', 0],
  ]);
});

test('merging nothing new keeps the rows, and a merge is idempotent', () => {
  const first = mergePartition([], [staged(1, bar('2024-01-02', 100, 1)), staged(2, bar('2024-01-02', 90, 2))]);
  const again = mergePartition(first.rows, [staged(1, bar('2024-01-02', 100, 1)), staged(2, bar('2024-01-02', 90, 2))]);
  assert.deepEqual(again.rows, first.rows);
  assert.deepEqual(mergePartition(first.rows, []).rows, first.rows);
  assert.deepEqual(mergePartition(first.rows, []).folded, []);
});

test('an empty staging object is folded (its key is in the watermark) and adds no row', () => {
  const out = mergePartition([bar('2024-01-02', 100, 1)], [staged(9)]);
  assert.equal(out.rows.length, 1);
  assert.deepEqual(out.folded, [staged(9).key]);
});

test('rows of two symbols in one partition are refused', () => {
  assert.throws(() => mergePartition([bar('2024-01-02', 1, 1)], [staged(2, bar('2024-01-02', 1, 2, { symbol: 'SMI' }))]), CompactionInputError);
});

// Random partitions: versions of a few dates spread over staging objects, some duplicated (retries).
const arbStaging = fc
  .array(
    fc.record({
      seq: fc.integer({ min: 1, max: 40 }),
      bars: fc.array(fc.record({ day: fc.integer({ min: 1, max: 6 }), close: fc.constantFrom(10, 11, 12) }), {
        maxLength: 4,
      }),
    }),
    { maxLength: 8 },
  )
  .map((objs) => {
    const bySeq = new Map<number, StagedBars>();
    for (const o of objs) {
      // one staging object per record (same record → same content, as a retried batch writes);
      // bars of one record are distinct by bar index
      if (bySeq.has(o.seq)) continue;
      bySeq.set(o.seq, staged(o.seq, ...o.bars.map((b, i) => bar(`2024-01-0${b.day}`, b.close, o.seq, { barIndex: i }))));
    }
    return [...bySeq.values()];
  });

test('property: same input in any order gives the same bytes; the rows are what readers would serve', async () => {
  await fc.assert(
    fc.asyncProperty(arbStaging, fc.infiniteStream(fc.nat()), async (objects, rnd) => {
      const out = mergePartition([], objects);
      const shuffled = [...objects].map((o) => ({ key: o.key, bars: [...o.bars].reverse() })).sort(() => (rnd.next().value % 3) - 1);
      const bytes = encodeCompacted(out);
      assert.deepEqual(encodeCompacted(mergePartition([], shuffled)), bytes);
      // readers (latest version per date over all staging bars) see the same bars as the compacted object
      const strip = (r: LakeBar) => ({ ...r, revision: 0 });
      assert.deepEqual(out.rows.map(strip), latestBarPerDate(objects.flatMap((o) => o.bars)).map(strip));
      const decoded = await decodeLakeObject(bytes);
      assert.deepEqual(decoded.bars, out.rows);
      assert.deepEqual(decoded.folded, out.folded);
    }),
    { numRuns: 150 },
  );
});

test('property: compacting in two steps (any split in version order) gives the same rows as one step', () => {
  fc.assert(
    fc.property(arbStaging, fc.nat(), (objects, cut) => {
      // staging objects reach compaction in arrival order: split the records at one arrival time
      const sorted = [...objects].sort((a, b) => Number(a.key.split('-')[2]) - Number(b.key.split('-')[2]));
      const k = sorted.length === 0 ? 0 : cut % (sorted.length + 1);
      const oneStep = mergePartition([], sorted).rows;
      const twoSteps = mergePartition(mergePartition([], sorted.slice(0, k)).rows, sorted.slice(k)).rows;
      assert.deepEqual(twoSteps, oneStep);
    }),
    { numRuns: 200 },
  );
});
