/**
 * Evaluate task: scores the champion (if any) on the challenger's out-of-sample rows and
 * applies the promotion gate. The Choice state after it reads `$.evaluation.promote`.
 * A rejected challenger is recorded as such in the registry here, so the audit trail
 * says why it lost.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '../../lib/config/resources.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { getArtifactText, getDatasetText } from '../../lib/adapters/s3/model-store.ts';
import { getChampion, recordModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { evaluateArtifact, parseArtifact } from '../../lib/domain/model/index.ts';
import { decidePromotion } from '../../lib/domain/training/gate.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { championComparison } from '../../lib/domain/training/champion-comparison.ts';
import { TrainingStateSchema, requireSection, type TrainingState } from '../../lib/schemas/training-state.ts';

// The stack sets POWERTOOLS_SERVICE_NAME per function; the fallback names local runs.
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-training' });

export const handler = async (event: unknown): Promise<TrainingState> => {
  const state = TrainingStateSchema.parse(event);
  const dataset = requireSection(state, 'dataset', 'Evaluate');
  const challenger = requireSection(state, 'challenger', 'Evaluate');
  const bucket = requireEnv(ENV.dataBucket);

  const set = parseTrainingSet(await getDatasetText(bucket, dataset.key));
  const challengerArtifact = parseArtifact(await getArtifactText(bucket, challenger.artifactKey));
  const pointer = await getChampion();
  const championArtifact = pointer ? parseArtifact(await getArtifactText(bucket, pointer.artifactKey)) : null;

  const comparison = championComparison({
    set,
    challenger: challengerArtifact,
    champion: championArtifact,
    evaluate: evaluateArtifact,
  });
  const evaluation = decidePromotion({
    challengerScore: comparison.challenger.balancedAccuracy,
    champion: pointer && comparison.champion ? { version: pointer.version, score: comparison.champion.balancedAccuracy } : null,
    baselines: comparison.baselines,
    comparedFrom: comparison.fromDate,
    comparedRows: comparison.rows,
  });
  if (!evaluation.promote) {
    await recordModelVersion({
      version: challenger.version,
      artifactKey: challenger.artifactKey,
      status: 'rejected',
      createdAt: new Date().toISOString(),
      evaluation: { ...challenger.evaluation, gate: evaluation },
      reason: evaluation.reason,
    });
  }
  logger.info('promotion gate', { ...evaluation });
  return { ...state, evaluation };
};
