/**
 * `riskfn models`: the listing across registry pages, its table, the text of `show`, approval
 * with the waiting workflow resumed (or not), and the usage errors found before any stack is
 * reached. The commands against a running registry are in test/integration/api-models.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approvalMessage, approveVersion, formatEntry, formatVersionList, listVersions, showVersion } from '../../../bin/cli/commands/models.ts';
import type { ModelVersionRecord } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { ObjectMissingError } from '../../../lib/adapters/s3/objects.ts';
import { memoryRegistry } from '../functions/memory-registry.ts';
import { ensureFreshBundle, riskfn } from './run-cli.ts';

const rec = (version: string, status: ModelVersionRecord['status'], extra: Partial<ModelVersionRecord> = {}): ModelVersionRecord => ({
  version,
  artifactKey: `models/${version}/model.json`,
  status,
  createdAt: '2026-11-20T09:00:00.000Z',
  ...extra,
});

describe('listing', () => {
  test('collects versions newest first across pages up to the limit', async () => {
    const registry = memoryRegistry();
    for (let i = 1; i <= 130; i++) registry.versions.set(`rf-${String(i).padStart(3, '0')}`, rec(`rf-${String(i).padStart(3, '0')}`, 'candidate'));
    const calls: number[] = [];
    const counting = {
      listModelVersions: (o: Parameters<typeof registry.listModelVersions>[0]) => {
        calls.push(o.limit);
        return registry.listModelVersions(o);
      },
    };
    const got = await listVersions(counting, { limit: 120 });
    assert.equal(got.length, 120);
    assert.equal(got[0].version, 'rf-130');
    assert.equal(got[119].version, 'rf-011');
    assert.deepEqual(calls, [100, 20], 'pages of at most 100, the last one only as large as needed');
    assert.equal((await listVersions(registry, { limit: 5, status: 'rejected' })).length, 0);
  });

  test('prints aligned columns with a note per status', () => {
    const text = formatVersionList([
      rec('rf-3', 'rejected', { reason: 'challenger 0.52 does not beat champion 0.61' }),
      rec('rf-2', 'champion', { promotedAt: '2026-11-21T10:00:00.000Z', approval: { approver: 'alice', at: '2026-11-21T09:00:00.000Z' } }),
      rec('rf-1', 'retired', { replacedBy: 'rf-2' }),
    ]);
    assert.equal(
      text,
      [
        'VERSION  STATUS    TRAINED                   PROMOTED                  NOTE',
        'rf-3     rejected  2026-11-20T09:00:00.000Z  -                         challenger 0.52 does not beat champion 0.61',
        'rf-2     champion  2026-11-20T09:00:00.000Z  2026-11-21T10:00:00.000Z  approved by alice',
        'rf-1     retired   2026-11-20T09:00:00.000Z  -                         replaced by rf-2',
        '',
      ].join('\n'),
    );
    assert.equal(formatVersionList([]), '');
  });
});

describe('show', () => {
  test('the entry as text: registry facts, flattened evaluation, promotions, a missing artifact named', async () => {
    const registry = memoryRegistry();
    await registry.recordModelVersion(rec('rf-9', 'candidate', { evaluation: { balancedAccuracy: 0.612345678, baselines: { har: { brier: 0.4 } } } }));
    await registry.promoteChampion({ version: 'rf-9', artifactKey: 'models/rf-9/model.json', score: 0.61, promotedAt: '2026-11-22T10:00:00.000Z' }, null);
    await registry.markChampionVersion('rf-9', { artifactKey: 'models/rf-9/model.json', promotedAt: '2026-11-22T10:00:00.000Z' });
    const missing = async (_v: string, key: string) => {
      throw new ObjectMissingError('bucket', key);
    };
    const entry = await showVersion(registry, 'champion', missing);
    assert.equal(entry.version, 'rf-9');
    assert.equal(entry.model, null);
    const text = formatEntry(entry);
    assert.match(text, /^rf-9\n\nRegistry\n {2}status +champion \(serving\)\n/);
    assert.match(text, /\n {2}balancedAccuracy +0\.612346\n {2}baselines\.har\.brier +0\.4\n/);
    assert.match(text, /\n {2}artifact +not read: the artifact models\/rf-9\/model\.json does not exist\n/);
    assert.match(text, /\n {2}2026-11-22T10:00:00\.000Z +rf-9 became the first champion \(score 0\.61\)$/);
    await assert.rejects(showVersion(registry, 'rf-none', missing), /has no version 'rf-none'/);
    await assert.rejects(showVersion(memoryRegistry(), 'champion', missing), /no model has been promoted to champion yet/);
  });
});

describe('approve', () => {
  const approval = { approver: 'alice', at: '2026-11-23T08:00:00.000Z' };

  test('sends the stored task token with the approval and says the workflow was resumed', async () => {
    const registry = memoryRegistry();
    await registry.recordModelVersion(rec('rf-w', 'candidate'));
    await registry.recordApprovalRequest('rf-w', 'arn-token-1');
    const sent: [string, Record<string, unknown>][] = [];
    const outcome = await approveVersion(registry, 'rf-w', approval, async (token, output) => {
      sent.push([token, output]);
      return true;
    });
    assert.deepEqual(sent, [['arn-token-1', { version: 'rf-w', approver: 'alice', approvedAt: '2026-11-23T08:00:00.000Z' }]]);
    assert.equal(outcome.workflow, 'resumed');
    assert.equal(approvalMessage(outcome), 'rf-w approved by alice at 2026-11-23T08:00:00.000Z; the workflow waiting for it was resumed and will promote it');
    assert.equal(registry.versions.get('rf-w')?.status, 'approved');
  });

  test('without a waiting workflow nothing is sent; a workflow that stopped waiting is an error after the approval is recorded', async () => {
    const registry = memoryRegistry();
    await registry.recordModelVersion(rec('rf-c', 'candidate'));
    const never = async () => assert.fail('nothing to send');
    assert.equal((await approveVersion(registry, 'rf-c', approval, never)).workflow, 'none');

    await registry.recordModelVersion(rec('rf-t', 'candidate'));
    await registry.recordApprovalRequest('rf-t', 'arn-token-2');
    const timedOut = Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
    await assert.rejects(
      approveVersion(registry, 'rf-t', approval, async () => {
        throw timedOut;
      }),
      /rf-t is approved in the registry, but the workflow waiting for it could not be resumed \(TaskTimedOut: Task Timed Out\)/,
    );
    assert.equal(registry.versions.get('rf-t')?.status, 'approved');
  });

  test('refuses an unknown version and one past approval, sending nothing', async () => {
    const registry = memoryRegistry();
    await registry.recordModelVersion(rec('rf-r', 'rejected'));
    const never = async () => assert.fail('nothing to send');
    await assert.rejects(approveVersion(registry, 'rf-x', approval, never), /the model registry has no version 'rf-x'/);
    await assert.rejects(approveVersion(registry, 'rf-r', approval, never), /rf-r is rejected; only a candidate or awaiting-approval version can be approved/);
  });
});

describe('usage errors (exit 2, before any stack is looked for)', () => {
  let empty: string;
  before(async () => {
    await ensureFreshBundle();
    empty = mkdtempSync(join(tmpdir(), 'riskfn-models-usage-'));
  });
  after(() => rmSync(empty, { recursive: true, force: true }));

  for (const [args, message] of [
    [['models', 'show', 'a b'], "VERSION must be letters, digits and . _ : - (at most 128, starting with a letter or digit), got 'a b'"],
    [['models', 'list', '--status', 'shiny'], '--status must be one of candidate, awaiting-approval, approved, champion, retired, rejected'],
    [['models', 'list', '--limit', '0'], '--limit must be an integer >= 1'],
    [['models', 'show', 'rf-1', '--table', 'riskfn-model-registry'], '--table needs --bucket NAME too'],
    [['models', 'show', 'rf-1', '--bucket', 'b'], '--bucket goes with --table'],
    [['models', 'approve', 'rf-1', '--approver', ' '], '--approver must not be empty'],
  ] as const) {
    test(args.join(' '), () => {
      const r = riskfn(args, { cwd: empty });
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.includes(message), r.stderr);
    });
  }

  test('without a local stack or --table: exit 1 saying how to reach one', () => {
    const r = riskfn(['models', 'list'], { cwd: empty });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no local stack found .*start the local stack with `npm start`, or use AWS with --table NAME/);
  });
});
