/**
 * The JSON layout of a {@link RandomForestModel} and its strict validation on load: a model
 * file that is corrupt, truncated or from another format version is refused with a
 * ForestFormatError naming the field, never loaded into something that predicts wrongly.
 */
import { ForestFormatError } from './errors.ts';
import type { FlatTree } from './flat-tree.ts';
import { type ForestOptions, type ResolvedForestOptions, resolveForestOptions } from './options.ts';

/** Everything a RandomForestModel is made of: what training produces and loading returns. */
export interface ForestParts {
  /** Sorted unique labels (probability column order). */
  classes: string[];
  featureCount: number;
  trainingRows: number;
  options: ResolvedForestOptions;
  trees: FlatTree[];
  oobScore: number | null;
}

/** Identifies the JSON written by `RandomForestModel.toJSON`. */
export const FOREST_FORMAT = 'riskfn-random-forest';
/** Bumped on any incompatible change of the JSON layout or of prediction semantics. */
export const FOREST_FORMAT_VERSION = 1;

/**
 * Serialised options: everything that shapes the model (`threads` does not, so it is left out).
 * `splitSearch` is written only when it is `'histogram'`: an exact-search model has the same
 * bytes as before the option existed, so stored models re-serialise identically.
 */
export type SerializedForestOptions = Omit<ResolvedForestOptions, 'threads' | 'splitSearch'> & { splitSearch?: 'histogram' };

/**
 * Serialised options back to options: `maxDepth: null` is unlimited, a missing `splitSearch` is
 * `'exact'` (whatever the default of new forests is).
 */
export function deserializeForestOptions(o: SerializedForestOptions): ForestOptions {
  const { maxDepth, ...rest } = o;
  return { splitSearch: 'exact', ...rest, maxDepth: maxDepth ?? undefined };
}

/** The options as the JSON records them (see {@link SerializedForestOptions}). */
export function serializeForestOptions(o: ResolvedForestOptions): SerializedForestOptions {
  const { threads: _threads, splitSearch, ...rest } = o;
  return splitSearch === 'exact' ? rest : { ...rest, splitSearch };
}

/** One tree; arrays as in {@link FlatTree}. */
export interface SerializedTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  counts: number[];
}

export interface SerializedForest {
  format: typeof FOREST_FORMAT;
  version: number;
  /** Sorted unique labels (probability column order). */
  classes: string[];
  featureCount: number;
  trainingRows: number;
  /** `maxDepth: null` means unlimited. */
  options: SerializedForestOptions;
  oobScore: number | null;
  trees: SerializedTree[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numberArray(v: unknown, path: string, length: number, check: (x: number, i: number) => string | null): number[] {
  if (!Array.isArray(v)) throw new ForestFormatError(path, 'expected an array');
  if (v.length !== length) throw new ForestFormatError(path, `expected ${length} entries, found ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ForestFormatError(`${path}[${i}]`, `expected a finite number, found ${JSON.stringify(x)}`);
    const problem = check(x, i);
    if (problem) throw new ForestFormatError(`${path}[${i}]`, problem);
  }
  return v as number[];
}

/** Validates `json` (an object or a JSON string) and returns the model's parts. */
export function parseSerializedForest(input: unknown): ForestParts {
  let json = input;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (err) {
      throw new ForestFormatError('', 'not valid JSON', { cause: err });
    }
  }
  if (!isObject(json)) throw new ForestFormatError('', 'expected an object');
  if (json.format !== FOREST_FORMAT) throw new ForestFormatError('format', `expected "${FOREST_FORMAT}", found ${JSON.stringify(json.format)}`);
  if (json.version !== FOREST_FORMAT_VERSION) {
    throw new ForestFormatError('version', `incompatible format version ${JSON.stringify(json.version)}; this build reads version ${FOREST_FORMAT_VERSION}`);
  }
  const classes = json.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')) {
    throw new ForestFormatError('classes', 'expected a non-empty array of strings');
  }
  const sorted = [...new Set(classes as string[])].sort();
  if (sorted.length !== classes.length || sorted.some((c, i) => c !== classes[i])) {
    throw new ForestFormatError('classes', 'must be sorted and unique');
  }
  const K = classes.length;
  const F = json.featureCount;
  if (typeof F !== 'number' || !Number.isSafeInteger(F) || F < 1) throw new ForestFormatError('featureCount', 'expected an integer ≥ 1');
  const trainingRows = json.trainingRows;
  if (typeof trainingRows !== 'number' || !Number.isSafeInteger(trainingRows) || trainingRows < 1) {
    throw new ForestFormatError('trainingRows', 'expected an integer ≥ 1');
  }
  if (!isObject(json.options)) throw new ForestFormatError('options', 'expected an object');
  let options: ResolvedForestOptions;
  try {
    options = resolveForestOptions(deserializeForestOptions(json.options as SerializedForestOptions));
  } catch (err) {
    throw new ForestFormatError('options', (err as Error).message, { cause: err });
  }
  const oob = json.oobScore;
  if (oob !== null && (typeof oob !== 'number' || !(oob >= 0 && oob <= 1))) throw new ForestFormatError('oobScore', 'expected null or a number in [0, 1]');
  if (!Array.isArray(json.trees) || json.trees.length !== options.nEstimators) {
    throw new ForestFormatError('trees', `expected ${options.nEstimators} trees (options.nEstimators)`);
  }
  const trees: FlatTree[] = json.trees.map((t: unknown, ti: number) => parseTree(t, `trees[${ti}]`, F, K));
  return { classes: classes as string[], featureCount: F, trainingRows, options, trees, oobScore: oob };
}

/** Validates one serialised tree (at JSON path `path`) of a forest with F features and K classes. */
export function parseTree(t: unknown, path: string, F: number, K: number): FlatTree {
  if (!isObject(t)) throw new ForestFormatError(path, 'expected an object');
  if (!Array.isArray(t.feature) || t.feature.length < 1) throw new ForestFormatError(`${path}.feature`, 'expected a non-empty array');
  const n = t.feature.length;
  const feature = numberArray(t.feature, `${path}.feature`, n, (x) =>
    Number.isInteger(x) && x >= -1 && x < F ? null : `feature index must be -1 (leaf) or in [0, ${F})`,
  );
  const threshold = numberArray(t.threshold, `${path}.threshold`, n, () => null);
  // Nodes are in preorder: a left child is the next node, a right child comes later. So there
  // are no cycles and every walk ends at a leaf.
  const left = numberArray(t.left, `${path}.left`, n, (x, i) =>
    feature[i] < 0 ? (x === -1 ? null : 'a leaf must have child -1') : x === i + 1 ? null : `left child must be ${i + 1} (preorder)`,
  );
  const right = numberArray(t.right, `${path}.right`, n, (x, i) =>
    feature[i] < 0
      ? x === -1
        ? null
        : 'a leaf must have child -1'
      : Number.isInteger(x) && x > i + 1 && x < n
        ? null
        : `right child must be in (${i + 1}, ${n})`,
  );
  const counts = numberArray(t.counts, `${path}.counts`, n * K, (x) => (x >= 0 ? null : 'class counts must be ≥ 0'));
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let k = 0; k < K; k++) w += counts[i * K + k];
    if (!(w > 0)) throw new ForestFormatError(`${path}.counts`, `node ${i} has no rows`);
  }
  return {
    nodeCount: n,
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    counts: Float64Array.from(counts),
  };
}
