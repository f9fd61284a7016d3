/** Class order conventions shared by training, evaluation, prediction and reports. */
import { argmax } from '../../util/argmax.ts';
import { RISK_LEVELS } from './types.ts';

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

/**
 * The class to answer from probabilities `p` (in the order of `priors`): the one whose
 * probability is highest relative to its training frequency, argmax_k p_k / π_k (ties: the
 * earlier). This is the decision that maximises expected balanced accuracy (every class's
 * recall counts the same), the score risk levels are judged by: a rare level such as `high` is
 * answered when it is clearly more likely than usual, not only when it is more likely than the
 * common levels together. Without priors (or a zero prior) it is the plain argmax.
 */
export function decideClass(p: readonly number[], priors: readonly number[] | null): number {
  if (!priors || priors.some((v) => !(v > 0))) return argmax(p);
  return argmax(p.map((v, k) => v / priors[k]));
}
