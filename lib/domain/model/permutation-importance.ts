/**
 * Permutation importance on held-out rows: for each feature, shuffle that column (seeded),
 * re-predict, and record the drop in accuracy against the unshuffled score; repeated
 * `repeats` times (mean and sample std). Model-agnostic, and unlike impurity importance it is
 * measured out of sample, so it is not inflated for high-cardinality noise features.
 *
 * `maxSamples` (scikit-learn's `max_samples`): beyond that many rows, a seeded subsample of that
 * size (drawn once, without replacement) is scored instead. Its cost is repeats × features ×
 * rows predictions (95 re-predictions of every row by default): at 500 symbols a fold has
 * 123,500 test rows, while 10,000 rows already measure a drop in accuracy to about ±0.005.
 */
import { argmax } from '../../util/argmax.ts';
import { shuffleInPlace, Xoshiro128 } from '../../util/prng.ts';
import type { PermutationImportance } from './types.ts';

export function permutationImportance(
  predictProba: (X: number[][]) => number[][],
  classes: readonly string[],
  X: readonly (readonly number[])[],
  y: readonly string[],
  featureNames: readonly string[],
  opts: { repeats?: number; seed?: number; maxSamples?: number } = {},
): PermutationImportance[] {
  const repeats = opts.repeats ?? 5;
  const rng = new Xoshiro128(opts.seed ?? 0);
  if (opts.maxSamples !== undefined && X.length > opts.maxSamples) {
    // Rows in their original order, so only the draw differs from scoring them all.
    const keep = shuffleInPlace(
      X.map((_, i) => i),
      rng,
    )
      .slice(0, opts.maxSamples)
      .sort((a, b) => a - b);
    X = keep.map((i) => X[i]);
    y = keep.map((i) => y[i]);
  }
  const accuracy = (rows: number[][]): number => {
    const p = predictProba(rows);
    let ok = 0;
    for (let i = 0; i < rows.length; i++) if (classes[argmax(p[i])] === y[i]) ok += 1;
    return ok / rows.length;
  };
  const base = accuracy(X.map((r) => [...r]));
  return featureNames.map((feature, f) => {
    const drops: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const perm = shuffleInPlace(
        X.map((_, i) => i),
        rng,
      );
      const rows = X.map((r, i) => {
        const c = [...r];
        c[f] = X[perm[i]][f];
        return c;
      });
      drops.push(base - accuracy(rows));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = repeats > 1 ? Math.sqrt(drops.reduce((a, d) => a + (d - mean) ** 2, 0) / (repeats - 1)) : 0;
    return { feature, mean, std };
  });
}
