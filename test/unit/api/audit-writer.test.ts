/**
 * The audit write (lib/adapters/write-audit-entry.ts) over the in-memory table and store, the
 * writer Lambda's handler (functions/audit-writer.ts), and the client the API invokes it with (lib/adapters/lambda/audit-writer-client.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createAuditWriterHandler } from '../../../functions/audit-writer.ts';
import { AuditWriterError, lambdaAuditWriter } from '../../../lib/adapters/lambda/audit-writer-client.ts';
import { writeAuditEntry } from '../../../lib/adapters/write-audit-entry.ts';
import { sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import type { AuditWriteRequest } from '../../../lib/schemas/audit-record.ts';
import { lambdaContext, silentLogger } from './fixtures.ts';
import { memoryAuditTable, memoryResultStore } from './memory-audit.ts';

const record: AuditWriteRequest['record'] = {
  requestId: 'c6f1a7de-3f4e-4a4e-9a57-1d2b3c4d5e6f',
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
  caller: { principal: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', sourceIp: '203.0.113.9', userAgent: 'curl/8.5' },
};

const ports = (inlineResultBytes?: number) => ({ table: memoryAuditTable(), store: memoryResultStore(), inlineResultBytes });

describe('writeAuditEntry', () => {
  test('an answer within the inline limit is stored in the item', async () => {
    const p = ports(16);
    assert.deepEqual(await writeAuditEntry({ record, result: '{"riskLevel":"h"}'.slice(0, 16) }, p), { outcome: 'written' });
    assert.deepEqual(p.table.items, [{ ...record, result: '{"riskLevel":"h"' }]);
    assert.equal(p.store.objects.size, 0);
  });

  test('a larger answer goes to the store under audit/<date>/<requestId>.json, the item holds key, hash and size', async () => {
    const p = ports(16);
    const result = '{"riskLevel":"high"}';
    const ref = { key: `audit/2026/11/25/${record.requestId}.json`, sha256: `sha256:${sha256Hex(result)}`, bytes: 20 };
    assert.deepEqual(await writeAuditEntry({ record, result }, p), { outcome: 'written', resultRef: ref });
    assert.deepEqual(p.table.items, [{ ...record, resultRef: ref }]);
    assert.equal(p.store.objects.get(ref.key), result);
  });

  test('an existing item is never replaced: a second write of the request id is a conflict and changes nothing', async () => {
    const p = ports();
    await writeAuditEntry({ record, result: '{"riskLevel":"high"}' }, p);
    assert.deepEqual(await writeAuditEntry({ record: { ...record, status: 200 }, result: '{"riskLevel":"low"}' }, p), { outcome: 'conflict' });
    assert.equal(p.table.items.length, 1);
    assert.equal(p.table.items[0].result, '{"riskLevel":"high"}');
  });

  test('overflow: a retry finding its own object goes on; another answer under the key is a conflict and is left in place', async () => {
    const p = ports(4);
    const first = '{"riskLevel":"high"}';
    const key = `audit/2026/11/25/${record.requestId}.json`;
    p.store.objects.set(key, first); // an earlier attempt stored the body, then failed before the item
    assert.equal((await writeAuditEntry({ record, result: first }, p)).outcome, 'written');
    assert.equal(p.table.items.length, 1);
    const other = ports(4);
    other.store.objects.set(key, first);
    assert.deepEqual(await writeAuditEntry({ record, result: '{"riskLevel":"low"}' }, other), { outcome: 'conflict' });
    assert.equal(other.store.objects.get(key), first);
    assert.equal(other.table.items.length, 0);
  });

  test('a malformed request is refused before anything is written', async () => {
    const p = ports();
    await assert.rejects(writeAuditEntry({ record: { ...record, requestHash: 'md5:x' }, result: '' }, p), /sha256/);
    await assert.rejects(writeAuditEntry({ record: { ...record, requestId: 'a/b' }, result: '' }, p), /request id/);
    assert.equal(p.table.items.length, 0);
  });
});

describe('audit writer Lambda handler', () => {
  test('answers the outcome of each invocation', async () => {
    const p = ports();
    const handler = createAuditWriterHandler({ ...p, logger: silentLogger(), now: () => new Date() });
    assert.deepEqual(await handler({ record, result: '{}' }, lambdaContext()), { outcome: 'written' });
    assert.deepEqual(await handler({ record, result: '{"x":1}' }, lambdaContext()), { outcome: 'conflict' });
    await assert.rejects(handler({ nothing: true }, lambdaContext()));
    assert.equal(p.table.items.length, 1);
  });
});

describe('lambdaAuditWriter', () => {
  const client = (answer: { Payload?: Uint8Array; FunctionError?: string }) => {
    const sent: InvokeCommand[] = [];
    return {
      sent,
      client: {
        send: async (cmd: InvokeCommand) => {
          sent.push(cmd);
          return answer;
        },
      } as never,
    };
  };
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  test('invokes the function synchronously with the request as payload and returns its outcome', async () => {
    const c = client({ Payload: bytes({ outcome: 'conflict' }) });
    assert.deepEqual(await lambdaAuditWriter('riskfn-audit-writer', c.client)({ record, result: '{}' }), { outcome: 'conflict' });
    assert.ok(c.sent[0] instanceof InvokeCommand);
    assert.equal(c.sent[0].input.FunctionName, 'riskfn-audit-writer');
    assert.equal(c.sent[0].input.InvocationType, 'RequestResponse');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(c.sent[0].input.Payload as Uint8Array)), { record, result: '{}' });
  });

  test('a failed invocation is an AuditWriterError with the function error', async () => {
    const c = client({ FunctionError: 'Unhandled', Payload: bytes({ errorMessage: 'AccessDenied' }) });
    await assert.rejects(lambdaAuditWriter('f', c.client)({ record, result: '{}' }), (err: unknown) => {
      assert.ok(err instanceof AuditWriterError);
      assert.match(err.message, /Unhandled.*AccessDenied/);
      return true;
    });
  });
});
