/** Class order conventions shared by training, evaluation, prediction and reports. */
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
