/**
 * Merge task: puts the Train Map's tree shards back together into the refit forest (byte-identical
 * to training it in one process), packages the artifact with the walk-forward report, stores it
 * and its model card under models/<version>/ and registers the version as a candidate.
 */
import * as z from 'zod';
import type { ForestShard } from '../../lib/domain/model/forest/index.ts';
import { mergeForestShardsJson } from '../../lib/domain/model/forest-shards.ts';
import { type Refit, serializeArtifact, type WalkForwardReport } from '../../lib/domain/model/index.ts';
import { formatArtifactSummary } from '../../lib/domain/model/report-text.ts';
import { modelVersionFor } from '../../lib/domain/training/run-id.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { modelOptions } from './options.ts';
import { refitRows } from './refit-rows.ts';
import { requireWorkflowSection, runProvenance, type WorkflowSections, WorkflowSectionsSchema } from './workflow-state.ts';

export type MergeDependencies = Pick<
  TrainingDependencies,
  'logger' | 'now' | 'getDataset' | 'getRunObject' | 'putArtifact' | 'putModelSummary' | 'registry' | 'steps'
>;

export function createMergeHandler(deps: MergeDependencies) {
  return lambdaHandler<unknown, TrainingState & WorkflowSections>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const sections = WorkflowSectionsSchema.parse(event);
    const runId = requireSection(state, 'runId', 'Merge');
    const dataset = requireSection(state, 'dataset', 'Merge');
    const walkForward = requireWorkflowSection(sections, 'walkForward', 'Merge');
    const training = requireWorkflowSection(sections, 'training', 'Merge');
    const reportKey = z.string().parse(walkForward.reportKey);
    const results = [...(training.results ?? [])].sort((a, b) => a.index - b.index);

    const getJson = async (key: string) => JSON.parse(await deps.getRunObject(key)) as unknown;
    const [set, plan, report, shards] = await Promise.all([
      deps.getDataset(dataset.key).then(parseTrainingSet),
      getJson(training.planKey) as Promise<Refit>,
      getJson(reportKey) as Promise<WalkForwardReport>,
      Promise.all(results.map((r) => getJson(r.key) as Promise<ForestShard>)),
    ]);
    const { X, y } = refitRows(set, plan);
    const forest = mergeForestShardsJson(X, y, plan.forest, shards);
    const artifact = deps.steps.assembleArtifact(set, forest, report, plan, modelOptions(state.options ?? {}));

    const version = modelVersionFor(runId);
    const versioned = { ...artifact, version };
    const artifactKey = await deps.putArtifact(version, serializeArtifact(versioned));
    // The model card for reviewers: what was trained on what, and how it scored against the baselines.
    await deps.putModelSummary(version, `${formatArtifactSummary(versioned)}\n\n${deps.steps.reportText(report)}\n`);
    const summary = deps.steps.scoreSummary(report);
    await deps.registry.recordModelVersion({
      version,
      artifactKey,
      status: 'candidate',
      createdAt: deps.now().toISOString(),
      evaluation: summary,
      ...runProvenance(sections),
    });
    deps.logger.info('challenger assembled', { version, shards: shards.length, trees: training.trees, ...summary });
    return { ...state, challenger: { version, artifactKey, evaluation: summary } };
  });
}

export const handler = createMergeHandler(awsTrainingDependencies());
