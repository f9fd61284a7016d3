/** The rows the refit forest trains on (every shard and the merge must use the same ones). */
import type { TrainingSet } from '../../lib/domain/model/types.ts';
import type { RefitPlan } from './model-steps.ts';

export function refitRows(set: TrainingSet, plan: RefitPlan): { X: number[][]; y: string[] } {
  const rows = plan.rows === null ? set.rows : plan.rows.map((i) => set.rows[i]);
  return { X: rows.map((r) => r.features), y: rows.map((r) => r.label) };
}
