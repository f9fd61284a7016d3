/**
 * Honest choice of the tree depth: on the training rows only, a second time-ordered split
 * (last 30 % of training dates as validation, purged by the label horizon) scores each
 * candidate depth by balanced accuracy; the best (ties: the shallower) is then refit on all
 * training rows. The test rows play no part, so the reported test score stays out of sample.
 * Without dates the inner split is random (seeded).
 */
import { argmax } from '../../util/argmax.ts';
import { fitForest } from './forest-adapter.ts';
import { classificationMetrics } from './metrics.ts';
import { randomSplit, timeSplit } from './split.ts';

/** Candidate depths (null = unlimited, scikit-learn's default). */
export const DEPTH_CANDIDATES: readonly (number | null)[] = [2, 3, 4, 6, 8, null];
const VALIDATION_SIZE = 0.3;

export interface TuningResult {
  metric: 'balancedAccuracy';
  validationFrom: string | null;
  validationRows: number;
  candidates: { maxDepth: number | null; score: number }[];
  chosen: number | null;
}

export function tuneMaxDepth(
  X: readonly (readonly number[])[],
  y: readonly string[],
  dates: readonly string[] | null,
  opts: { trees: number; seed: number; minSamplesLeaf?: number; purgeGap: number; onTree?: () => void },
): TuningResult {
  const inner = dates ? timeSplit(dates, VALIDATION_SIZE, opts.purgeGap) : randomSplit(y.length, VALIDATION_SIZE, opts.seed);
  const Xa = inner.train.map((i) => X[i]);
  const ya = inner.train.map((i) => y[i]);
  const Xv = inner.test.map((i) => X[i]);
  const yv = inner.test.map((i) => y[i]);
  const candidates = DEPTH_CANDIDATES.map((maxDepth) => {
    const f = fitForest(Xa, ya, { ...opts, maxDepth: maxDepth ?? undefined });
    const proba = f.predictProba(Xv);
    const m = classificationMetrics(
      f.classes,
      yv,
      proba.map((p) => f.classes[argmax(p)]),
      proba,
    );
    return { maxDepth, score: m.balancedAccuracy };
  });
  let best = candidates[0];
  for (const c of candidates) if (c.score > best.score) best = c;
  return {
    metric: 'balancedAccuracy',
    validationFrom: dates ? inner.testFrom : null,
    validationRows: inner.test.length,
    candidates,
    chosen: best.maxDepth,
  };
}
