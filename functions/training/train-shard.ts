/**
 * TrainShard task (one item of the Train Map state): trains trees [from, to) of the refit forest on
 * the refit plan's rows and stores the shard under the run; returns only its key. Tree t's seed
 * depends on (forest seed, t) only, so the shards merge into the forest one process would train.
 */

import * as z from 'zod';
import { fitForestShard } from '../../lib/domain/model/forest-shards.ts';
import type { Refit } from '../../lib/domain/model/index.ts';
import { parseTrainingSet } from '../../lib/domain/training/training-set-codec.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';
import { refitRows } from './refit-rows.ts';
import { MapItemSchema } from './workflow-state.ts';

export type TrainShardDependencies = Pick<TrainingDependencies, 'logger' | 'getDataset' | 'getRunObject' | 'putRunObject' | 'forestThreads'>;

const ShardItemSchema = z.object({ from: z.number().int().min(0), to: z.number().int().min(1), planKey: z.string() });

export function createTrainShardHandler(deps: TrainShardDependencies) {
  return lambdaHandler<unknown, { index: number; key: string }>(deps.logger).handler(async (event) => {
    const { item, index, runId, dataset } = MapItemSchema.parse(event);
    const { from, to, planKey } = ShardItemSchema.parse(item);
    const [set, plan] = await Promise.all([
      deps.getDataset(dataset.key).then(parseTrainingSet),
      deps.getRunObject(planKey).then((text) => JSON.parse(text) as Refit),
    ]);
    const { X, y } = refitRows(set, plan);
    const shard = await fitForestShard(X, y, plan.forest, { from, to }, deps.forestThreads);
    const key = await deps.putRunObject(runId, `shards/${index}.json`, JSON.stringify(shard));
    deps.logger.info('tree shard trained', { runId, shard: index, from, to, rows: X.length, threads: deps.forestThreads, key });
    return { index, key };
  });
}

export const handler = createTrainShardHandler(awsTrainingDependencies());
