/**
 * Promote task: makes the challenger the champion with a conditional write, so it only
 * replaces the champion it was compared against. The registry records the promotion in its
 * history with the pointer; the version item is updated (not replaced) so the time it was
 * trained and a person's approval stay on it.
 */
import { requireSection, type TrainingState, TrainingStateError, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { promotionMetrics } from './run-metrics.ts';

export type PromoteDependencies = Pick<TrainingDependencies, 'logger' | 'now' | 'registry' | 'metricsEmitter'>;

export function createPromoteHandler(deps: PromoteDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const challenger = requireSection(state, 'challenger', 'Promote');
    const evaluation = requireSection(state, 'evaluation', 'Promote');
    // Defence in depth: the Choice state should never route a rejected challenger here.
    if (!evaluation.promote) throw new TrainingStateError(`Promote: gate said no (${evaluation.reason})`);

    // A retried Promote (the pointer written, then a failure) gets the first attempt's pointer back.
    const { promotedAt } = await deps.registry.promoteChampion(
      {
        version: challenger.version,
        artifactKey: challenger.artifactKey,
        score: evaluation.challengerScore,
        promotedAt: deps.now().toISOString(),
        executionId: state.runId,
      },
      evaluation.championVersion,
    );
    await deps.registry.markChampionVersion(challenger.version, {
      artifactKey: challenger.artifactKey,
      promotedAt,
      evaluation: { ...challenger.evaluation, gate: evaluation },
    });
    if (evaluation.championVersion !== null) {
      await deps.registry.retireModelVersion(evaluation.championVersion, challenger.version, promotedAt);
    }
    deps.logger.info('challenger promoted', { version: challenger.version, previous: evaluation.championVersion });
    deps.metricsEmitter?.emit(promotionMetrics());
    return {
      ...state,
      promotion: { version: challenger.version, previousVersion: evaluation.championVersion, promotedAt },
    };
  });
}

export const handler = createPromoteHandler(awsTrainingDependencies());
