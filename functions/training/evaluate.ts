/**
 * Evaluate task: applies the promotion gate to the challenger's walk-forward scores against
 * the baselines and the champion (scored on rows it was not trained on, see
 * champion-comparison.ts). The Choice state after it reads `$.evaluation.promote`.
 * A rejected challenger is recorded as such in the registry here, so the audit trail
 * says why it lost. The model card is written here too, once the decision is known
 * (./model-card.ts): models/<version>/model-card.json and model-card.html.
 */
import { evaluateArtifact, type ModelArtifact, ModelArtifactError, parseArtifact, type WalkForwardReport } from '../../lib/domain/model/index.ts';
import { championComparison } from '../../lib/domain/training/champion-comparison.ts';
import { decidePromotion } from '../../lib/domain/training/gate.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateError, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { storeModelCard } from './model-card.ts';
import { gateMetrics } from './run-metrics.ts';
import { requireWorkflowSection, runProvenance, WorkflowSectionsSchema } from './workflow-state.ts';

export type EvaluateDependencies = Pick<
  TrainingDependencies,
  'logger' | 'now' | 'getDataset' | 'getArtifact' | 'getRunObject' | 'putModelCard' | 'registry' | 'metricsEmitter'
>;

export function createEvaluateHandler(deps: EvaluateDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const sections = WorkflowSectionsSchema.parse(event);
    const dataset = requireSection(state, 'dataset', 'Evaluate');
    const challenger = requireSection(state, 'challenger', 'Evaluate');
    const reportKey = requireWorkflowSection(sections, 'walkForward', 'Evaluate').reportKey;
    if (!reportKey) throw new TrainingStateError("Evaluate: input has no 'walkForward.reportKey' (did Summarize run?)");

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

    const report = JSON.parse(await deps.getRunObject(reportKey)) as WalkForwardReport;
    // A report written before differences were measured has none: the gate then holds persistence to all three scores
    // strictly and does not judge balanced accuracy against HAR.
    const comparison = championComparison({
      set,
      challenger: challengerArtifact,
      champion,
      evaluate: evaluateArtifact,
      differences: report.differences ?? null,
    });
    const decision = decidePromotion(comparison.gate);
    const notes = [
      comparison.championNote,
      pointer && !champion ? `champion ${pointer.version} is in an older model format and was not compared` : null,
    ].filter((n): n is string => n !== null);
    const evaluation = notes.length ? { ...decision, reason: `${decision.reason}; ${notes.join('; ')}` } : decision;
    // The card before the registry write: a version the registry calls rejected always has its card.
    const card = await storeModelCard(deps, {
      version: challenger.version,
      artifact: challengerArtifact,
      report,
      decision: evaluation,
      champion: comparison.gate.champion,
      requireApproval: sections.requireApproval ?? false,
    });
    if (!evaluation.promote) {
      await deps.registry.recordModelVersion({
        version: challenger.version,
        artifactKey: challenger.artifactKey,
        status: 'rejected',
        createdAt: deps.now().toISOString(),
        evaluation: { ...challenger.evaluation, gate: evaluation },
        reason: evaluation.reason,
        // The whole item is written again: keep what Merge recorded of the run.
        ...runProvenance(sections),
      });
    }
    deps.logger.info('promotion gate', { ...evaluation, card: card.key });
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
