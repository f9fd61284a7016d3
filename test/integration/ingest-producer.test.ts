/**
 * The producer side on the emulators: PutRecords entries the stream refuses are re-sent with
 * backoff until accepted (or reported), with the real SDK client and kinesalite; refusals are
 * injected by wrapping the client's send.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../../lib/adapters/clients.ts';
import { PutRecordsError, type PutRecordsReport, putRecords } from '../../lib/adapters/kinesis/put-records.ts';
import { MARKET_DATA_STREAM } from '../../lib/config/resources.ts';
import { useEmulators } from '../helpers/emulators.ts';

useEmulators();
const stream = MARKET_DATA_STREAM.name;

describe('PutRecords partial failures (producer side)', () => {
  /** Makes the next PutRecords calls refuse the entries whose data matches `refuse`; everything else reaches kinesalite. */
  function refuseEntries(refuse: (data: string) => boolean, times: number): () => void {
    const client = kinesisClient();
    const original = client.send.bind(client);
    let left = times;
    (client as { send: unknown }).send = async (cmd: unknown) => {
      if (!(cmd instanceof PutRecordsCommand) || left <= 0) return original(cmd as never);
      left -= 1;
      const records = cmd.input.Records ?? [];
      const refused = records.map((r) => refuse(Buffer.from(r.Data!).toString()));
      const accepted = records.filter((_, i) => !refused[i]);
      const out = accepted.length ? await original(new PutRecordsCommand({ ...cmd.input, Records: accepted }) as never) : { Records: [] };
      const seqs = [...((out as { Records?: Array<{ SequenceNumber?: string }> }).Records ?? [])];
      return {
        FailedRecordCount: refused.filter(Boolean).length,
        Records: refused.map((r) => (r ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' } : seqs.shift()!)),
      };
    };
    return () => {
      (client as { send: unknown }).send = original;
    };
  }

  test('refused entries are re-sent until accepted; nothing is lost', async () => {
    const it = await kinesisClient().send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    const entries = ['a', 'b', 'c', 'd'].map((x) => ({ partitionKey: 'PR', data: Buffer.from(`put-${x}`) }));
    const restore = refuseEntries((d) => d === 'put-b' || d === 'put-d', 2);
    let report: PutRecordsReport;
    try {
      report = await putRecords(stream, entries, { baseDelayMs: 1 });
    } finally {
      restore();
    }
    assert.deepEqual(report, { records: 4, calls: 3, retriedEntries: 2 });
    const got = await kinesisClient().send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    assert.deepEqual(got.Records!.map((r) => Buffer.from(r.Data!).toString()).sort(), ['put-a', 'put-b', 'put-c', 'put-d']);
  });

  test('entries still refused after maxAttempts raise PutRecordsError naming them', async () => {
    const restore = refuseEntries((d) => d === 'never', 10);
    try {
      await assert.rejects(putRecords(stream, [{ partitionKey: 'PR', data: Buffer.from('never') }], { maxAttempts: 2, baseDelayMs: 1 }), (err: unknown) => {
        assert.ok(err instanceof PutRecordsError);
        assert.equal(err.failed.length, 1);
        assert.equal(err.failed[0]!.errorCode, 'ProvisionedThroughputExceededException');
        return true;
      });
    } finally {
      restore();
    }
  });
});
