/**
 * Train task: trains the challenger forest on the stored training set (time-ordered
 * split with a purge gap), saves the artifact under models/<version>/ and registers the
 * version as a candidate.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../../lib/config/resources.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { getDatasetText, putArtifactText, putModelSummary } from '../../lib/adapters/s3/model-store.ts';
import { recordModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import { formatArtifactSummary, formatEvaluation } from '../../lib/domain/model/report-text.ts';
import { modelVersionFor } from '../../lib/domain/training/run-id.ts';
import { parseTrainingSet, scoreSummary } from '../../lib/domain/training/training-set-codec.ts';
import { TrainingStateSchema, requireSection, type TrainingState } from '../../lib/schemas/training-state.ts';

// The stack sets POWERTOOLS_SERVICE_NAME per function; the fallback names local runs.
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-training' });

export const handler = async (event: unknown): Promise<TrainingState> => {
  const state = TrainingStateSchema.parse(event);
  const dataset = requireSection(state, 'dataset', 'Train');
  const runId = requireSection(state, 'runId', 'Train');
  const bucket = requireEnv(ENV.dataBucket);

  const set = parseTrainingSet(await getDatasetText(bucket, dataset.key));
  const { artifact, evaluation } = trainRiskModel(set, {
    split: 'time',
    trees: state.options?.trees,
    maxDepth: state.options?.maxDepth,
    tune: state.options?.tune ?? state.options?.maxDepth === undefined,
    seed: state.options?.seed,
  });
  const version = modelVersionFor(runId);
  const versioned = { ...artifact, version };
  const artifactKey = await putArtifactText(bucket, version, serializeArtifact(versioned));
  // The model card for reviewers: what was trained on what, and how it scored against the baselines.
  await putModelSummary(bucket, version, `${formatArtifactSummary(versioned)}\n\n${formatEvaluation(evaluation)}\n`);
  const summary = scoreSummary(evaluation);
  await recordModelVersion({
    version,
    artifactKey,
    status: 'candidate',
    createdAt: new Date().toISOString(),
    evaluation: summary,
  });
  logger.info('challenger trained', { version, ...summary });
  return { ...state, challenger: { version, artifactKey, evaluation: summary } };
};
