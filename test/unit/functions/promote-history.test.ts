// Promote records the promotion in the registry's history and updates (not replaces) the
// version item, so its training time and a person's approval survive the promotion.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPromoteHandler } from '../../../functions/training/promote.ts';
import { artifactKeyFor } from '../../../lib/adapters/s3/model-store.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { memoryRegistry } from './memory-registry.ts';
import { memoryTrainingDependencies } from './memory-training.ts';

const context = () => createLambdaContext({ functionName: 'riskfn-training-test', timeoutMs: 900_000 });
const NOW = new Date('2026-11-25T09:00:00.000Z');
const challenger = {
  version: 'rf-new',
  artifactKey: artifactKeyFor('rf-new'),
  evaluation: { accuracy: 0.6, balancedAccuracy: 0.55, logLoss: 0.9, testRows: 100, testFrom: '1997-01-02' },
};
const gate = (championVersion: string | null) => ({
  promote: true,
  reason: 'test',
  metric: 'balancedAccuracy' as const,
  challengerScore: 0.55,
  championVersion,
  championScore: championVersion ? 0.5 : null,
  comparedFrom: '1997-01-02',
  comparedRows: 100,
});

test('promotion history gets one entry naming the replaced champion, newest first', async () => {
  const registry = memoryRegistry({ version: 'rf-old', artifactKey: artifactKeyFor('rf-old'), score: 0.5, promotedAt: '2026-01-01T00:00:00.000Z' });
  const { deps } = memoryTrainingDependencies({ registry, now: NOW });
  await createPromoteHandler(deps)({ runId: 'run-7', challenger, evaluation: gate('rf-old') }, context());
  assert.deepEqual(await registry.promotionHistory({ limit: 10 }), [
    { version: 'rf-new', previousVersion: 'rf-old', promotedAt: NOW.toISOString(), score: 0.55, executionId: 'run-7' },
  ]);
  assert.equal((await registry.promotionHistory({ limit: 10, version: 'rf-old' })).length, 1, 'the replaced version sees it too');
  assert.deepEqual(await registry.promotionHistory({ limit: 10, version: 'rf-other' }), []);
});

test('an approved version keeps its createdAt and approval and loses its task token when promoted', async () => {
  const registry = memoryRegistry();
  registry.versions.set('rf-new', { version: 'rf-new', artifactKey: challenger.artifactKey, status: 'candidate', createdAt: '2026-11-24T08:00:00.000Z' });
  await registry.recordApprovalRequest('rf-new', 'token-1');
  await registry.approveModelVersion('rf-new', { approver: 'arn:aws:iam::1:user/compliance', at: '2026-11-25T08:30:00.000Z' });
  const { deps } = memoryTrainingDependencies({ registry, now: NOW });
  await createPromoteHandler(deps)({ runId: 'run-8', challenger, evaluation: gate(null) }, context());

  const record = await registry.getModelVersion('rf-new');
  assert.equal(record?.status, 'champion');
  assert.equal(record?.createdAt, '2026-11-24T08:00:00.000Z');
  assert.equal(record?.promotedAt, NOW.toISOString());
  assert.deepEqual(record?.approval, { approver: 'arn:aws:iam::1:user/compliance', at: '2026-11-25T08:30:00.000Z' });
  assert.equal(record?.taskToken, undefined);
  assert.deepEqual(record?.evaluation?.gate, gate(null), 'the gate decision is kept with the evaluation');
});
