/**
 * The model's options from the execution input's `options` (which also holds the label horizon,
 * BuildDataset's alone): what each step passes to the model core's pieces, the same options
 * `riskfn train` passes to `trainRiskModel`.
 */
import type { ModelOptions } from '../../lib/domain/model/index.ts';
import type { TrainingState } from '../../lib/schemas/training-state.ts';

export function modelOptions(options: NonNullable<TrainingState['options']> | Record<string, unknown>): ModelOptions {
  const { horizon: _horizon, ...rest } = options as NonNullable<TrainingState['options']>;
  return rest;
}
