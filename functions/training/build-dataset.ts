/**
 * BuildDataset task: reads every instrument's curated history from the lake, builds the
 * leak-free training set (features up to each day, forward-volatility target) and stores
 * it under datasets/<runId>/ for the next steps.
 */
import { buildTrainingSet, TRAIN_DEFAULTS } from '../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { makeRunId } from '../../lib/domain/training/run-id.ts';
import { selectTrainableSeries } from '../../lib/domain/training/trainable-series.ts';
import { serializeTrainingSet, summarizeTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';

export type BuildDatasetDependencies = Pick<TrainingDependencies, 'logger' | 'now' | 'listSymbols' | 'readSeries' | 'putDataset'>;

export function createBuildDatasetHandler(deps: BuildDatasetDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event ?? {});
    const runId = state.runId ?? makeRunId(deps.now());

    const symbols = await deps.listSymbols();
    const series = (await Promise.all(symbols.map((s) => deps.readSeries(s)))).filter((s): s is PriceSeries => s !== null);
    const horizon = state.options?.horizon ?? TRAIN_DEFAULTS.horizon;
    const { trainable, skipped } = selectTrainableSeries(series, horizon);
    const set = buildTrainingSet(trainable, { horizon });
    const key = await deps.putDataset(runId, serializeTrainingSet(set));
    const dataset = { key, ...summarizeTrainingSet(set), skipped };
    deps.logger.info('training set built', { runId, ...dataset });
    return { ...state, runId, dataset };
  });
}

export const handler = createBuildDatasetHandler(awsTrainingDependencies());
