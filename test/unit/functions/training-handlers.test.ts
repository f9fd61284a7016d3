/**
 * The four training task handlers (BuildDataset → Train → Evaluate → Promote) with in-memory
 * dependencies: what each stores, what it records in the registry, and the state it passes on.
 * The domain (training set, forest, gate) is real; the workflow on the emulators is covered by
 * test/integration/e2e.test.ts.
 */

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createBuildDatasetHandler } from '../../../functions/training/build-dataset.ts';
import { createEvaluateHandler } from '../../../functions/training/evaluate.ts';
import { createPromoteHandler } from '../../../functions/training/promote.ts';
import { createTrainHandler } from '../../../functions/training/train.ts';
import { ChampionChangedError } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { artifactKeyFor, datasetKeyFor, summaryKeyFor } from '../../../lib/adapters/s3/model-store.ts';
import { parseArtifact } from '../../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../../lib/domain/training/training-set-codec.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { type TrainingState, TrainingStateError } from '../../../lib/schemas/training-state.ts';
import { samplePrices } from '../api/fixtures.ts';
import { memoryRegistry, memoryTrainingDependencies } from './memory-training.ts';

const context = () => createLambdaContext({ functionName: 'riskfn-training-test', timeoutMs: 900_000 });
const NOW = new Date('2026-11-25T09:00:00.000Z');
const OPTIONS = { trees: 5, maxDepth: 4, seed: 7 };
const LAKE = [samplePrices('DAX', 600), samplePrices('CAC', 600), { ...samplePrices('SMI', 40), symbol: 'SHORT' }];

describe('BuildDataset → Train → Evaluate on an in-memory lake and registry', () => {
  const { deps, objects, registry } = memoryTrainingDependencies({ lake: LAKE, now: NOW });
  let built: TrainingState;
  let trained: TrainingState;

  before(async () => {
    built = await createBuildDatasetHandler(deps)({ runId: 'run-1', options: OPTIONS }, context());
    trained = await createTrainHandler(deps)(built, context());
  });

  test('BuildDataset stores the training set of the trainable symbols under the run and reports the skipped ones', () => {
    const dataset = built.dataset!;
    assert.equal(dataset.key, datasetKeyFor('run-1'));
    const set = parseTrainingSet(objects.get(dataset.key)!);
    assert.deepEqual(dataset.symbols, ['CAC', 'DAX']);
    assert.equal(dataset.rows, set.rows.length);
    assert.deepEqual(dataset.skipped, [{ symbol: 'SHORT', observations: 40 }]);
    assert.deepEqual(built.options, OPTIONS, 'the execution input is passed on');
  });

  test('BuildDataset names the run from the clock when the input has no runId', async () => {
    const { deps: d } = memoryTrainingDependencies({ lake: LAKE.slice(0, 1), now: NOW });
    const out = await createBuildDatasetHandler(d)({}, context());
    assert.match(out.runId!, /^20261125T090000Z-[0-9a-f]{6}$/);
  });

  test('Train stores the artifact and its model card under the version and registers a candidate', () => {
    const challenger = trained.challenger!;
    assert.equal(challenger.version, 'rf-run-1');
    assert.equal(challenger.artifactKey, artifactKeyFor('rf-run-1'));
    const artifact = parseArtifact(objects.get(challenger.artifactKey)!);
    assert.equal(artifact.version, 'rf-run-1');
    assert.match(objects.get(summaryKeyFor('rf-run-1'))!, /rf-run-1/);
    assert.deepEqual(registry.versions.get('rf-run-1'), {
      version: 'rf-run-1',
      artifactKey: challenger.artifactKey,
      status: 'candidate',
      createdAt: NOW.toISOString(),
      evaluation: challenger.evaluation,
    });
  });

  test('Evaluate against a champion of equal skill rejects the challenger and records why', async () => {
    // The champion is the challenger's own artifact: same rows, same score, so "strictly better" fails.
    registry.champion = { version: 'rf-run-0', artifactKey: trained.challenger!.artifactKey, score: 0.5, promotedAt: '2026-01-01T00:00:00.000Z' };
    const out = await createEvaluateHandler(deps)(trained, context());
    const gate = out.evaluation!;
    assert.equal(gate.promote, false);
    assert.equal(gate.championVersion, 'rf-run-0');
    assert.equal(gate.championScore, gate.challengerScore);
    assert.equal(gate.challengerScore, trained.challenger!.evaluation.balancedAccuracy);
    const record = registry.versions.get('rf-run-1')!;
    assert.equal(record.status, 'rejected');
    assert.equal(record.reason, gate.reason);
    assert.deepEqual(record.evaluation, { ...trained.challenger!.evaluation, gate });
  });

  test("a task handed a state without the previous step's section fails with TrainingStateError", async () => {
    await assert.rejects(createTrainHandler(deps)({ runId: 'run-2' }, context()), TrainingStateError);
    await assert.rejects(createEvaluateHandler(deps)({ runId: 'run-2', dataset: built.dataset }, context()), /Evaluate: input has no 'challenger'/);
  });
});

describe('Promote', () => {
  const challenger = {
    version: 'rf-new',
    artifactKey: artifactKeyFor('rf-new'),
    evaluation: { accuracy: 0.6, balancedAccuracy: 0.55, logLoss: 0.9, testRows: 100, testFrom: '1997-01-02' },
  };
  const gate = (championVersion: string | null, promote = true) => ({
    promote,
    reason: 'test',
    metric: 'balancedAccuracy' as const,
    challengerScore: 0.55,
    championVersion,
    championScore: championVersion ? 0.5 : null,
    comparedFrom: '1997-01-02',
    comparedRows: 100,
  });
  const oldChampion = { version: 'rf-old', artifactKey: artifactKeyFor('rf-old'), score: 0.5, promotedAt: '2026-01-01T00:00:00.000Z' };

  test('replaces the champion it was compared with, records the new one and retires the old one', async () => {
    const registry = memoryRegistry(oldChampion);
    registry.versions.set('rf-old', { version: 'rf-old', artifactKey: oldChampion.artifactKey, status: 'champion', createdAt: oldChampion.promotedAt });
    const { deps } = memoryTrainingDependencies({ registry, now: NOW });
    const out = await createPromoteHandler(deps)({ runId: 'run-3', challenger, evaluation: gate('rf-old') }, context());

    assert.deepEqual(out.promotion, { version: 'rf-new', previousVersion: 'rf-old', promotedAt: NOW.toISOString() });
    assert.deepEqual(registry.champion, {
      version: 'rf-new',
      artifactKey: challenger.artifactKey,
      score: 0.55,
      promotedAt: NOW.toISOString(),
      executionId: 'run-3',
    });
    assert.equal(registry.versions.get('rf-new')!.status, 'champion');
    assert.deepEqual(registry.versions.get('rf-old'), {
      version: 'rf-old',
      artifactKey: oldChampion.artifactKey,
      status: 'retired',
      createdAt: oldChampion.promotedAt,
      retiredAt: NOW.toISOString(),
      replacedBy: 'rf-new',
    });
  });

  test('the first champion retires nobody', async () => {
    const { deps, registry } = memoryTrainingDependencies({ now: NOW });
    const out = await createPromoteHandler(deps)({ runId: 'run-4', challenger, evaluation: gate(null) }, context());
    assert.equal(out.promotion!.previousVersion, null);
    assert.equal(registry.champion!.version, 'rf-new');
    assert.deepEqual([...registry.versions.keys()], ['rf-new']);
  });

  test('refuses when the champion changed since Evaluate, and records nothing', async () => {
    const { deps, registry } = memoryTrainingDependencies({ registry: memoryRegistry(oldChampion), now: NOW });
    await assert.rejects(createPromoteHandler(deps)({ challenger, evaluation: gate(null) }, context()), ChampionChangedError);
    assert.equal(registry.champion!.version, 'rf-old');
    assert.equal(registry.versions.size, 0);
  });

  test('refuses a challenger the gate rejected', async () => {
    const { deps, registry } = memoryTrainingDependencies({ now: NOW });
    await assert.rejects(createPromoteHandler(deps)({ challenger, evaluation: gate(null, false) }, context()), /Promote: gate said no \(test\)/);
    assert.equal(registry.champion, null);
  });
});
