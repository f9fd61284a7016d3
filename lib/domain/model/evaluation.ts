/**
 * Scores a forest and both baselines on the same rows, returning the side-by-side numbers
 * the evaluation report carries.
 */
import { majorityBaseline, persistenceBaseline } from './baselines.ts';
import { argmax } from '../../util/argmax.ts';
import { classificationMetrics } from './metrics.ts';
import { RISK_LEVELS, type ClassificationMetrics } from './types.ts';

/** Reporting order: low, medium, high when the classes are risk levels, else sorted. */
export function displayOrder(classes: Iterable<string>): string[] {
  const set = new Set(classes);
  if ([...set].every((c) => (RISK_LEVELS as readonly string[]).includes(c))) return RISK_LEVELS.filter((c) => set.has(c));
  return [...set].sort();
}

/** Re-orders a vector given in `from` order into `to` order (missing classes get 0). */
export function reindex(values: readonly number[], from: readonly string[], to: readonly string[]): number[] {
  const idx = new Map(from.map((c, i) => [c, i]));
  return to.map((c) => {
    const i = idx.get(c);
    return i === undefined ? 0 : values[i];
  });
}

export interface ScoredRows {
  classes: string[];
  model: ClassificationMetrics;
  /** Model's per-row probabilities in `classes` order and predictions. */
  proba: number[][];
  pred: string[];
  majority: ClassificationMetrics & { predicts: string };
  persistence: ClassificationMetrics | null;
}

/**
 * @param forestClasses column order of `forestProba`, `priors` and `persistenceProbabilities`
 * @param persisted per row, the persistence baseline's class (null when unknown); pass null to skip that baseline
 */
export function scoreRows(input: {
  forestClasses: readonly string[];
  forestProba: readonly (readonly number[])[];
  yTrue: readonly string[];
  priors: readonly number[];
  persisted: readonly (string | null)[] | null;
  persistenceProbabilities: readonly (readonly number[])[] | null;
}): ScoredRows {
  const { forestClasses, yTrue } = input;
  const classes = displayOrder([...forestClasses, ...yTrue]);
  const proba = input.forestProba.map((p) => reindex(p, forestClasses, classes));
  const pred = proba.map((p) => classes[argmax(p)]);
  const model = classificationMetrics(classes, yTrue, pred, proba);

  const priors = reindex(input.priors, forestClasses, classes);
  const maj = majorityBaseline(classes, priors, yTrue.length);
  const majority = { ...classificationMetrics(classes, yTrue, maj.pred, maj.proba), predicts: maj.predicts };

  let persistence: ClassificationMetrics | null = null;
  if (input.persisted && input.persistenceProbabilities && input.persisted.some((p) => p !== null)) {
    // [persisted][true] in forest order -> classes order on both axes.
    const byPersisted = reindexMatrix(input.persistenceProbabilities, forestClasses, classes);
    const pb = persistenceBaseline(classes, input.persisted, byPersisted, priors);
    persistence = classificationMetrics(classes, yTrue, pb.pred, pb.proba);
  }
  return { classes, model, proba, pred, majority, persistence };
}

function reindexMatrix(m: readonly (readonly number[])[], from: readonly string[], to: readonly string[]): number[][] {
  const idx = new Map(from.map((c, i) => [c, i]));
  return to.map((c) => {
    const i = idx.get(c);
    // A class the training rows never persisted into: fall back to a uniform row.
    return i === undefined ? to.map(() => 1 / to.length) : reindex(m[i], from, to);
  });
}
