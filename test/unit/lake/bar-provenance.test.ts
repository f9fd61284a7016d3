import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawRecordsOf } from '../../../lib/domain/lake/bar-provenance.ts';
import { lakeBar } from '../../helpers/lake-bar.ts';

test('the raw records behind the kept bars of the dates asked for: the latest version of a date wins, counted per record', () => {
  const bars = [
    lakeBar({ date: '2024-01-02', sequenceNumber: '10', barIndex: 0, arrivalTime: 1 }),
    lakeBar({ date: '2024-01-03', sequenceNumber: '10', barIndex: 1, arrivalTime: 1 }),
    // A later record corrects 2024-01-03: its bar is the one kept.
    lakeBar({ date: '2024-01-03', sequenceNumber: '11', barIndex: 0, arrivalTime: 2, close: 101 }),
    lakeBar({ date: '2024-01-04', sequenceNumber: '12', arrivalTime: 3, shardId: 'shardId-000000000001' }),
    // Not among the dates asked for (cut by asOf, say).
    lakeBar({ date: '2024-01-05', sequenceNumber: '13', arrivalTime: 4 }),
  ];
  assert.deepEqual(rawRecordsOf(bars, ['2024-01-02', '2024-01-03', '2024-01-04']), [
    { key: 'raw/shard=shardId-000000000000/10.json.gz', bars: 1 },
    { key: 'raw/shard=shardId-000000000000/11.json.gz', bars: 1 },
    { key: 'raw/shard=shardId-000000000001/12.json.gz', bars: 1 },
  ]);
  assert.deepEqual(rawRecordsOf(bars, []), []);
});
