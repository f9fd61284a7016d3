/**
 * BuildDataset task: reads every instrument's curated history from the lake (LAKE_READ_CONCURRENCY
 * symbols at a time), builds the leak-free training set (features up to each day, forward-volatility
 * target) and stores it under datasets/<runId>/, with the recent feature rows the Drift step needs;
 * then plans the walk-forward folds the WalkForward Map state runs, one item per fold.
 */

import { recentFeatureRows } from '../../lib/domain/model/drift.ts';
import { buildTrainingSet, TRAIN_DEFAULTS } from '../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { makeRunId } from '../../lib/domain/training/run-id.ts';
import { selectTrainableSeries } from '../../lib/domain/training/trainable-series.ts';
import { serializeTrainingSet, summarizeTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { mapWithConcurrency } from '../../lib/util/map-with-concurrency.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, LAKE_READ_CONCURRENCY, type TrainingDependencies } from './dependencies.ts';
import { modelOptions } from './options.ts';
import { datasetMetrics } from './run-metrics.ts';
import { type WorkflowSections, WorkflowSectionsSchema } from './workflow-state.ts';

export type BuildDatasetDependencies = Pick<
  TrainingDependencies,
  'logger' | 'now' | 'listSymbols' | 'readSeries' | 'putDataset' | 'putRunObject' | 'steps' | 'metricsEmitter'
>;

export function createBuildDatasetHandler(deps: BuildDatasetDependencies) {
  return lambdaHandler<unknown, TrainingState & WorkflowSections>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event ?? {});
    const sections = WorkflowSectionsSchema.parse(event ?? {});
    const runId = state.runId ?? makeRunId(deps.now());
    // Later steps' Map items select $.options: it must exist even when the input had none.
    const options = state.options ?? {};

    const symbols = await deps.listSymbols();
    const read = await mapWithConcurrency(symbols, LAKE_READ_CONCURRENCY, (s) => deps.readSeries(s));
    const series = read.filter((s): s is PriceSeries => s !== null);
    const horizon = options.horizon ?? TRAIN_DEFAULTS.horizon;
    const { trainable, skipped } = selectTrainableSeries(series, horizon);
    const set = buildTrainingSet(trainable, { horizon });
    const key = await deps.putDataset(runId, serializeTrainingSet(set));
    const recent = recentFeatureRows(trainable, set.featureNames);
    const recentFeaturesKey = await deps.putRunObject(runId, 'recent-features.json', JSON.stringify({ featureNames: set.featureNames, rows: recent }));
    const { folds } = deps.steps.planWalkForward(set, modelOptions(options));
    const dataset = { key, ...summarizeTrainingSet(set), skipped };
    deps.logger.info('training set built', { runId, ...dataset, folds: folds.length, recentRows: recent.length });
    deps.metricsEmitter?.emit(datasetMetrics(dataset));
    return {
      ...state,
      runId,
      options,
      requireApproval: sections.requireApproval === true,
      dataset,
      recentFeaturesKey,
      walkForward: { folds },
    };
  });
}

export const handler = createBuildDatasetHandler(awsTrainingDependencies());
