/**
 * Small deterministic classification data for the forest tests (no Math.random): Gaussian
 * features from the forest's own seeded generator, three classes from a noisy score.
 */
import { Xoshiro128 } from '../../../../lib/util/prng.ts';

export interface Dataset {
  X: number[][];
  y: string[];
}

function gaussianSource(seed: number): () => number {
  const rng = new Xoshiro128(seed);
  return () => {
    const u = (rng.nextUint32() + 1) / 4294967297;
    const v = rng.nextUint32() / 4294967296;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** `rows` rows of `features` features; the label depends on features 0-3 plus noise. */
export function makeClassification(rows: number, features = 6, seed = 1, labels: [string, string, string] = ['high', 'low', 'medium']): Dataset {
  const g = gaussianSource(seed);
  const X: number[][] = [];
  const y: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: features }, g);
    const s = row[0] + 0.8 * row[1] - 0.6 * row[2] * row[3] + 0.4 * g();
    y.push(s < -0.5 ? labels[1] : s < 0.6 ? labels[2] : labels[0]);
    X.push(row);
  }
  return { X, y };
}

export function split(d: Dataset, trainRows: number): { train: Dataset; test: Dataset } {
  return {
    train: { X: d.X.slice(0, trainRows), y: d.y.slice(0, trainRows) },
    test: { X: d.X.slice(trainRows), y: d.y.slice(trainRows) },
  };
}

export function accuracy(pred: readonly string[], truth: readonly string[]): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) ok++;
  return ok / pred.length;
}
