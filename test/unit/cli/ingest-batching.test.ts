/**
 * `riskfn ingest` batching without a stream: the records a series becomes (one bar each, or
 * N-bar batches), how they are cut into PutRecords calls at Kinesis' limits (500 records,
 * 5 MiB per call, 1 MiB per record), the retry pauses (full jitter within the stated budget), and
 * which failed calls are retried.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { barRecords } from '../../../bin/cli/commands/ingest.ts';
import {
  chunkEntries,
  DEFAULT_RETRY_BUDGET,
  entryBytes,
  isRetryableCallError,
  MAX_BYTES_PER_CALL,
  MAX_BYTES_PER_RECORD,
  MAX_RECORDS_PER_CALL,
} from '../../../lib/adapters/kinesis/put-records.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { MarketDataRecordSchema } from '../../../lib/schemas/market-data-record.ts';
import { backoffMs } from '../../../lib/util/backoff.ts';

const series: PriceSeries = {
  dates: ['2024-01-02', '2024-01-03', '2024-01-04', '2024-02-01', '2024-02-02'],
  close: Float64Array.from([100, 101, 102.5, 99, 98]),
  open: Float64Array.from([99, 100, 101, 100, 99]),
  high: Float64Array.from([101, 102, 103, 100, 99.5]),
  low: Float64Array.from([98, 99, 100, 98, 97]),
  volume: Float64Array.from([10, 20, 30, 40, 50]),
};
const decode = (d: Uint8Array): unknown => JSON.parse(Buffer.from(d).toString('utf8'));

describe('barRecords', () => {
  test('one bar per record: bare bar objects in date order, partition key = symbol, valid wire records', () => {
    const records = barRecords(series, 'ABC', 'test:abc.csv', 1);
    assert.equal(records.length, 5);
    assert.deepEqual(
      records.map((r) => r.bars),
      [1, 1, 1, 1, 1],
    );
    assert.ok(records.every((r) => r.partitionKey === 'ABC'));
    assert.deepEqual(decode(records[2]!.data), {
      symbol: 'ABC',
      date: '2024-01-04',
      close: 102.5,
      source: 'test:abc.csv',
      open: 101,
      high: 103,
      low: 100,
      volume: 30,
    });
    for (const r of records) assert.ok(MarketDataRecordSchema.safeParse(decode(r.data)).success);
  });

  test('--batch-bars 2: {bars:[...]} records of 2, the last one shorter, across month boundaries', () => {
    const records = barRecords(series, 'ABC', 's', 2);
    assert.deepEqual(
      records.map((r) => r.bars),
      [2, 2, 1],
    );
    const second = decode(records[1]!.data) as { bars: { date: string }[] };
    assert.deepEqual(
      second.bars.map((b) => b.date),
      ['2024-01-04', '2024-02-01'],
    );
    for (const r of records) assert.ok(MarketDataRecordSchema.safeParse(decode(r.data)).success);
  });

  test('with Adj Close the adjusted close is sent alone (no unadjusted OHL beside it)', () => {
    const adj = barRecords({ ...series, rawClose: Float64Array.from([1, 1, 1, 1, 1]) }, 'ADJ', 's', 1);
    assert.deepEqual(decode(adj[0]!.data), { symbol: 'ADJ', date: '2024-01-02', close: 100, source: 's', volume: 10 });
  });
});

describe('chunkEntries (PutRecords calls)', () => {
  const small = (n: number) => Array.from({ length: n }, (_, i) => ({ partitionKey: 'K', data: new Uint8Array([i % 256]) }));
  const sized = (bytes: number) => ({ partitionKey: 'KEY', data: new Uint8Array(bytes - 3) });

  test('exactly 500 records are one call; 501 are two (500 + 1)', () => {
    assert.deepEqual(
      chunkEntries(small(MAX_RECORDS_PER_CALL)).map((c) => c.length),
      [500],
    );
    assert.deepEqual(
      chunkEntries(small(MAX_RECORDS_PER_CALL + 1)).map((c) => c.length),
      [500, 1],
    );
  });

  test('exactly 5 MiB (data plus keys) is one call; one byte more starts a second call', () => {
    const fiveOfOneMiB = Array.from({ length: 5 }, () => sized(MAX_BYTES_PER_RECORD));
    assert.equal(
      fiveOfOneMiB.reduce((s, e) => s + entryBytes(e), 0),
      MAX_BYTES_PER_CALL,
    );
    assert.deepEqual(
      chunkEntries(fiveOfOneMiB).map((c) => c.length),
      [5],
    );
    assert.deepEqual(
      chunkEntries([...fiveOfOneMiB, sized(4)]).map((c) => c.length),
      [5, 1],
    );
    // 900 KiB records: 5 fit (4.4 MiB), the 6th would pass 5 MiB; then the count limit cuts 1000 small ones.
    const mixed = [...Array.from({ length: 11 }, () => sized(900 * 1024)), ...small(1000)];
    const chunks = chunkEntries(mixed);
    assert.deepEqual(
      chunks.map((c) => c.length),
      [5, 5, 500, 500, 1],
    );
    assert.deepEqual(chunks.flat(), mixed);
    for (const c of chunks) assert.ok(c.reduce((s, e) => s + entryBytes(e), 0) <= MAX_BYTES_PER_CALL);
  });

  test('a record above 1 MiB is refused before anything is sent', () => {
    assert.throws(() => chunkEntries([sized(10), sized(MAX_BYTES_PER_RECORD + 1)]), /record 1 is 1048577 bytes, above the Kinesis limit of 1048576/);
  });
});

describe('backoffMs (full jitter)', () => {
  test('pauses lie in [0, min(5 s, 100 ms · 2^(k-1))]; the whole default budget waits at most 11.3 s', () => {
    const top = (k: number) => backoffMs(k, DEFAULT_RETRY_BUDGET, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(top), [100, 200, 400, 800, 1600, 3200, 5000]);
    assert.equal(
      backoffMs(3, DEFAULT_RETRY_BUDGET, () => 0),
      0,
    );
    assert.equal(
      backoffMs(3, DEFAULT_RETRY_BUDGET, () => 0.5),
      200,
    );
    let total = 0;
    for (let k = 1; k < DEFAULT_RETRY_BUDGET.maxAttempts; k++) total += top(k);
    assert.equal(total, 11_300);
  });
});

describe('isRetryableCallError (a failed PutRecords call)', () => {
  const service = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  test('throttles, 5xx and network failures are retried', () => {
    assert.ok(isRetryableCallError(service('ProvisionedThroughputExceededException', 400)));
    assert.ok(isRetryableCallError(service('ThrottlingException', 400)));
    assert.ok(isRetryableCallError(service('InternalFailure', 500)));
    assert.ok(isRetryableCallError(service('SlowDown', 429)));
    assert.ok(isRetryableCallError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
    assert.ok(isRetryableCallError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 3 } })));
    assert.ok(isRetryableCallError(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
  });
  test('what fails the same way every time stops the send: missing stream, access, bad request, no credentials or region', () => {
    assert.ok(!isRetryableCallError(service('ResourceNotFoundException', 400)));
    assert.ok(!isRetryableCallError(service('AccessDeniedException', 400)));
    assert.ok(!isRetryableCallError(service('ValidationException', 400)));
    assert.ok(!isRetryableCallError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })));
    assert.ok(!isRetryableCallError(new Error('Region is missing')));
  });
});
