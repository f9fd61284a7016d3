/**
 * Evaluate task: applies the promotion gate to the challenger's walk-forward scores against
 * the baselines and the champion (scored on rows it was not trained on, see
 * champion-comparison.ts). The Choice state after it reads `$.evaluation.promote`.
 * A rejected challenger is recorded as such in the registry here, so the audit trail
 * says why it lost.
 */
import { evaluateArtifact, type ModelArtifact, ModelArtifactError, parseArtifact } from '../../lib/domain/model/index.ts';
import { championComparison } from '../../lib/domain/training/champion-comparison.ts';
import { decidePromotion } from '../../lib/domain/training/gate.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { gateMetrics } from './run-metrics.ts';

export type EvaluateDependencies = Pick<TrainingDependencies, 'logger' | 'now' | 'getDataset' | 'getArtifact' | 'registry' | 'metricsEmitter'>;

export function createEvaluateHandler(deps: EvaluateDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const dataset = requireSection(state, 'dataset', 'Evaluate');
    const challenger = requireSection(state, 'challenger', 'Evaluate');

    const set = parseTrainingSet(await deps.getDataset(dataset.key));
    const challengerArtifact = parseArtifact(await deps.getArtifact(challenger.artifactKey));
    const pointer = await deps.registry.getChampion();
    let champion: { version: string; artifact: ModelArtifact } | null = null;
    if (pointer) {
      try {
        champion = { version: pointer.version, artifact: parseArtifact(await deps.getArtifact(pointer.artifactKey)) };
      } catch (err) {
        // A champion in an older artifact format cannot be scored: the challenger is judged on the baselines alone.
        if (!(err instanceof ModelArtifactError && err.field === 'formatVersion')) throw err;
        deps.logger.warn('champion in an older model format: compared with the baselines only', { version: pointer.version, error: err.message });
      }
    }

    const comparison = championComparison({ set, challenger: challengerArtifact, champion, evaluate: evaluateArtifact });
    const decision = decidePromotion(comparison.gate);
    const notes = [
      comparison.championNote,
      pointer && !champion ? `champion ${pointer.version} is in an older model format and was not compared` : null,
    ].filter((n): n is string => n !== null);
    const evaluation = notes.length ? { ...decision, reason: `${decision.reason}; ${notes.join('; ')}` } : decision;
    if (!evaluation.promote) {
      await deps.registry.recordModelVersion({
        version: challenger.version,
        artifactKey: challenger.artifactKey,
        status: 'rejected',
        createdAt: deps.now().toISOString(),
        evaluation: { ...challenger.evaluation, gate: evaluation },
        reason: evaluation.reason,
      });
    }
    deps.logger.info('promotion gate', { ...evaluation });
    deps.metricsEmitter?.emit(
      gateMetrics({
        runId: state.runId,
        scores: challenger.evaluation,
        decision: evaluation,
        championPromotedAt: pointer?.promotedAt ?? null,
        now: deps.now(),
      }),
    );
    return { ...state, evaluation };
  });
}

export const handler = createEvaluateHandler(awsTrainingDependencies());
