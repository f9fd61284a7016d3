/**
 * Promote task: makes the challenger the champion with a conditional write, so it only
 * replaces the champion it was compared against.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { promoteChampion, recordModelVersion, retireModelVersion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { TrainingStateSchema, requireSection, TrainingStateError, type TrainingState } from '../../lib/schemas/training-state.ts';

// The stack sets POWERTOOLS_SERVICE_NAME per function; the fallback names local runs.
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-training' });

export const handler = async (event: unknown): Promise<TrainingState> => {
  const state = TrainingStateSchema.parse(event);
  const challenger = requireSection(state, 'challenger', 'Promote');
  const evaluation = requireSection(state, 'evaluation', 'Promote');
  // Defence in depth: the Choice state should never route a rejected challenger here.
  if (!evaluation.promote) throw new TrainingStateError(`Promote: gate said no (${evaluation.reason})`);

  const promotedAt = new Date().toISOString();
  await promoteChampion(
    {
      version: challenger.version,
      artifactKey: challenger.artifactKey,
      score: evaluation.challengerScore,
      promotedAt,
      executionId: state.runId,
    },
    evaluation.championVersion,
  );
  await recordModelVersion({
    version: challenger.version,
    artifactKey: challenger.artifactKey,
    status: 'champion',
    createdAt: promotedAt,
    evaluation: { ...challenger.evaluation, gate: evaluation },
  });
  if (evaluation.championVersion !== null) {
    await retireModelVersion(evaluation.championVersion, challenger.version, promotedAt);
  }
  logger.info('challenger promoted', { version: challenger.version, previous: evaluation.championVersion });
  return {
    ...state,
    promotion: { version: challenger.version, previousVersion: evaluation.championVersion, promotedAt },
  };
};
