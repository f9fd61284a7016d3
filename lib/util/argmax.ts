/**
 * Index of the largest value; ties go to the first (so a class order doubles as the
 * tie-break). 0 for an empty input; NaN entries never win.
 */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}
