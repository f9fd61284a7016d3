/**
 * The synthesised training state machine, Map states included, run by the local runner
 * (aws-local-stepfunctions) with every task bound to its real handler on in-memory dependencies:
 * to a promoted champion, and through the manual-approval step (task token in the registry,
 * approval, promotion). The same on the emulators: test/integration/training-workflow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBuildDatasetHandler } from '../../../functions/training/build-dataset.ts';
import { createDriftHandler } from '../../../functions/training/drift.ts';
import { createEvaluateHandler } from '../../../functions/training/evaluate.ts';
import { createMergeHandler } from '../../../functions/training/merge.ts';
import { createPromoteHandler } from '../../../functions/training/promote.ts';
import { createRequestApprovalHandler } from '../../../functions/training/request-approval.ts';
import { createRunFoldHandler } from '../../../functions/training/run-fold.ts';
import { createSummarizeHandler } from '../../../functions/training/summarize.ts';
import { createTrainShardHandler } from '../../../functions/training/train-shard.ts';
import { LOCAL_TASK_TOKEN_PREFIX } from '../../../lib/adapters/stepfunctions/task-tokens.ts';
import { createTrainingWorkflowRunner } from '../../../lib/local/step-functions/training-workflow.ts';
import { regimeSeries } from '../../helpers/regime-series.ts';
import { memoryTrainingDependencies } from './memory-training.ts';

/** Four instruments with a learnable volatility regime, so the small forest beats the baselines and is promoted. */
const LAKE = ['RGA', 'RGB', 'RGC', 'RGD'].map((symbol, k) => regimeSeries(symbol, { seed: k + 1, phase: 7 * (k + 1) }));
const INPUT = { options: { trees: 5, maxDepth: 4, seed: 7, folds: 3 }, treesPerShard: 2 };

async function runnerFor(deps: ReturnType<typeof memoryTrainingDependencies>['deps'], registry: ReturnType<typeof memoryTrainingDependencies>['registry']) {
  const h = <T>(create: (d: typeof deps) => T) => create(deps) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
  return createTrainingWorkflowRunner({
    registry,
    handlerOverrides: {
      BuildDataset: h(createBuildDatasetHandler),
      RunFold: h(createRunFoldHandler),
      Summarize: h(createSummarizeHandler),
      TrainShard: h(createTrainShardHandler),
      Merge: h(createMergeHandler),
      Drift: h(createDriftHandler),
      Evaluate: h(createEvaluateHandler),
      WaitForApproval: h(createRequestApprovalHandler),
      Promote: h(createPromoteHandler),
    },
  });
}

describe('the synthesised training workflow on the local runner', () => {
  test('runs the Map states (one TrainShard per 2 trees) to a promoted champion', async () => {
    const { deps, registry } = memoryTrainingDependencies({ lake: LAKE });
    const runner = await runnerFor(deps, registry);
    const result = await runner.run({ runId: 'wf-1', ...INPUT });
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error ?? result.taskErrors));
    const shards = result.path.filter((s) => s === 'TrainShard').length;
    assert.equal(shards, 3, '5 trees in shards of 2, 2, 1... as planned');
    assert.deepEqual(
      result.path.filter((s) => !['RunFold', 'TrainShard'].includes(s)),
      ['BuildDataset', 'WalkForward', 'Summarize', 'Train', 'Merge', 'Drift', 'Evaluate', 'IsChallengerBetter', 'IsApprovalRequired', 'Promote', 'Promoted'],
    );
    const output = result.output as { promotion: { version: string }; training: { results: { index: number }[] }; drift: { maxPsi: number } };
    assert.deepEqual(
      output.training.results.map((r) => r.index),
      [0, 1, 2],
      'the Map keeps the items in order',
    );
    assert.equal(output.promotion.version, 'rf-wf-1');
    assert.equal(registry.champion?.version, 'rf-wf-1');
    assert.ok(Number.isFinite(output.drift.maxPsi));
  });

  test('with requireApproval, waits for the approval in the registry, then promotes with it', async () => {
    const { deps, registry } = memoryTrainingDependencies({ lake: LAKE });
    const runner = await runnerFor(deps, registry);
    const running = runner.run({ runId: 'wf-2', requireApproval: true, ...INPUT });
    // Wait until the workflow has stored its token, as `riskfn models approve` would find it.
    let record = registry.versions.get('rf-wf-2');
    // Until the run asks for approval (or the gate rejected it: the assertion below then says so).
    for (let i = 0; i < 600 && (record === undefined || record.status === 'candidate'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = registry.versions.get('rf-wf-2');
    }
    assert.equal(record?.status, 'awaiting-approval', JSON.stringify(record?.reason));
    assert.ok(record?.taskToken?.startsWith(LOCAL_TASK_TOKEN_PREFIX));
    assert.equal(registry.champion, null, 'nothing is promoted before the approval');
    await registry.approveModelVersion('rf-wf-2', { approver: 'compliance@example.com', at: '2026-11-30T12:00:00.000Z' });
    const result = await running;
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error ?? result.taskErrors));
    assert.deepEqual(result.path.slice(-3), ['WaitForApproval', 'Promote', 'Promoted']);
    assert.deepEqual((result.output as { approval: unknown }).approval, {
      version: 'rf-wf-2',
      approver: 'compliance@example.com',
      approvedAt: '2026-11-30T12:00:00.000Z',
    });
    const champion = registry.champion as { version: string } | null;
    assert.equal(champion?.version, 'rf-wf-2');
  });
});
