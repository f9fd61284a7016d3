/**
 * BuildDataset task: reads every instrument's curated history from the lake (LAKE_READ_CONCURRENCY
 * symbols at a time), builds the leak-free training set (features up to each day, forward-volatility
 * target) and stores it under datasets/<runId>/, with the recent feature rows the Drift step needs
 * and the lake objects it read (key, ETag, version, watermark: the run's lineage); then plans the
 * walk-forward folds the WalkForward Map state runs, one item per fold.
 *
 * The state machine hands it `{ state, execution }`: the execution input and the context object's
 * `Execution` (whose `Id`, the execution ARN, the run keeps). Invoked with a bare state (tests, a
 * direct invoke), the run has no execution id.
 */

import * as z from 'zod';
import { recentFeatureRows } from '../../lib/domain/model/drift.ts';
import { buildTrainingSet, TRAIN_DEFAULTS } from '../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { makeRunId } from '../../lib/domain/training/run-id.ts';
import { selectTrainableSeries } from '../../lib/domain/training/trainable-series.ts';
import { serializeTrainingSet, summarizeTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { TRAINING_LAKE_OBJECTS_NAME, type TrainingLakeObjects } from '../../lib/schemas/training-lake-objects.ts';
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

/** The Task's payload in the state machine: `{ "state.$": "$", "execution.$": "$$.Execution" }` (lib/infra/training-workflow.ts). */
const WithExecutionSchema = z.object({ state: z.unknown(), execution: z.object({ Id: z.string().optional() }).passthrough() });

/** The execution input, and the execution ARN when the runner supplied one. */
function unwrap(event: unknown): { input: unknown; executionArn?: string } {
  const wrapped = WithExecutionSchema.safeParse(event);
  if (!wrapped.success) return { input: event ?? {} };
  const id = wrapped.data.execution.Id;
  return { input: wrapped.data.state ?? {}, ...(id ? { executionArn: id } : {}) };
}

export function createBuildDatasetHandler(deps: BuildDatasetDependencies) {
  return lambdaHandler<unknown, TrainingState & WorkflowSections>(deps.logger).handler(async (event) => {
    const { input, executionArn } = unwrap(event);
    const state = TrainingStateSchema.parse(input);
    const sections = WorkflowSectionsSchema.parse(input);
    const runId = state.runId ?? makeRunId(deps.now());
    // Later steps' Map items select $.options: it must exist even when the input had none.
    const options = state.options ?? {};

    const symbols = await deps.listSymbols();
    const read = await mapWithConcurrency(symbols, LAKE_READ_CONCURRENCY, (s) => deps.readSeries(s));
    const series = read.map((r) => r.series).filter((s): s is PriceSeries => s !== null);
    const lakeObjects: TrainingLakeObjects = { runId, symbols: symbols.map((symbol, i) => ({ symbol, objects: read[i]!.objects, skipped: read[i]!.skipped })) };
    const lakeObjectsKey = await deps.putRunObject(runId, TRAINING_LAKE_OBJECTS_NAME, JSON.stringify(lakeObjects));
    const horizon = options.horizon ?? TRAIN_DEFAULTS.horizon;
    const { trainable, skipped } = selectTrainableSeries(series, horizon);
    const set = buildTrainingSet(trainable, { horizon });
    const key = await deps.putDataset(runId, serializeTrainingSet(set));
    const recent = recentFeatureRows(trainable, set.featureNames);
    const recentFeaturesKey = await deps.putRunObject(runId, 'recent-features.json', JSON.stringify({ featureNames: set.featureNames, rows: recent }));
    const { folds } = deps.steps.planWalkForward(set, modelOptions(options));
    const dataset = { key, ...summarizeTrainingSet(set), skipped };
    const objectsRead = read.reduce((n, r) => n + r.objects.length, 0);
    deps.logger.info('training set built', { runId, executionArn, ...dataset, folds: folds.length, recentRows: recent.length, lakeObjects: objectsRead });
    deps.metricsEmitter?.emit(datasetMetrics(dataset));
    return {
      ...state,
      runId,
      options,
      requireApproval: sections.requireApproval === true,
      dataset,
      recentFeaturesKey,
      lakeObjectsKey,
      ...(executionArn === undefined ? {} : { executionArn }),
      walkForward: { folds },
    };
  });
}

export const handler = createBuildDatasetHandler(awsTrainingDependencies());
