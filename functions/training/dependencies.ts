/**
 * What the training tasks need from the outside world, as one interface so tests can run them
 * against in-memory doubles, and its AWS implementation: the curated lake and the model objects in
 * the data bucket (S3), the model registry (DynamoDB), CloudWatch metrics (Powertools, EMF on
 * stdout). The bucket name is read from the environment at call time (see lib/config/resources.ts
 * ENV). Each task takes only the members it uses (`Pick<TrainingDependencies, …>`).
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoModelRegistry, type ModelRegistry } from '../../lib/adapters/dynamodb/model-registry.ts';
import { positiveIntEnv, requireEnv } from '../../lib/adapters/env.ts';
import { type LakeSeriesRead, listSymbols, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { putArtifactText, putDataset, putDrift, putModelCard, putModelSummary, putRunObject, summaryKeyFor } from '../../lib/adapters/s3/model-store.ts';
import { getBytes, getText } from '../../lib/adapters/s3/objects.ts';
import { sendApproval } from '../../lib/adapters/stepfunctions/task-tokens.ts';
import { ENV } from '../../lib/config/resources.ts';
import { powertoolsMetrics } from '../kit/metrics.ts';
import { type HandlerRuntime, lambdaRuntime } from '../kit/runtime.ts';
import { type ModelSteps, modelSteps } from './model-steps.ts';

/** The drift metrics one Drift invocation emits. */
export interface DriftMetrics {
  /** PSI of one feature (metric `featurePsi`, dimension `feature`). */
  featurePsi(feature: string, psi: number): void;
  /** The largest PSI over the features (metric `maxFeaturePsi`). */
  maxPsi(psi: number): void;
  /** Flushes the invocation's metrics. */
  publish(): void;
}

export interface TrainingDependencies extends HandlerRuntime {
  /** Every symbol with curated history, sorted. */
  listSymbols(): Promise<string[]>;
  /** A symbol's curated history (`series` null when the lake has none), with the objects it was read from and those skipped. */
  readSeries(symbol: string): Promise<LakeSeriesRead>;
  /** Stores a run's serialised training set (training-set-binary.ts); returns its key. */
  putDataset(runId: string, bytes: Uint8Array): Promise<string>;
  /** A stored training set's bytes (fails when the key does not exist). */
  getDataset(key: string): Promise<Uint8Array>;
  /** Stores an intermediate object of a run (`folds/3.json`, `shards/0.json`, …) under its dataset; returns its key. */
  putRunObject(runId: string, name: string, text: string): Promise<string>;
  /** A stored run object's text (fails when the key does not exist). */
  getRunObject(key: string): Promise<string>;
  /** Stores a version's serialised artifact; returns its key. */
  putArtifact(version: string, text: string): Promise<string>;
  /** A stored artifact's text (fails when the key does not exist). */
  getArtifact(key: string): Promise<string>;
  /** Stores a version's human-readable model card; returns its key. */
  putModelSummary(version: string, text: string): Promise<string>;
  /** A version's model card (fails when it does not exist). */
  getModelSummary(version: string): Promise<string>;
  /** Stores a version's model card (JSON) and its HTML page; returns their keys. */
  putModelCard(version: string, json: string, html: string): Promise<{ key: string; pageKey: string }>;
  /** Stores a version's drift report; returns its key. */
  putDrift(version: string, text: string): Promise<string>;
  registry: ModelRegistry;
  /** Resumes the execution waiting on `token` with `output` (SendTaskSuccess); false for a local runner's token. */
  sendApproval(token: string, output: Record<string, unknown>): Promise<boolean>;
  /** The model core's pieces each step runs. */
  steps: ModelSteps;
  /** Threads a TrainShard task trains on (FOREST_THREADS; 1 where unset, as locally). */
  forestThreads: number;
  /** A fresh metrics batch for one Drift invocation. */
  driftMetrics(): DriftMetrics;
}

/** Symbols read from the lake at once: enough to hide S3 latency, few enough for a Lambda's sockets and memory. */
export const LAKE_READ_CONCURRENCY = 8;

/** Powertools Metrics (EMF on stdout, namespace from POWERTOOLS_METRICS_NAMESPACE, default `riskfn`). */
function powertoolsDriftMetrics(serviceName: string): DriftMetrics {
  const metrics = powertoolsMetrics(serviceName);
  return {
    featurePsi(feature, psi) {
      // One EMF document per feature, so the `feature` dimension does not leak onto the other metrics.
      const single = metrics.singleMetric();
      single.addDimension('feature', feature);
      single.addMetric('featurePsi', MetricUnit.NoUnit, psi);
    },
    maxPsi: (psi) => metrics.addMetric('maxFeaturePsi', MetricUnit.NoUnit, psi),
    publish: () => metrics.publishStoredMetrics(),
  };
}

/** The AWS implementation; `service` names the logger when POWERTOOLS_SERVICE_NAME is unset. */
export function awsTrainingDependencies(service = 'riskfn-training'): TrainingDependencies {
  const bucket = () => requireEnv(ENV.dataBucket);
  const runtime = lambdaRuntime(service);
  return {
    ...runtime,
    listSymbols: () => listSymbols(bucket()),
    // Corrupt lake objects are left out and logged by the reader; training uses the rest.
    readSeries: (symbol) => readSeries(bucket(), symbol, { logger: runtime.logger }),
    putDataset: (runId, bytes) => putDataset(bucket(), runId, bytes),
    getDataset: (key) => getBytes(bucket(), key),
    putRunObject: (runId, name, text) => putRunObject(bucket(), runId, name, text),
    getRunObject: (key) => getText(bucket(), key),
    putArtifact: (version, text) => putArtifactText(bucket(), version, text),
    getArtifact: (key) => getText(bucket(), key),
    putModelSummary: (version, text) => putModelSummary(bucket(), version, text),
    getModelSummary: (version) => getText(bucket(), summaryKeyFor(version)),
    putModelCard: (version, json, html) => putModelCard(bucket(), version, json, html),
    putDrift: (version, text) => putDrift(bucket(), version, text),
    registry: dynamoModelRegistry(),
    sendApproval,
    steps: modelSteps,
    forestThreads: positiveIntEnv(ENV.forestThreads, 1),
    driftMetrics: () => powertoolsDriftMetrics(process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-training-drift'),
  };
}
