/**
 * The model's training options from the execution input's `options` (which also holds the label
 * horizon, BuildDataset's alone): what each step passes to the model core's pieces.
 */
import type { TrainingState } from '../../lib/schemas/training-state.ts';
import type { StepOptions } from './model-steps.ts';

export function modelOptions(options: NonNullable<TrainingState['options']> | Record<string, unknown>): StepOptions {
  const { horizon: _horizon, ...rest } = options as NonNullable<TrainingState['options']>;
  return rest;
}
