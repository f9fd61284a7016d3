import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AuditClient,
  AuditConflictError,
  decodeAuditCursor,
  dynamoAuditTable,
  encodeAuditCursor,
  InvalidAuditCursorError,
} from '../../../lib/adapters/dynamodb/audit-log.ts';
import type { AuditRecord } from '../../../lib/schemas/audit-record.ts';

const record: AuditRecord = {
  requestId: 'req-1',
  timestamp: '2026-11-25T09:00:00.000Z',
  route: 'POST /v1/risk/instrument',
  status: 200,
  requestHash: `sha256:${'b'.repeat(64)}`,
  requestBytes: 16,
  requestExcerpt: '{"symbol":"DAX"}',
  requestTruncated: false,
  inputHash: `sha256:${'a'.repeat(64)}`,
  modelVersion: 'v1',
  symbol: 'DAX',
  caller: { principal: null, accountId: null, sourceIp: '127.0.0.1', userAgent: null },
  result: '{"ok":true}',
};

function capturingClient(answer: (cmd: unknown) => unknown = () => ({})) {
  const sent: unknown[] = [];
  const client = {
    send: async (cmd: unknown) => {
      sent.push(cmd);
      const out = answer(cmd);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as AuditClient;
  return { sent, client };
}

describe('dynamoAuditTable', () => {
  test('putNew puts the record as one item, conditional on a new request id', async () => {
    const { sent, client } = capturingClient();
    await dynamoAuditTable({ tableName: 'audit', client }).putNew(record);
    assert.equal(sent.length, 1);
    const cmd = sent[0] as PutCommand;
    assert.ok(cmd instanceof PutCommand);
    assert.deepEqual(cmd.input, { TableName: 'audit', Item: record, ConditionExpression: 'attribute_not_exists(requestId)' });
  });

  test('reads the table name from AUDIT_TABLE at call time', async () => {
    const { sent, client } = capturingClient();
    const table = dynamoAuditTable({ client });
    const saved = process.env.AUDIT_TABLE;
    process.env.AUDIT_TABLE = 'from-env';
    try {
      await table.putNew(record);
    } finally {
      if (saved === undefined) delete process.env.AUDIT_TABLE;
      else process.env.AUDIT_TABLE = saved;
    }
    assert.equal((sent[0] as PutCommand).input.TableName, 'from-env');
  });

  test('a replayed request id is an AuditConflictError that keeps the cause', async () => {
    const cause = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    const { client } = capturingClient(() => cause);
    await assert.rejects(dynamoAuditTable({ tableName: 'audit', client }).putNew(record), (err: unknown) => {
      assert.ok(err instanceof AuditConflictError);
      assert.equal(err.requestId, 'req-1');
      assert.equal(err.cause, cause);
      return true;
    });
  });

  test('other failures pass through unchanged', async () => {
    const boom = new Error('network down');
    const { client } = capturingClient(() => boom);
    await assert.rejects(dynamoAuditTable({ tableName: 'audit', client }).putNew(record), (err: unknown) => err === boom);
  });

  test('get is a consistent GetItem by request id; null when absent', async () => {
    const { sent, client } = capturingClient((cmd) => ((cmd as GetCommand).input.Key?.requestId === 'req-1' ? { Item: record } : {}));
    const table = dynamoAuditTable({ tableName: 'audit', client });
    assert.deepEqual(await table.get('req-1'), record);
    assert.equal(await table.get('other'), null);
    assert.ok(sent[0] instanceof GetCommand);
    assert.deepEqual((sent[0] as GetCommand).input, { TableName: 'audit', Key: { requestId: 'req-1' }, ConsistentRead: true });
  });

  test('query is a Query on the index, newest first, with the day range and the cursor as ExclusiveStartKey (never a Scan)', async () => {
    const last = { ...record, requestId: 'req-9', timestamp: '2026-11-20T10:00:00.000Z' };
    const { sent, client } = capturingClient(() => ({
      Items: [record, last],
      LastEvaluatedKey: { requestId: 'req-9', timestamp: last.timestamp, symbol: 'DAX' },
    }));
    const table = dynamoAuditTable({ tableName: 'audit', client });
    const cursor = encodeAuditCursor({ requestId: 'req-0', timestamp: '2026-11-26T00:00:00.000Z' });
    const page = await table.query({
      by: 'symbol',
      value: 'DAX',
      fromTimestamp: '2026-11-01T00:00:00.000Z',
      toTimestamp: '2026-11-30T23:59:59.999Z',
      limit: 2,
      cursor,
    });
    assert.deepEqual(page.items, [record, last]);
    assert.deepEqual(decodeAuditCursor(page.nextCursor ?? ''), { requestId: 'req-9', timestamp: last.timestamp });
    assert.equal(sent.length, 1);
    assert.ok(sent[0] instanceof QueryCommand, 'only Query commands are sent');
    assert.deepEqual((sent[0] as QueryCommand).input, {
      TableName: 'audit',
      IndexName: 'bySymbol',
      KeyConditionExpression: '#k = :v AND #t BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#k': 'symbol', '#t': 'timestamp' },
      ExpressionAttributeValues: { ':v': 'DAX', ':from': '2026-11-01T00:00:00.000Z', ':to': '2026-11-30T23:59:59.999Z' },
      ScanIndexForward: false,
      Limit: 2,
      ExclusiveStartKey: { requestId: 'req-0', timestamp: '2026-11-26T00:00:00.000Z', symbol: 'DAX' },
    });
  });

  test('query by model version with one bound or none; nextCursor null on the last page', async () => {
    const { sent, client } = capturingClient(() => ({ Items: [record] }));
    const table = dynamoAuditTable({ tableName: 'audit', client });
    assert.deepEqual(await table.query({ by: 'modelVersion', value: 'v1', fromTimestamp: '2026-11-01T00:00:00.000Z', limit: 50 }), {
      items: [record],
      nextCursor: null,
    });
    await table.query({ by: 'modelVersion', value: 'v1', toTimestamp: '2026-11-30T23:59:59.999Z', limit: 50 });
    await table.query({ by: 'modelVersion', value: 'v1', limit: 50 });
    const inputs = sent.map((c) => (c as QueryCommand).input);
    assert.deepEqual(
      inputs.map((i) => [i.IndexName, i.KeyConditionExpression, i.ExpressionAttributeNames]),
      [
        ['byModelVersion', '#k = :v AND #t >= :from', { '#k': 'modelVersion', '#t': 'timestamp' }],
        ['byModelVersion', '#k = :v AND #t <= :to', { '#k': 'modelVersion', '#t': 'timestamp' }],
        ['byModelVersion', '#k = :v', { '#k': 'modelVersion' }],
      ],
    );
  });

  test('a cursor it did not issue is an InvalidAuditCursorError, before any request', async () => {
    const { sent, client } = capturingClient();
    const table = dynamoAuditTable({ tableName: 'audit', client });
    for (const cursor of ['not base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["a1",1,"x"]').toString('base64url')]) {
      await assert.rejects(table.query({ by: 'symbol', value: 'DAX', limit: 1, cursor }), InvalidAuditCursorError);
    }
    assert.equal(sent.length, 0);
  });
});
