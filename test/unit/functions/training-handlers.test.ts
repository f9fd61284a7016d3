/**
 * The training task handlers (BuildDataset → RunFold per fold → Summarize → TrainShard per shard →
 * Merge → Drift → Evaluate → WaitForApproval → Promote) with in-memory dependencies: what each
 * stores, what it records in the registry, and the state it passes on. The Map states are played
 * by hand here (each item as the ItemSelector builds it); test/unit/functions/training-workflow.test.ts
 * runs the synthesised definition, and test/integration/training-workflow.test.ts the emulators.
 */

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createBuildDatasetHandler } from '../../../functions/training/build-dataset.ts';
import { createDriftHandler } from '../../../functions/training/drift.ts';
import { createEvaluateHandler } from '../../../functions/training/evaluate.ts';
import { createMergeHandler } from '../../../functions/training/merge.ts';
import { createPromoteHandler } from '../../../functions/training/promote.ts';
import { createRequestApprovalHandler } from '../../../functions/training/request-approval.ts';
import { createRunFoldHandler } from '../../../functions/training/run-fold.ts';
import { createSummarizeHandler } from '../../../functions/training/summarize.ts';
import { createTrainShardHandler } from '../../../functions/training/train-shard.ts';
import type { WorkflowSections } from '../../../functions/training/workflow-state.ts';
import { ChampionChangedError } from '../../../lib/adapters/dynamodb/model-registry.ts';
import {
  artifactKeyFor,
  datasetKeyFor,
  driftKeyFor,
  modelCardKeyFor,
  modelCardPageKeyFor,
  runObjectKeyFor,
  summaryKeyFor,
} from '../../../lib/adapters/s3/model-store.ts';
import { PSI_RETRAIN_THRESHOLD } from '../../../lib/domain/model/drift.ts';
import { parseArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../../lib/domain/training/training-set-codec.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { ModelCardSchema } from '../../../lib/schemas/model-card.ts';
import { TrainingLakeObjectsSchema } from '../../../lib/schemas/training-lake-objects.ts';
import type { TrainingState } from '../../../lib/schemas/training-state.ts';
import { samplePrices } from '../api/fixtures.ts';
import { memoryRegistry, memoryTrainingDependencies } from './memory-training.ts';

const context = () => createLambdaContext({ functionName: 'riskfn-training-test', timeoutMs: 900_000 });
const NOW = new Date('2026-11-25T09:00:00.000Z');
const OPTIONS = { trees: 5, maxDepth: 4, seed: 7 };
const LAKE = [samplePrices('DAX', 600), samplePrices('CAC', 600), { ...samplePrices('SMI', 40), symbol: 'SHORT' }];

type State = TrainingState & WorkflowSections;

/** The items a Map state hands its task: the ItemSelector of lib/infra/training-workflow.ts. */
const mapItems = (state: State, items: unknown[]) =>
  items.map((item, index) => ({ item, index, runId: state.runId!, dataset: state.dataset!, options: state.options! }));

describe('the training steps on an in-memory lake and registry', () => {
  const { deps, objects, datasets, registry, metrics } = memoryTrainingDependencies({ lake: LAKE, now: NOW });
  let built: State;
  let summarized: State;
  let merged: State;
  let drifted: State;

  before(async () => {
    // Two shards of trees: 2 + 3.
    built = await createBuildDatasetHandler(deps)({ runId: 'run-1', options: OPTIONS, treesPerShard: 3 }, context());
    const folds = await Promise.all(mapItems(built, built.walkForward!.folds).map((i) => createRunFoldHandler(deps)(i, context())));
    summarized = await createSummarizeHandler(deps)({ ...built, walkForward: { ...built.walkForward!, results: folds } }, context());
    const shards = await Promise.all(mapItems(summarized, summarized.training!.shards).map((i) => createTrainShardHandler(deps)(i, context())));
    merged = await createMergeHandler(deps)({ ...summarized, training: { ...summarized.training!, results: shards.reverse() } }, context());
    drifted = await createDriftHandler(deps)(merged, context());
  });

  test('BuildDataset stores the training set of the trainable symbols and the recent features, reports the skipped ones and plans the folds', () => {
    const dataset = built.dataset!;
    assert.equal(dataset.key, datasetKeyFor('run-1'));
    const set = parseTrainingSet(datasets.get(dataset.key)!);
    assert.deepEqual(dataset.symbols, ['CAC', 'DAX']);
    assert.equal(dataset.rows, set.rows.length);
    assert.deepEqual(dataset.skipped, [{ symbol: 'SHORT', observations: 40 }]);
    assert.deepEqual(built.options, OPTIONS, 'the execution input is passed on');
    assert.equal(built.requireApproval, false);
    assert.ok(built.walkForward!.folds.length >= 1);
    const recent = JSON.parse(objects.get(built.recentFeaturesKey!)!) as { featureNames: string[]; rows: number[][] };
    assert.equal(built.recentFeaturesKey, runObjectKeyFor('run-1', 'recent-features.json'));
    assert.deepEqual(recent.featureNames, set.featureNames);
    // The last 63 days of each of the two symbols.
    assert.equal(recent.rows.length, 2 * 63);
    // Every symbol read, trainable or not, with the objects its series came from (one each in the memory lake).
    assert.equal(built.lakeObjectsKey, runObjectKeyFor('run-1', 'lake-objects.json'));
    assert.deepEqual(TrainingLakeObjectsSchema.parse(JSON.parse(objects.get(built.lakeObjectsKey!)!)), {
      runId: 'run-1',
      symbols: ['CAC', 'DAX', 'SHORT'].map((symbol) => ({
        symbol,
        objects: [{ key: `curated/prices/year=2000/${symbol}.parquet`, etag: `"${symbol}"`, folded: 1 }],
        skipped: [],
      })),
    });
    assert.equal(built.executionArn, undefined, 'a bare state (no Step Functions context) has no execution');
  });

  test('BuildDataset keeps the execution ARN the state machine hands it beside the input, and runs without one', async () => {
    const { deps: d } = memoryTrainingDependencies({ lake: LAKE.slice(0, 1), now: NOW });
    const arn = 'arn:aws:states:eu-central-1:123456789012:execution:riskfn-training:0f6b3c1e';
    const out = await createBuildDatasetHandler(d)(
      { state: { runId: 'run-x', options: OPTIONS }, execution: { Id: arn, StartTime: NOW.toISOString() } },
      context(),
    );
    assert.equal(out.executionArn, arn);
    assert.equal(out.runId, 'run-x');
    assert.deepEqual(out.options, OPTIONS);
    // What aws-local-stepfunctions supplies: Execution without an Id.
    const local = await createBuildDatasetHandler(d)(
      { state: { runId: 'run-y' }, execution: { Input: { runId: 'run-y' }, StartTime: NOW.toISOString() } },
      context(),
    );
    assert.equal(local.runId, 'run-y');
    assert.equal(local.executionArn, undefined);
    assert.equal('execution' in local || 'state' in local, false, 'the wrapper does not leak into the state');
  });

  test('BuildDataset names the run from the clock when the input has none, and always passes options on', async () => {
    const { deps: d } = memoryTrainingDependencies({ lake: LAKE.slice(0, 1), now: NOW });
    const out = await createBuildDatasetHandler(d)({ requireApproval: true }, context());
    assert.match(out.runId!, /^20261125T090000Z-[0-9a-f]{6}$/);
    assert.deepEqual(out.options, {});
    assert.equal(out.requireApproval, true);
  });

  test('RunFold and TrainShard store their results under the run and return only the key', () => {
    assert.deepEqual(summarized.walkForward!.results![0], { index: 0, key: runObjectKeyFor('run-1', 'folds/0.json') });
    assert.deepEqual(
      summarized.training!.shards.map(({ from, to }) => [from, to]),
      [
        [0, 2],
        [2, 5],
      ],
    );
    assert.ok(objects.has(runObjectKeyFor('run-1', 'shards/1.json')));
  });

  test('Merge assembles the same artifact as training in one process, stores it with its card and registers a candidate', () => {
    const challenger = merged.challenger!;
    assert.equal(challenger.version, 'rf-run-1');
    assert.equal(challenger.artifactKey, artifactKeyFor('rf-run-1'));
    const stored = objects.get(challenger.artifactKey)!;
    const set = parseTrainingSet(datasets.get(built.dataset!.key)!);
    const { artifact } = trainRiskModel(set, { ...OPTIONS, permutationRepeats: 0 });
    assert.equal(stored, serializeArtifact({ ...artifact, version: 'rf-run-1' }));
    assert.equal(parseArtifact(stored).version, 'rf-run-1');
    assert.deepEqual(registry.versions.get('rf-run-1'), {
      version: 'rf-run-1',
      artifactKey: challenger.artifactKey,
      status: 'candidate',
      createdAt: NOW.toISOString(),
      evaluation: challenger.evaluation,
      lakeObjectsKey: runObjectKeyFor('run-1', 'lake-objects.json'),
    });
  });

  test('Drift writes the PSI per feature beside the artifact and in the card, and emits one metric per feature', () => {
    const drift = drifted.drift!;
    assert.equal(drift.key, driftKeyFor('rf-run-1'));
    assert.equal(drift.threshold, PSI_RETRAIN_THRESHOLD);
    assert.equal(drift.rows, 2 * 63);
    const report = JSON.parse(objects.get(drift.key)!) as { features: { feature: string; psi: number }[] };
    const set = parseTrainingSet(datasets.get(built.dataset!.key)!);
    assert.deepEqual(
      report.features.map((f) => f.feature),
      set.featureNames,
    );
    assert.equal(drift.maxPsi, Math.max(...report.features.map((f) => f.psi)));
    assert.deepEqual(
      metrics.filter((m) => m.name === 'featurePsi').map((m) => [m.feature, m.value]),
      report.features.map((f) => [f.feature, f.psi]),
    );
    assert.deepEqual(metrics.at(-1), { name: 'maxFeaturePsi', value: drift.maxPsi });
    assert.match(objects.get(summaryKeyFor('rf-run-1'))!, /Drift \(population stability index of 126 recent rows/);
  });

  test('Evaluate against a champion of equal skill rejects the challenger and records why', async () => {
    // The champion is the challenger's own artifact: same rows, same score, so "strictly better" fails.
    registry.champion = { version: 'rf-run-0', artifactKey: merged.challenger!.artifactKey, score: 0.5, promotedAt: '2026-01-01T00:00:00.000Z' };
    const out = await createEvaluateHandler(deps)(drifted, context());
    const gate = out.evaluation!;
    assert.equal(gate.promote, false);
    assert.equal(gate.championVersion, 'rf-run-0');
    assert.equal(gate.championScore, gate.challengerScore);
    assert.equal(gate.challengerScore, merged.challenger!.evaluation.balancedAccuracy);
    const record = registry.versions.get('rf-run-1')!;
    assert.equal(record.status, 'rejected');
    assert.equal(record.reason, gate.reason);
    assert.deepEqual(record.evaluation, { ...merged.challenger!.evaluation, gate });
    assert.equal(record.lakeObjectsKey, runObjectKeyFor('run-1', 'lake-objects.json'), 'rewriting the item keeps what Merge recorded of the run');
    // The model card beside the artifact: the gate's decision and comparisons, the champion's scores, the status known then.
    const card = ModelCardSchema.parse(JSON.parse(objects.get(modelCardKeyFor('rf-run-1'))!));
    assert.equal(card.version, 'rf-run-1');
    assert.deepEqual(card.gate.comparisons, gate.comparisons);
    assert.equal(card.gate.reason, gate.reason);
    assert.equal(card.evaluation.champion?.version, 'rf-run-0');
    assert.equal(card.evaluation.champion?.champion.balancedAccuracy, gate.championScore);
    assert.deepEqual(card.approval, { status: 'rejected', source: 'training', approver: null, approvedAt: null, promotedAt: null, requireApproval: false });
    assert.match(objects.get(modelCardPageKeyFor('rf-run-1'))!, /^<!doctype html>[\s\S]*Model card: rf-run-1/);
  });

  test("a step handed a state without the previous step's section fails naming it", async () => {
    await assert.rejects(createSummarizeHandler(deps)({ runId: 'run-2', dataset: built.dataset }, context()), /Summarize: input has no 'walkForward'/);
    await assert.rejects(createMergeHandler(deps)({ runId: 'run-2', dataset: built.dataset }, context()), /Merge: input has no 'walkForward'/);
    await assert.rejects(createEvaluateHandler(deps)({ runId: 'run-2', dataset: built.dataset }, context()), /Evaluate: input has no 'challenger'/);
    await assert.rejects(createRunFoldHandler(deps)({ index: 0, item: {} }, context()), /runId/);
  });
});

describe('WaitForApproval', () => {
  const challenger = {
    version: 'rf-new',
    artifactKey: artifactKeyFor('rf-new'),
    evaluation: { accuracy: 0.6, balancedAccuracy: 0.55, logLoss: 0.9, testRows: 100, testFrom: '1997-01-02' },
  };
  const candidate = { version: 'rf-new', artifactKey: artifactKeyFor('rf-new'), status: 'candidate' as const, createdAt: NOW.toISOString() };

  test("stores the execution's task token on the challenger's version (awaiting approval) and sends nothing", async () => {
    const { deps, registry, sentApprovals } = memoryTrainingDependencies({ now: NOW });
    registry.versions.set('rf-new', candidate);
    const out = await createRequestApprovalHandler(deps)({ taskToken: 'token-1', state: { runId: 'run-5', challenger } }, context());
    assert.deepEqual(out, { version: 'rf-new', approvedAhead: false });
    const record = registry.versions.get('rf-new')!;
    assert.equal(record.status, 'awaiting-approval');
    assert.equal(record.taskToken, 'token-1');
    assert.deepEqual(sentApprovals, []);
    await assert.rejects(createRequestApprovalHandler(deps)({ state: { challenger } }, context()), /taskToken/);
  });

  test('a version approved before the request resumes the run at once with the approval on record', async () => {
    const { deps, registry, sentApprovals } = memoryTrainingDependencies({ now: NOW });
    registry.versions.set('rf-new', candidate);
    await registry.approveModelVersion('rf-new', { approver: 'compliance', at: '2026-11-25T08:00:00.000Z' });
    const out = await createRequestApprovalHandler(deps)({ taskToken: 'token-2', state: { runId: 'run-6', challenger } }, context());
    assert.deepEqual(out, { version: 'rf-new', approvedAhead: true });
    assert.deepEqual(sentApprovals, [{ token: 'token-2', output: { version: 'rf-new', approver: 'compliance', approvedAt: '2026-11-25T08:00:00.000Z' } }]);
    assert.equal(registry.versions.get('rf-new')!.status, 'approved');
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

  test('a retried Promote (pointer written, then a failure) finishes the same promotion, once in the history', async () => {
    const { deps, registry } = memoryTrainingDependencies({ registry: memoryRegistry(oldChampion), now: NOW });
    const event = { runId: 'run-9', challenger, evaluation: gate('rf-old') };
    const first = await createPromoteHandler(deps)(event, context());
    // The retry runs later; it must report the first attempt's promotion time, not its own.
    const later = memoryTrainingDependencies({ registry, now: new Date(NOW.getTime() + 60_000) });
    const retry = await createPromoteHandler(later.deps)(event, context());
    assert.deepEqual(retry.promotion, first.promotion);
    assert.equal(registry.champion!.version, 'rf-new');
    assert.equal(registry.promotions.length, 1);
    // Another execution finding rf-new in place of rf-old is still refused.
    await assert.rejects(createPromoteHandler(later.deps)({ ...event, runId: 'run-10' }, context()), ChampionChangedError);
  });

  test('refuses a challenger the gate rejected', async () => {
    const { deps, registry } = memoryTrainingDependencies({ now: NOW });
    await assert.rejects(createPromoteHandler(deps)({ challenger, evaluation: gate(null, false) }, context()), /Promote: gate said no \(test\)/);
    assert.equal(registry.champion, null);
  });
});
