/**
 * What the four training tasks need from the outside world, as one interface so tests can
 * run them against in-memory doubles, and its AWS implementation: the curated lake and the
 * model objects in the data bucket (S3), the model registry (DynamoDB). The bucket name is
 * read from the environment at call time (see lib/config/resources.ts ENV). Each task takes
 * only the members it uses (`Pick<TrainingDependencies, …>`).
 */

import { dynamoModelRegistry, type ModelRegistry } from '../../lib/adapters/dynamodb/model-registry.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { putArtifactText, putDatasetText, putModelSummary } from '../../lib/adapters/s3/model-store.ts';
import { getText } from '../../lib/adapters/s3/objects.ts';
import { ENV } from '../../lib/config/resources.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { type HandlerRuntime, lambdaRuntime } from '../kit/runtime.ts';

export interface TrainingDependencies extends HandlerRuntime {
  /** Every symbol with curated history, sorted. */
  listSymbols(): Promise<string[]>;
  /** A symbol's curated history, or null when the lake has none. */
  readSeries(symbol: string): Promise<PriceSeries | null>;
  /** Stores a run's serialised training set; returns its key. */
  putDataset(runId: string, text: string): Promise<string>;
  /** A stored training set's text (fails when the key does not exist). */
  getDataset(key: string): Promise<string>;
  /** Stores a version's serialised artifact; returns its key. */
  putArtifact(version: string, text: string): Promise<string>;
  /** A stored artifact's text (fails when the key does not exist). */
  getArtifact(key: string): Promise<string>;
  /** Stores a version's human-readable model card; returns its key. */
  putModelSummary(version: string, text: string): Promise<string>;
  registry: ModelRegistry;
}

/** The AWS implementation; `service` names the logger when POWERTOOLS_SERVICE_NAME is unset. */
export function awsTrainingDependencies(service = 'riskfn-training'): TrainingDependencies {
  const bucket = () => requireEnv(ENV.dataBucket);
  const runtime = lambdaRuntime(service);
  return {
    ...runtime,
    listSymbols: () => listSymbols(bucket()),
    // Corrupt lake objects are left out and logged by the reader; training uses the rest.
    readSeries: async (symbol) => (await readSeries(bucket(), symbol, { logger: runtime.logger })).series,
    putDataset: (runId, text) => putDatasetText(bucket(), runId, text),
    getDataset: (key) => getText(bucket(), key),
    putArtifact: (version, text) => putArtifactText(bucket(), version, text),
    getArtifact: (key) => getText(bucket(), key),
    putModelSummary: (version, text) => putModelSummary(bucket(), version, text),
    registry: dynamoModelRegistry(),
  };
}
