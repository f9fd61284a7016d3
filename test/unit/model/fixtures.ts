/** A small training set shared by the model tests (3 instruments × 420 business days). */
import { buildTrainingSet } from '../../../lib/domain/model/dataset.ts';
import type { TrainingSet } from '../../../lib/domain/model/types.ts';
import { syntheticSeries } from './synthetic.ts';

export const SERIES = [
  syntheticSeries({ symbol: 'AAA', days: 420, seed: 11 }),
  syntheticSeries({ symbol: 'BBB', days: 420, seed: 12 }),
  syntheticSeries({ symbol: 'CCC', days: 420, seed: 13 }),
];

let cached: TrainingSet | undefined;
export function smallSet(): TrainingSet {
  cached ??= buildTrainingSet(SERIES, { horizon: 10 });
  return cached;
}

/** Few trees and no depth tuning (7 forests instead of 1), so tests stay fast. */
export const FAST = { trees: 12, seed: 7, permutationRepeats: 2, tune: false } as const;
