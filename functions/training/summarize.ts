/**
 * Summarize task: pools the walk-forward folds' results into the evaluation report, stores it, and
 * plans the refit on all labelled rows (the forest's options, its depth tuned and its calibration fit
 * as `trainRiskModel` does them; stored) as tree shards, one item each for the Train Map.
 */
import { planForestShards } from '../../lib/domain/model/forest-shards.ts';
import type { FoldResult } from '../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateError, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { modelOptions } from './options.ts';
import { requireWorkflowSection, TREES_PER_SHARD, type WorkflowSections, WorkflowSectionsSchema } from './workflow-state.ts';

export type SummarizeDependencies = Pick<TrainingDependencies, 'logger' | 'getDataset' | 'getRunObject' | 'putRunObject' | 'steps'>;

export function createSummarizeHandler(deps: SummarizeDependencies) {
  return lambdaHandler<unknown, TrainingState & WorkflowSections>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const sections = WorkflowSectionsSchema.parse(event);
    const runId = requireSection(state, 'runId', 'Summarize');
    const dataset = requireSection(state, 'dataset', 'Summarize');
    const walkForward = requireWorkflowSection(sections, 'walkForward', 'Summarize');
    const results = [...(walkForward.results ?? [])].sort((a, b) => a.index - b.index);
    if (results.length !== walkForward.folds.length) {
      throw new TrainingStateError(`Summarize: ${results.length} fold results for ${walkForward.folds.length} folds`);
    }
    const opts = modelOptions(state.options ?? {});
    const set = parseTrainingSet(await deps.getDataset(dataset.key));
    const folds = await Promise.all(results.map(async (r) => JSON.parse(await deps.getRunObject(r.key)) as FoldResult));
    const report = deps.steps.summarizeWalkForward(set, folds, opts);
    const reportKey = await deps.putRunObject(runId, 'walk-forward.json', JSON.stringify(report));
    const plan = deps.steps.refitOptions(set, report, opts);
    const planKey = await deps.putRunObject(runId, 'refit.json', JSON.stringify(plan));
    const shards = planForestShards(plan.forest.trees, sections.treesPerShard ?? TREES_PER_SHARD).map((r) => ({ ...r, planKey }));
    deps.logger.info('walk-forward summarised', { runId, folds: folds.length, reportKey, trees: plan.forest.trees, shards: shards.length });
    return { ...state, walkForward: { ...walkForward, results, reportKey }, training: { planKey, trees: plan.forest.trees, shards } };
  });
}

export const handler = createSummarizeHandler(awsTrainingDependencies());
