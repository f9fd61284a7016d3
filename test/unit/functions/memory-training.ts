/**
 * In-memory {@link TrainingDependencies} for the training handler tests: a lake of given
 * series, a bucket as a Map of keys to text (the keys the S3 adapter would use; the binary
 * training sets in a Map of their own), and the
 * in-memory model registry (./memory-registry.ts).
 */
import type { DriftMetrics, TrainingDependencies } from '../../../functions/training/dependencies.ts';
import { type ModelSteps, modelSteps } from '../../../functions/training/model-steps.ts';
import {
  artifactKeyFor,
  datasetKeyFor,
  driftKeyFor,
  modelCardKeyFor,
  modelCardPageKeyFor,
  runObjectKeyFor,
  summaryKeyFor,
} from '../../../lib/adapters/s3/model-store.ts';
import { ObjectMissingError } from '../../../lib/adapters/s3/objects.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { silentLogger } from '../api/fixtures.ts';
import { type MemoryRegistry, memoryRegistry } from './memory-registry.ts';

export { type MemoryRegistry, memoryRegistry } from './memory-registry.ts';

/**
 * The model steps without permutation importance: it does not change the model or its artifact,
 * and it is most of a small fold's time. Compare with `trainRiskModel(set, { ...opts, permutationRepeats: 0 })`.
 */
const testSteps: ModelSteps = { ...modelSteps, runFold: (set, fold, opts) => modelSteps.runFold(set, fold, { ...opts, permutationRepeats: 0 }) };

/** One recorded metric value: the drift metrics the Drift step emitted. */
export interface RecordedMetric {
  name: string;
  value: number;
  feature?: string;
}

export function memoryTrainingDependencies(opts: { lake?: PriceSeries[]; now?: Date; registry?: MemoryRegistry } = {}) {
  const metrics: RecordedMetric[] = [];
  /** The task tokens sent back (SendTaskSuccess), with their output. */
  const sentApprovals: { token: string; output: Record<string, unknown> }[] = [];
  const driftMetrics = (): DriftMetrics => ({
    featurePsi: (feature, value) => metrics.push({ name: 'featurePsi', feature, value }),
    maxPsi: (value) => metrics.push({ name: 'maxFeaturePsi', value }),
    publish: () => undefined,
  });
  const objects = new Map<string, string>();
  const datasets = new Map<string, Uint8Array>();
  const lake = new Map((opts.lake ?? []).map((s) => [s.symbol!, s]));
  const put = async (key: string, text: string) => {
    objects.set(key, text);
    return key;
  };
  const get = async (key: string) => {
    const text = objects.get(key);
    if (text === undefined) throw new ObjectMissingError('memory', key);
    return text;
  };
  const registry = opts.registry ?? memoryRegistry();
  const deps: TrainingDependencies = {
    logger: silentLogger(),
    now: () => opts.now ?? new Date('2026-11-25T09:00:00.000Z'),
    listSymbols: async () => [...lake.keys()].sort(),
    // One made-up object per symbol in the lake: what BuildDataset records of the objects it read.
    readSeries: async (symbol) => {
      const series = lake.get(symbol) ?? null;
      return { series, skipped: [], objects: series ? [{ key: `curated/prices/year=2000/${symbol}.parquet`, etag: `"${symbol}"`, folded: 1 }] : [] };
    },
    putDataset: async (runId, bytes) => {
      datasets.set(datasetKeyFor(runId), bytes);
      return datasetKeyFor(runId);
    },
    getDataset: async (key) => {
      const bytes = datasets.get(key);
      if (bytes === undefined) throw new ObjectMissingError('memory', key);
      return bytes;
    },
    putArtifact: (version, text) => put(artifactKeyFor(version), text),
    getArtifact: get,
    putModelSummary: (version, text) => put(summaryKeyFor(version), text),
    getModelSummary: (version) => get(summaryKeyFor(version)),
    putRunObject: (runId, name, text) => put(runObjectKeyFor(runId, name), text),
    getRunObject: get,
    putDrift: (version, text) => put(driftKeyFor(version), text),
    putModelCard: async (version, json, html) => ({ key: await put(modelCardKeyFor(version), json), pageKey: await put(modelCardPageKeyFor(version), html) }),
    registry,
    sendApproval: async (token, output) => {
      sentApprovals.push({ token, output });
      return true;
    },
    steps: testSteps,
    forestThreads: 1,
    driftMetrics,
  };
  return { deps, objects, datasets, registry, metrics, sentApprovals };
}
