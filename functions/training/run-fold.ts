/**
 * RunFold task (one item of the WalkForward Map state): fits, calibrates and scores one
 * walk-forward fold on the stored training set and stores the fold's result under the run; returns
 * only its key, so the Map's results stay small however many rows a fold scores.
 */
import type { FoldSpec } from '../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { modelOptions } from './options.ts';
import { MapItemSchema } from './workflow-state.ts';

export type RunFoldDependencies = Pick<TrainingDependencies, 'logger' | 'getDataset' | 'putRunObject' | 'steps'>;

export function createRunFoldHandler(deps: RunFoldDependencies) {
  return lambdaHandler<unknown, { index: number; key: string }>(deps.logger).handler(async (event) => {
    const { item, index, runId, dataset, options } = MapItemSchema.parse(event);
    const set = parseTrainingSet(await deps.getDataset(dataset.key));
    const result = deps.steps.runFold(set, item as FoldSpec, modelOptions(options));
    const key = await deps.putRunObject(runId, `folds/${index}.json`, JSON.stringify(result));
    deps.logger.info('fold scored', { runId, fold: index, key });
    return { index, key };
  });
}

export const handler = createRunFoldHandler(awsTrainingDependencies());
