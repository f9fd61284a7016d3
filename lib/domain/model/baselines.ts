/**
 * The two baselines every risk model must beat, scored on the same test rows as the model.
 *
 * - Majority: always the most frequent training class; its probabilities are the training
 *   class frequencies.
 * - Persistence: the level over the next `horizon` days equals the level over the last
 *   `horizon` days: the label of the same instrument `horizon` rows earlier, which is known
 *   today (for a set built from prices, today's trailing volatility classed with the same
 *   thresholds). Its hard prediction is that class; its probabilities are
 *   P(true class | persisted class) on the training rows, Laplace-smoothed (+1 per cell), so
 *   log loss and Brier are fair.
 */
import { argmax } from '../../util/argmax.ts';
import { datesOf, type TrainingRow } from './types.ts';

/**
 * The persistence baseline's class per row: the label of the same symbol's row `lag` rows
 * earlier in date order, or null when there is none. Null for all rows when the labels do
 * not look ahead (`lag` null), the rows have no dates, or, without symbols, the rows are not
 * one series (a date repeats).
 */
export function laggedLabels(rows: readonly TrainingRow[], lag: number | null): (string | null)[] | null {
  const dates = datesOf(rows);
  if (lag === null || lag < 1 || !dates) return null;
  const groups = new Map<string | null, number[]>();
  rows.forEach((r, i) => {
    const g = groups.get(r.symbol) ?? [];
    g.push(i);
    groups.set(r.symbol, g);
  });
  const out: (string | null)[] = rows.map(() => null);
  for (const g of groups.values()) {
    g.sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : a - b));
    for (let p = 1; p < g.length; p++) if (dates[g[p]] === dates[g[p - 1]]) return null; // a repeated date: not one series
    for (let p = lag; p < g.length; p++) out[g[p]] = rows[g[p - lag]].label;
  }
  return out;
}

export function classPriors(classes: readonly string[], y: readonly string[]): number[] {
  const counts = classes.map((c) => y.filter((v) => v === c).length);
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (n > 0 ? c / n : 1 / classes.length));
}

/** Majority baseline: `{ predicts, proba }` for `nRows` rows. Ties go to the earlier class. */
export function majorityBaseline(classes: readonly string[], priors: readonly number[], nRows: number) {
  const predicts = classes[argmax(priors)];
  return { predicts, pred: new Array<string>(nRows).fill(predicts), proba: Array.from({ length: nRows }, () => [...priors]) };
}

/** `[persisted][true]` Laplace-smoothed conditional frequencies over rows with a persisted class. */
export function persistenceProbabilities(classes: readonly string[], persisted: readonly (string | null)[], y: readonly string[]): number[][] {
  const idx = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => classes.map(() => 1));
  for (let r = 0; r < y.length; r++) {
    const p = persisted[r];
    if (p === null) continue;
    const i = idx.get(p);
    const j = idx.get(y[r]);
    if (i !== undefined && j !== undefined) counts[i][j] += 1;
  }
  return counts.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((c) => c / s);
  });
}

/**
 * Persistence baseline on rows. A row without a persisted class (no history `horizon` days
 * back) gets the majority prediction and the class priors.
 */
export function persistenceBaseline(
  classes: readonly string[],
  persisted: readonly (string | null)[],
  probabilities: readonly (readonly number[])[],
  priors: readonly number[],
) {
  const idx = new Map(classes.map((c, i) => [c, i]));
  const fallback = classes[argmax(priors)];
  const pred: string[] = [];
  const proba: number[][] = [];
  for (const p of persisted) {
    const i = p === null ? undefined : idx.get(p);
    if (i === undefined) {
      pred.push(fallback);
      proba.push([...priors]);
    } else {
      pred.push(classes[i]);
      proba.push([...probabilities[i]]);
    }
  }
  return { pred, proba };
}
