/** The rows the refit forest trains on: every labelled row (every shard and the merge must use the same ones). */
import type { Refit, TrainingSet } from '../../lib/domain/model/index.ts';

export function refitRows(set: TrainingSet, _refit: Refit): { X: number[][]; y: string[] } {
  return { X: set.rows.map((r) => r.features), y: set.rows.map((r) => r.label) };
}
