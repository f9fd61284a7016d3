/**
 * Evaluate task: scores the champion (if any) on the challenger's out-of-sample rows and
 * applies the promotion gate. The Choice state after it reads `$.evaluation.promote`.
 * A rejected challenger is recorded as such in the registry here, so the audit trail
 * says why it lost.
 */
import { evaluateArtifact, parseArtifact } from '../../lib/domain/model/index.ts';
import { championComparison } from '../../lib/domain/training/champion-comparison.ts';
import { decidePromotion } from '../../lib/domain/training/gate.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';

export type EvaluateDependencies = Pick<TrainingDependencies, 'logger' | 'now' | 'getDataset' | 'getArtifact' | 'registry'>;

export function createEvaluateHandler(deps: EvaluateDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const dataset = requireSection(state, 'dataset', 'Evaluate');
    const challenger = requireSection(state, 'challenger', 'Evaluate');

    const set = parseTrainingSet(await deps.getDataset(dataset.key));
    const challengerArtifact = parseArtifact(await deps.getArtifact(challenger.artifactKey));
    const pointer = await deps.registry.getChampion();
    const championArtifact = pointer ? parseArtifact(await deps.getArtifact(pointer.artifactKey)) : null;

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
    return { ...state, evaluation };
  });
}

export const handler = createEvaluateHandler(awsTrainingDependencies());
