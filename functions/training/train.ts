/**
 * Train task: trains the challenger forest on the stored training set (time-ordered
 * split with a purge gap), saves the artifact under models/<version>/ and registers the
 * version as a candidate.
 */
import { serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import { formatArtifactSummary, formatEvaluation } from '../../lib/domain/model/report-text.ts';
import { modelVersionFor } from '../../lib/domain/training/run-id.ts';
import { parseTrainingSet, scoreSummary } from '../../lib/domain/training/training-set-codec.ts';
import { requireSection, type TrainingState, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';

export type TrainDependencies = Pick<TrainingDependencies, 'logger' | 'now' | 'getDataset' | 'putArtifact' | 'putModelSummary' | 'registry'>;

export function createTrainHandler(deps: TrainDependencies) {
  return lambdaHandler<unknown, TrainingState>(deps.logger).handler(async (event) => {
    const state = TrainingStateSchema.parse(event);
    const dataset = requireSection(state, 'dataset', 'Train');
    const runId = requireSection(state, 'runId', 'Train');

    const set = parseTrainingSet(await deps.getDataset(dataset.key));
    const { artifact, evaluation } = trainRiskModel(set, {
      trees: state.options?.trees,
      maxDepth: state.options?.maxDepth,
      tune: state.options?.tune,
      seed: state.options?.seed,
    });
    const version = modelVersionFor(runId);
    const versioned = { ...artifact, version };
    const artifactKey = await deps.putArtifact(version, serializeArtifact(versioned));
    // The model card for reviewers: what was trained on what, and how it scored against the baselines.
    await deps.putModelSummary(version, `${formatArtifactSummary(versioned)}\n\n${formatEvaluation(evaluation)}\n`);
    const summary = scoreSummary(evaluation);
    await deps.registry.recordModelVersion({
      version,
      artifactKey,
      status: 'candidate',
      createdAt: deps.now().toISOString(),
      evaluation: summary,
    });
    deps.logger.info('challenger trained', { version, ...summary });
    return { ...state, challenger: { version, artifactKey, evaluation: summary } };
  });
}

export const handler = createTrainHandler(awsTrainingDependencies());
