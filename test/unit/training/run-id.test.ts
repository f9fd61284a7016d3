import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRunId, modelVersionFor } from '../../../lib/domain/training/run-id.ts';
import { TrainingStateSchema } from '../../../lib/schemas/training-state.ts';

test('run ids sort by time and carry a random suffix', () => {
  const id = makeRunId(new Date('2026-11-25T08:05:09.123Z'), () => 0.5);
  assert.equal(id, '20261125T080509Z-800000');
  assert.equal(modelVersionFor(id), 'rf-20261125T080509Z-800000');
  assert.ok(TrainingStateSchema.safeParse({ runId: id }).success);
});

test('the workflow state rejects unknown training options with the field named', () => {
  const r = TrainingStateSchema.safeParse({ options: { tress: 3 } });
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r.error!.issues), /tress/);
});
