/**
 * Drift task: the population stability index of every feature on the run's recent data (each
 * instrument's last DRIFT_RECENT_DAYS days) against the new model's training distributions. Emits
 * one `featurePsi` metric per feature (dimension `feature`) and `maxFeaturePsi`, writes the report
 * beside the artifact (models/<version>/drift.json) and appends it to the model card. A PSI above
 * PSI_RETRAIN_THRESHOLD means the recent data no longer looks like what the model learnt from.
 */
import * as z from 'zod';
import { driftReport, formatDriftReport } from '../../lib/domain/model/drift.ts';
import { parseArtifact } from '../../lib/domain/model/index.ts';
import { requireSection, type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { requireWorkflowSection, type WorkflowSections, WorkflowSectionsSchema } from './workflow-state.ts';

export type DriftDependencies = Pick<
  TrainingDependencies,
  'logger' | 'getRunObject' | 'getArtifact' | 'getModelSummary' | 'putModelSummary' | 'putDrift' | 'driftMetrics'
>;

const RecentFeaturesSchema = z.object({ featureNames: z.array(z.string()), rows: z.array(z.array(z.number())) });

export function createDriftHandler(deps: DriftDependencies) {
  return lambdaHandler<unknown, TrainingState & WorkflowSections>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const sections = WorkflowSectionsSchema.parse(event);
    const challenger = requireSection(state, 'challenger', 'Drift');
    const recentKey = requireWorkflowSection(sections, 'recentFeaturesKey', 'Drift');

    const artifact = parseArtifact(await deps.getArtifact(challenger.artifactKey));
    const recent = RecentFeaturesSchema.parse(JSON.parse(await deps.getRunObject(recentKey)));
    const report = driftReport(artifact.featureDistributions, recent.featureNames, recent.rows);

    const metrics = deps.driftMetrics();
    for (const f of report.features) metrics.featurePsi(f.feature, f.psi);
    metrics.maxPsi(report.maxPsi);
    metrics.publish();
    const key = await deps.putDrift(challenger.version, `${JSON.stringify(report)}\n`);
    const card = await deps.getModelSummary(challenger.version);
    await deps.putModelSummary(challenger.version, `${card.trimEnd()}\n\n${formatDriftReport(report)}\n`);
    deps.logger.info('drift measured', { version: challenger.version, key, maxPsi: report.maxPsi, drifted: report.drifted });
    return { ...state, drift: { key, rows: report.rows, threshold: report.threshold, maxPsi: report.maxPsi, drifted: report.drifted } };
  });
}

export const handler = createDriftHandler(awsTrainingDependencies());
