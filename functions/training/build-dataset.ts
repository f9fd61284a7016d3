/**
 * BuildDataset task: reads every instrument's curated history from the lake, builds the
 * leak-free training set (features up to each day, forward-volatility target) and stores
 * it under datasets/<runId>/ for the next steps.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../../lib/config/resources.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { putDatasetText } from '../../lib/adapters/s3/model-store.ts';
import { buildTrainingSet, DEFAULT_HORIZON } from '../../lib/domain/model/index.ts';
import { selectTrainableSeries } from '../../lib/domain/training/trainable-series.ts';
import { makeRunId } from '../../lib/domain/training/run-id.ts';
import { serializeTrainingSet, summarizeTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { TrainingStateSchema, type TrainingState } from '../../lib/schemas/training-state.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';

// The stack sets POWERTOOLS_SERVICE_NAME per function; the fallback names local runs.
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-training' });

export const handler = async (event: unknown): Promise<TrainingState> => {
  const state = TrainingStateSchema.parse(event ?? {});
  const bucket = requireEnv(ENV.dataBucket);
  const runId = state.runId ?? makeRunId(new Date());

  const symbols = await listSymbols(bucket);
  const series = (await Promise.all(symbols.map((s) => readSeries(bucket, s)))).filter(
    (s): s is PriceSeries => s !== null,
  );
  const horizon = state.options?.horizon ?? DEFAULT_HORIZON;
  const { trainable, skipped } = selectTrainableSeries(series, horizon);
  const set = buildTrainingSet(trainable, { horizon });
  const key = await putDatasetText(bucket, runId, serializeTrainingSet(set));
  const dataset = { key, ...summarizeTrainingSet(set), skipped };
  logger.info('training set built', { runId, ...dataset });
  return { ...state, runId, dataset };
};
