/**
 * Train/test splits.
 *
 * Time split (default when rows have dates): rows are ordered by date; the test period is the
 * last `testSize` share of rows, starting at a date boundary (all instruments of a date fall on
 * the same side). The `purgeGap` dates just before the first test date are dropped from
 * training, so that no training label (which looks `horizon` days ahead) overlaps the test
 * period: with gap = horizon, every training label ends strictly before the first test date.
 *
 * Random split: a seeded shuffle. With overlapping forward-looking
 * labels it puts near-identical neighbours of each test row into training, which flatters
 * the score (docs/model.md).
 */

import { shuffleInPlace, Xoshiro128 } from '../../util/prng.ts';
import { TrainingDataError } from './errors.ts';

export interface SplitResult {
  train: number[];
  test: number[];
  /** First test date (time split), or the earliest test date (random split); null without dates. */
  testFrom: string | null;
  purgeGap: number;
}

/** Minimum rows on each side of a split. */
const MIN_TRAIN_ROWS = 10;
const MIN_TEST_ROWS = 3;

function validateTestSize(testSize: number): number {
  if (!(testSize > 0 && testSize < 1)) throw new TrainingDataError(`test size must be in (0, 1), got ${testSize}`);
  return testSize;
}

/** `dates[i]` is row i's ISO date; rows need not be sorted. */
export function timeSplit(dates: readonly string[], testSize: number, purgeGap: number): SplitResult {
  validateTestSize(testSize);
  const n = dates.length;
  const unique = [...new Set(dates)].sort();
  const order = dates.map((_, i) => i).sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : a - b));
  const nTest = Math.round(testSize * n);
  if (nTest < MIN_TEST_ROWS || n - nTest < MIN_TRAIN_ROWS) throw tooFew(n, testSize, purgeGap);
  const testFrom = dates[order[n - nTest]];
  const testIdx = unique.indexOf(testFrom);
  // Last training date: purgeGap dates before the first test date are skipped.
  const lastTrainIdx = testIdx - purgeGap - 1;
  if (lastTrainIdx < 0) throw tooFew(n, testSize, purgeGap);
  const lastTrain = unique[lastTrainIdx];
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    if (dates[i] >= testFrom) test.push(i);
    else if (dates[i] <= lastTrain) train.push(i);
  }
  if (train.length < MIN_TRAIN_ROWS || test.length < MIN_TEST_ROWS) throw tooFew(n, testSize, purgeGap);
  return { train, test, testFrom, purgeGap };
}

export function randomSplit(n: number, testSize: number, seed: number, dates?: readonly string[]): SplitResult {
  validateTestSize(testSize);
  const nTest = Math.round(testSize * n);
  if (nTest < MIN_TEST_ROWS || n - nTest < MIN_TRAIN_ROWS) throw tooFew(n, testSize, 0);
  const perm = shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    new Xoshiro128(seed),
  );
  const test = perm.slice(0, nTest).sort((a, b) => a - b);
  const train = perm.slice(nTest).sort((a, b) => a - b);
  const testFrom = dates ? test.map((i) => dates[i]).reduce((a, b) => (b < a ? b : a)) : null;
  return { train, test, testFrom, purgeGap: 0 };
}

function tooFew(n: number, testSize: number, gap: number): TrainingDataError {
  const gapText = gap > 0 ? ` and a purge gap of ${gap} dates` : '';
  return new TrainingDataError(
    `too few rows for the split: ${n} rows with test size ${testSize}${gapText} leave fewer than ` + `${MIN_TRAIN_ROWS} training or ${MIN_TEST_ROWS} test rows`,
  );
}
