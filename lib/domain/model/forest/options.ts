/**
 * Options of {@link trainForest}, their defaults (scikit-learn's RandomForestClassifier
 * defaults where one exists) and their validation.
 */
import { ForestOptionsError } from './errors.ts';

/** How many features a split may look at; see {@link resolveMaxFeatures}. */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** Split search of the tree builder; see {@link ForestOptions.splitSearch}. */
export type SplitSearch = 'exact' | 'histogram';

export interface ForestOptions {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /**
   * Features considered per split (or per tree, see `featureSampling`):
   * `'sqrt'` (default) → max(1, ⌊√F⌋); `'log2'` → max(1, ⌊log2 F⌋); `'all'` → F;
   * an integer ≥ 1 is a count (so `1` means one feature, never "100 %"); a number in
   * (0, 1) is a fraction → max(1, ⌊fraction·F⌋).
   */
  maxFeatures?: MaxFeatures;
  /**
   * `'per-split'` (default, Breiman / scikit-learn): every node draws its own features.
   * `'per-tree'`: each tree draws `maxFeatures` features once and only splits on those.
   */
  featureSampling?: 'per-split' | 'per-tree';
  /** Maximum depth (root = depth 0, so 1 gives stumps). Default unlimited. */
  maxDepth?: number;
  /** A node with fewer distinct in-bag rows than this is a leaf. Default 2. */
  minSamplesSplit?: number;
  /** Each child must keep at least this many distinct in-bag rows. Default 1. */
  minSamplesLeaf?: number;
  /** Each tree trains on a bootstrap sample of N rows drawn with replacement. Default true. */
  bootstrap?: boolean;
  /** Forest seed (any safe integer). Default 42. */
  seed?: number;
  /**
   * How a node finds its best threshold on a feature. `'exact'` (default): every boundary
   * between two distinct training values of the node's rows. `'histogram'`: each feature is
   * quantised once into at most 256 bins (its distinct values when it has at most 256, else
   * quantiles), and only boundaries between bins are candidates; faster on large data, the same
   * trees as `'exact'` for features with at most 256 distinct values.
   */
  splitSearch?: SplitSearch;
  /**
   * Worker threads for training (one contiguous shard of trees each). Default 1.
   * Not part of the model: any thread count gives the byte-identical model.
   */
  threads?: number;
}

/** Options after defaults; `maxDepth: null` means unlimited (JSON-safe, unlike Infinity). */
export interface ResolvedForestOptions {
  nEstimators: number;
  maxFeatures: MaxFeatures;
  featureSampling: 'per-split' | 'per-tree';
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  bootstrap: boolean;
  seed: number;
  splitSearch: SplitSearch;
  threads: number;
}

const FOREST_DEFAULTS: Readonly<ResolvedForestOptions> = Object.freeze({
  nEstimators: 100,
  maxFeatures: 'sqrt',
  featureSampling: 'per-split',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  bootstrap: true,
  seed: 42,
  splitSearch: 'exact',
  threads: 1,
});

const KNOWN = new Set(Object.keys(FOREST_DEFAULTS));

function positiveInt(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new ForestOptionsError(name, `must be an integer ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

/** Applies defaults and validates; unknown keys are refused (they are usually typos). */
export function resolveForestOptions(options: ForestOptions = {}): ResolvedForestOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ForestOptionsError('options', 'must be an object');
  }
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k)) throw new ForestOptionsError(k, 'unknown option');
  }
  const o = { ...FOREST_DEFAULTS };
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ForestOptions;
  if (given.nEstimators !== undefined) o.nEstimators = positiveInt('nEstimators', given.nEstimators, 1);
  if (given.maxFeatures !== undefined) {
    const m = given.maxFeatures;
    const ok = m === 'sqrt' || m === 'log2' || m === 'all' || (typeof m === 'number' && ((Number.isSafeInteger(m) && m >= 1) || (m > 0 && m < 1)));
    if (!ok) throw new ForestOptionsError('maxFeatures', `must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a fraction in (0, 1), got ${String(m)}`);
    o.maxFeatures = m;
  }
  if (given.featureSampling !== undefined) {
    if (given.featureSampling !== 'per-split' && given.featureSampling !== 'per-tree') {
      throw new ForestOptionsError('featureSampling', `must be 'per-split' or 'per-tree', got ${String(given.featureSampling)}`);
    }
    o.featureSampling = given.featureSampling;
  }
  if (given.maxDepth !== undefined && given.maxDepth !== Infinity) o.maxDepth = positiveInt('maxDepth', given.maxDepth, 1);
  if (given.minSamplesSplit !== undefined) o.minSamplesSplit = positiveInt('minSamplesSplit', given.minSamplesSplit, 2);
  if (given.minSamplesLeaf !== undefined) o.minSamplesLeaf = positiveInt('minSamplesLeaf', given.minSamplesLeaf, 1);
  if (given.bootstrap !== undefined) {
    if (typeof given.bootstrap !== 'boolean') throw new ForestOptionsError('bootstrap', 'must be a boolean');
    o.bootstrap = given.bootstrap;
  }
  if (given.seed !== undefined) {
    if (typeof given.seed !== 'number' || !Number.isSafeInteger(given.seed)) {
      throw new ForestOptionsError('seed', `must be a safe integer, got ${String(given.seed)}`);
    }
    o.seed = given.seed;
  }
  if (given.splitSearch !== undefined) {
    if (given.splitSearch !== 'exact' && given.splitSearch !== 'histogram') {
      throw new ForestOptionsError('splitSearch', `must be 'exact' or 'histogram', got ${String(given.splitSearch)}`);
    }
    o.splitSearch = given.splitSearch;
  }
  if (given.threads !== undefined) o.threads = positiveInt('threads', given.threads, 1);
  return o;
}

/** Number of features a split (or tree) draws, for `featureCount` features in all. */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, featureCount: number): number {
  let k: number;
  if (maxFeatures === 'sqrt') k = Math.floor(Math.sqrt(featureCount));
  else if (maxFeatures === 'log2') k = Math.floor(Math.log2(featureCount));
  else if (maxFeatures === 'all') k = featureCount;
  else if (Number.isInteger(maxFeatures)) {
    if (maxFeatures > featureCount) {
      throw new ForestOptionsError('maxFeatures', `${maxFeatures} exceeds the ${featureCount} features of the data`);
    }
    k = maxFeatures;
  } else k = Math.floor(maxFeatures * featureCount);
  return Math.max(1, Math.min(featureCount, k));
}
