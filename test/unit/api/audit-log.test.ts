import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditClient, AuditConflictError, type AuditRecord, dynamoAuditLog } from '../../../lib/adapters/dynamodb/audit-log.ts';

const record: AuditRecord = {
  requestId: 'req-1',
  timestamp: '2026-11-25T09:00:00.000Z',
  route: 'POST /v1/risk/instrument',
  inputHash: `sha256:${'a'.repeat(64)}`,
  modelVersion: 'v1',
  status: 200,
  result: { ok: true },
};

function capturingClient(fail?: Error) {
  const sent: unknown[] = [];
  const client = {
    send: async (cmd: unknown) => {
      sent.push(cmd);
      if (fail) throw fail;
      return {};
    },
  } as unknown as AuditClient;
  return { sent, client };
}

describe('dynamoAuditLog', () => {
  test('puts the record as one item, conditional on a new request id', async () => {
    const { sent, client } = capturingClient();
    await dynamoAuditLog({ tableName: 'audit', client }).write(record);
    assert.equal(sent.length, 1);
    const cmd = sent[0] as PutCommand;
    assert.ok(cmd instanceof PutCommand);
    assert.deepEqual(cmd.input, { TableName: 'audit', Item: record, ConditionExpression: 'attribute_not_exists(requestId)' });
  });

  test('reads the table name from AUDIT_TABLE at write time', async () => {
    const { sent, client } = capturingClient();
    const log = dynamoAuditLog({ client });
    const saved = process.env.AUDIT_TABLE;
    process.env.AUDIT_TABLE = 'from-env';
    try {
      await log.write(record);
    } finally {
      if (saved === undefined) delete process.env.AUDIT_TABLE;
      else process.env.AUDIT_TABLE = saved;
    }
    assert.equal((sent[0] as PutCommand).input.TableName, 'from-env');
  });

  test('a replayed request id is an AuditConflictError that keeps the cause', async () => {
    const cause = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    const { client } = capturingClient(cause);
    await assert.rejects(dynamoAuditLog({ tableName: 'audit', client }).write(record), (err: unknown) => {
      assert.ok(err instanceof AuditConflictError);
      assert.equal(err.requestId, 'req-1');
      assert.equal(err.cause, cause);
      return true;
    });
  });

  test('other failures pass through unchanged', async () => {
    const boom = new Error('network down');
    const { client } = capturingClient(boom);
    await assert.rejects(dynamoAuditLog({ tableName: 'audit', client }).write(record), (err: unknown) => err === boom);
  });
});
