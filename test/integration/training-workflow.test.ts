/**
 * The synthesised training state machine, Map states included, run by the local runner on the
 * emulators with every task bound to its real handler (S3 on s3rver, the registry on dynalite):
 * four instruments in the lake, a small forest in tree shards, the manual-approval step, to a
 * promoted champion whose artifact is byte-identical to `trainRiskModel` on the same training set.
 * A second identical run cannot beat that champion and is rejected.
 *
 * The instruments are synthetic (test/helpers/regime-series.ts): volatility switches between 8 %
 * and 40 % a year every 42 trading days, a regime the features reveal and persistence and HAR
 * cannot follow, so a small forest beats the baselines and the run reaches promotion whatever the
 * model's edge on real markets (docs/model.md has that evaluation).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { dynamoModelRegistry } from '../../lib/adapters/dynamodb/model-registry.ts';
import { artifactKeyFor, datasetKeyFor, driftKeyFor, modelCardKeyFor, modelCardPageKeyFor } from '../../lib/adapters/s3/model-store.ts';
import { getBytes, getText } from '../../lib/adapters/s3/objects.ts';
import { sendApproval } from '../../lib/adapters/stepfunctions/task-tokens.ts';
import { serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { createTrainingWorkflowRunner, type TrainingWorkflowRunner } from '../../lib/local/step-functions/training-workflow.ts';
import { ModelCardSchema } from '../../lib/schemas/model-card.ts';
import { TrainingLakeObjectsSchema } from '../../lib/schemas/training-lake-objects.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { barsOfSeries, putCompacted } from '../helpers/lake-seed.ts';
import { regimeSeries } from '../helpers/regime-series.ts';

const emu = useEmulators();
const bucket = () => emu().env.DATA_BUCKET!;
const SYMBOLS = ['RGA', 'RGB', 'RGC', 'RGD'];

/** Small and fast: 8 trees in shards of 3 (three TrainShard items). */
const OPTIONS = { trees: 8, seed: 42, folds: 3 };

describe('training workflow on the emulators', () => {
  let runner: TrainingWorkflowRunner;

  before(async () => {
    for (const [k, symbol] of SYMBOLS.entries()) await putCompacted(bucket(), barsOfSeries(regimeSeries(symbol, { seed: k + 1, phase: 7 * (k + 1) })));
    runner = await createTrainingWorkflowRunner();
  });

  test('trains in Map states, waits for approval, and promotes the same model one process trains', async () => {
    const registry = dynamoModelRegistry();
    const running = runner.run({ runId: 'it-1', options: OPTIONS, treesPerShard: 3, requireApproval: true });
    let record = await registry.getModelVersion('rf-it-1');
    // Until the run asks for approval (or the gate rejected it: the assertion below then says so).
    for (let i = 0; i < 600 && (record === null || record.status === 'candidate'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      record = await registry.getModelVersion('rf-it-1');
    }
    assert.equal(record?.status, 'awaiting-approval', JSON.stringify(record?.evaluation));
    assert.equal(await registry.getChampion(), null, 'nothing is promoted before the approval');
    // What `riskfn models approve` does: approve in the registry, then send the token back (a local token is not sent).
    const approved = await registry.approveModelVersion('rf-it-1', { approver: 'compliance', at: '2026-11-30T12:00:00.000Z' });
    assert.equal(await sendApproval(approved.taskToken!, { version: 'rf-it-1' }), false);

    const result = await running;
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error ?? result.taskErrors));
    assert.equal(result.path.filter((s) => s === 'TrainShard').length, 3);
    assert.ok(result.path.includes('RunFold'));
    assert.deepEqual(result.path.slice(-3), ['WaitForApproval', 'Promote', 'Promoted']);
    assert.equal((await registry.getChampion())?.version, 'rf-it-1');
    const entry = await registry.getModelVersion('rf-it-1');
    assert.equal(entry?.status, 'champion');
    // The lake objects BuildDataset read, named by the version; aws-local-stepfunctions has no execution id to record.
    assert.equal(entry?.lakeObjectsKey, 'datasets/it-1/lake-objects.json');
    assert.equal(entry?.executionArn, undefined);
    const lake = TrainingLakeObjectsSchema.parse(JSON.parse(await getText(bucket(), entry!.lakeObjectsKey!)));
    assert.deepEqual(
      lake.symbols.map((s) => [s.symbol, s.objects.length > 0, s.objects.every((o) => /^"[0-9a-f]{32}"$/.test(o.etag) && o.folded === 0)]),
      SYMBOLS.map((symbol) => [symbol, true, true]),
    );

    const set = parseTrainingSet(await getBytes(bucket(), datasetKeyFor('it-1')));
    assert.deepEqual([...new Set(set.rows.map((r) => r.symbol))].sort(), [...SYMBOLS].sort());
    const { artifact } = trainRiskModel(set, OPTIONS);
    const stored = await getText(bucket(), artifactKeyFor('rf-it-1'));
    const expected = serializeArtifact({ ...artifact, version: 'rf-it-1' });
    // Field by field first, so a difference is named without printing two whole forests.
    const { forest: storedForest, ...storedRest } = JSON.parse(stored);
    const { forest: expectedForest, ...expectedRest } = JSON.parse(expected);
    assert.deepEqual(storedRest, expectedRest);
    assert.ok(JSON.stringify(storedForest) === JSON.stringify(expectedForest), 'the merged forest differs from the one-process forest');
    assert.ok(stored === expected, 'the stored artifact is not byte-identical to the one-process artifact');
    const drift = JSON.parse(await getText(bucket(), driftKeyFor('rf-it-1'))) as { features: { feature: string; psi: number }[] };
    assert.deepEqual(
      drift.features.map((f) => f.feature),
      set.featureNames,
    );
    // Evaluate stored the model card beside the artifact, with the gate's decision and the status known then.
    const card = ModelCardSchema.parse(JSON.parse(await getText(bucket(), modelCardKeyFor('rf-it-1'))));
    assert.equal(card.version, 'rf-it-1');
    assert.equal(card.gate.promote, true);
    assert.deepEqual([card.approval.status, card.approval.requireApproval], ['candidate', true]);
    assert.match(await getText(bucket(), modelCardPageKeyFor('rf-it-1')), /<title>Model card: rf-it-1<\/title>/);
  });

  test('an identical second run does not beat the champion and is rejected', async () => {
    const result = await runner.run({ runId: 'it-2', options: OPTIONS, treesPerShard: 3 });
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error ?? result.taskErrors));
    assert.deepEqual(result.path.slice(-2), ['IsChallengerBetter', 'Reject']);
    assert.equal((await dynamoModelRegistry().getChampion())?.version, 'rf-it-1');
    assert.equal((await dynamoModelRegistry().getModelVersion('rf-it-2'))?.status, 'rejected');
  });
});
