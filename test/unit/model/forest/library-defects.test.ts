/**
 * The ten known defects of ml-random-forest 2.1.0 / ml-cart 2.1.1 (docs/forest.md), each shown
 * fixed by the patches in patches/ (applied by patch-package on `npm ci`). Every test asserts
 * the behaviour the unpatched library gets wrong, so each fails on the published packages
 * (checked by running this file against a copy of node_modules without the patches; see
 * docs/forest.md).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DecisionTreeClassifier } from 'ml-cart';
import { RandomForestClassifier, type RandomForestClassifierModel } from 'ml-random-forest';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Deterministic uniform numbers (an LCG) so the data below is fixed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface CartNode {
  left?: CartNode;
  right?: CartNode;
  splitColumn?: number;
  splitValue?: number;
  distribution?: number[][] | { to2DArray(): number[][] };
}
function leaves(node: CartNode, out: CartNode[] = []): CartNode[] {
  if (node.left && node.right) {
    leaves(node.left, out);
    leaves(node.right, out);
  } else out.push(node);
  return out;
}
function splitColumns(node: CartNode, out = new Set<number>()): Set<number> {
  if (node.left && node.right) {
    out.add(node.splitColumn!);
    splitColumns(node.left, out);
    splitColumns(node.right, out);
  }
  return out;
}
function distributionOf(node: CartNode): number[] {
  const d = node.distribution!;
  return Array.isArray(d) ? d[0] : d.to2DArray()[0];
}

describe('ml-cart / ml-random-forest defects, patched', () => {
  test('defect 1: the split search reads each label a bounded number of times (no re-partition per candidate)', () => {
    // Unpatched, every candidate threshold re-reads all n labels of the node (O(n^2) per feature).
    const reads = (n: number): number => {
      const r = lcg(7);
      const X = Array.from({ length: n }, () => [r(), r(), r()]);
      const labels = X.map((row) => (row[0] + 0.5 * r() > 0.7 ? 1 : 0));
      let count = 0;
      const y = new Proxy(labels, {
        get(target, prop, receiver) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) count++;
          return Reflect.get(target, prop, receiver);
        },
      });
      const tree = new DecisionTreeClassifier({ maxDepth: 1 });
      tree.train(X, y);
      return count;
    };
    const small = reads(200);
    const large = reads(400);
    assert.ok(small <= 5 * 200, `${small} label reads for 200 rows`);
    assert.ok(large / small < 2.5, `reads grow ${large / small}x when rows double`);
    // ...and ml-cart's per-candidate re-partition (TreeNode#split) is no longer used for classification.
    const tree = new DecisionTreeClassifier();
    tree.train([[0], [1], [2], [3]], [0, 0, 1, 1]);
    const proto = Object.getPrototypeOf(tree.root) as { split: (...a: unknown[]) => unknown };
    const original = proto.split;
    let calls = 0;
    proto.split = function (this: unknown, ...a: unknown[]) {
      calls++;
      return original.apply(this, a);
    };
    try {
      const r = lcg(3);
      const X = Array.from({ length: 100 }, () => [r(), r()]);
      new DecisionTreeClassifier().train(
        X,
        X.map((row) => (row[0] > 0.5 ? 1 : 0)),
      );
    } finally {
      proto.split = original;
    }
    assert.equal(calls, 0);
  });

  test('defect 2: predictProbability counts every vote (9 of 10 trees → 0.9, not 0.800001)', () => {
    const tree = (dist: number[]) => ({
      name: 'DTClassifier',
      options: { gainFunction: 'gini', splitFunction: 'mean', minNumSamples: 3, maxDepth: null, gainThreshold: 0.01, kind: 'classifier' },
      root: { distribution: [dist] },
    });
    const votes = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2]; // the first tree votes for label 1
    const model = {
      name: 'RFClassifier',
      baseModel: {
        indexes: votes.map(() => [0]),
        n: 1,
        replacement: false,
        maxFeatures: 1,
        nEstimators: 10,
        treeOptions: {},
        isClassifier: true,
        seed: 42,
        estimators: votes.map((v) => tree(v === 1 ? [0, 1, 0] : [0, 0, 1])),
        useSampleBagging: true,
      },
    } as unknown as RandomForestClassifierModel;
    const rf = RandomForestClassifier.load(model);
    assert.deepEqual(rf.predictProbability([[0]], 1), [0.9]);
    assert.deepEqual(rf.predictProbability([[0]], 2), [0.1]);
  });

  test('defect 3: impurity importance is never negative, and a lone informative feature gets 1', () => {
    // Unpatched: the children's gain is subtracted from the parent's and rejected splits count,
    // giving [1.07, -0.07] here, and NaN (0/0) when the other columns are constant.
    const r = lcg(6);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 40; i++) {
      const a = r();
      const b = r();
      X.push([a, b]);
      y.push(a + 0.3 * r() > 0.6 ? 1 : 0);
    }
    const rf = new RandomForestClassifier({ nEstimators: 1, maxFeatures: undefined, seed: 6, noOOB: true, treeOptions: { gainThreshold: 0 } });
    rf.train(X, y);
    const imp = rf.featureImportance();
    assert.ok(
      imp.every((v) => Number.isFinite(v) && v >= 0),
      `importance ${imp}`,
    );
    assert.ok(Math.abs(imp[0] + imp[1] - 1) < 1e-12);

    const X2 = Array.from({ length: 60 }, (_, i) => [i % 10, 0, 0]);
    const y2 = X2.map((row) => (row[0] < 5 ? 0 : 1));
    const rf2 = new RandomForestClassifier({ nEstimators: 5, maxFeatures: undefined, seed: 1, noOOB: true });
    rf2.train(X2, y2);
    assert.deepEqual(rf2.featureImportance(), [1, 0, 0]);
  });

  test('defect 4: toJSON keeps numberFeatures (importance after load) and maxDepth Infinity', () => {
    const r = lcg(11);
    const X = Array.from({ length: 80 }, () => [r(), r(), r()]);
    const y = X.map((row) => (row[0] + row[1] > 1 ? 1 : 0));
    const rf = new RandomForestClassifier({ nEstimators: 4, seed: 3, noOOB: true, treeOptions: { maxDepth: Infinity } });
    rf.train(X, y);
    const loaded = RandomForestClassifier.load(JSON.parse(JSON.stringify(rf.toJSON())));
    const before = rf.featureImportance();
    const after = loaded.featureImportance();
    assert.equal(after.length, 3);
    assert.ok(
      after.every((v) => Number.isFinite(v)),
      `importance after load ${after}`,
    );
    assert.deepEqual(after, before);
    assert.equal((loaded as unknown as { treeOptions: { maxDepth: number } }).treeOptions.maxDepth, Infinity);
    const est = loaded.estimators[0] as unknown as { options: { maxDepth: number } };
    assert.equal(est.options.maxDepth, Infinity);
    assert.deepEqual(loaded.predict(X), rf.predict(X));
  });

  test('defect 5: out-of-bag evaluation with 2 trees does not throw; rows in every bag get no OOB prediction', () => {
    const r = lcg(5);
    const X = Array.from({ length: 12 }, () => [r(), r()]);
    const y = X.map((row) => (row[0] > 0.5 ? 1 : 0));
    const rf = new RandomForestClassifier({ nEstimators: 2, seed: 42 });
    rf.train(X, y); // unpatched: TypeError "input must not be empty"
    const oob = rf.predictOOB();
    assert.equal(oob.length, 12);
    const missing = oob.filter((v) => v === undefined).length;
    assert.ok(missing > 0 && missing < 12, `${missing} rows without OOB vote`);
    const cm = rf.getConfusionMatrix();
    assert.equal(
      cm.flat().reduce((a, b) => a + b, 0),
      12 - missing,
    );
  });

  test('defect 6: maxSamples draws random rows, and maxSamples 1 (= 1.0) means all rows', () => {
    // Rows sorted by class: the first half are all class 0.
    const X = Array.from({ length: 40 }, (_, i) => [i]);
    const y = X.map((row) => (row[0] < 20 ? 0 : 1));
    const half = new RandomForestClassifier({ nEstimators: 5, maxSamples: 0.5, seed: 9, noOOB: true });
    half.train(X, y);
    assert.deepEqual(half.predict([[2], [37]]), [0, 1]); // unpatched: first 20 rows only → [0, 0]
    const all = new RandomForestClassifier({ nEstimators: 5, maxSamples: 1, useSampleBagging: false, seed: 9, noOOB: true });
    all.train(X, y);
    assert.deepEqual(all.predict(X), y); // unpatched: trained on one row → one class everywhere
  });

  test('defect 7: maxFeatures 1 is one feature, no duplicate columns, per-split sampling is the default', () => {
    const r = lcg(13);
    const X = Array.from({ length: 120 }, () => [r(), r(), r(), r()]);
    const y = X.map((row) => (row[0] + row[1] - row[2] > 0.4 ? 1 : 0));
    const one = new RandomForestClassifier({ nEstimators: 5, maxFeatures: 1, featureSampling: 'per-tree', seed: 1, noOOB: true });
    one.train(X, y);
    assert.ok(
      one.indexes.every((ix) => ix.length === 1),
      `indexes ${JSON.stringify(one.indexes)}`,
    );

    const repl = new RandomForestClassifier({ nEstimators: 20, maxFeatures: 3, replacement: true, featureSampling: 'per-tree', seed: 2, noOOB: true });
    repl.train(X, y);
    for (const ix of repl.indexes) assert.equal(new Set(ix).size, 3, `duplicate columns ${ix}`);

    const byDefault = new RandomForestClassifier({ nEstimators: 3, maxFeatures: 1, seed: 4, noOOB: true });
    assert.equal(byDefault.featureSampling, 'per-split');
    byDefault.train(X, y);
    // every tree sees all columns and, drawing one feature per node, splits on several of them
    for (const [t, est] of byDefault.estimators.entries()) {
      assert.deepEqual(byDefault.indexes[t], [0, 1, 2, 3]);
      assert.ok(splitColumns((est as unknown as { root: CartNode }).root).size >= 2);
    }
    // without row bagging, per-split trees still differ (each tree has its own sampling seed)
    const noBagging = new RandomForestClassifier({ nEstimators: 3, maxFeatures: 1, useSampleBagging: false, seed: 4, noOOB: true });
    noBagging.train(X, y);
    assert.equal(new Set(noBagging.estimators.map((e) => JSON.stringify(e.toJSON()))).size, 3);
  });

  test('defect 8: string labels work and every leaf has one probability per class', () => {
    const r = lcg(17);
    const X = Array.from({ length: 90 }, () => [r(), r()]);
    const y = X.map((row) => (row[0] < 0.33 ? 'low' : row[0] < 0.66 ? 'mid' : 'high'));
    const rf = new RandomForestClassifier({ nEstimators: 5, seed: 8 });
    rf.train(X, y); // unpatched: RangeError (labels used as array indices)
    assert.deepEqual(
      rf.predict([
        [0.1, 0.5],
        [0.5, 0.5],
        [0.9, 0.5],
      ]),
      ['low', 'mid', 'high'],
    );
    assert.deepEqual(rf.classes, ['high', 'low', 'mid']);
    for (const est of rf.estimators) {
      for (const leaf of leaves((est as unknown as { root: CartNode }).root)) assert.equal(distributionOf(leaf).length, 3);
    }
    // numeric labels: a tree whose sample lacks the largest class still has 3-entry leaves
    const yn = X.map((row) => (row[0] < 0.33 ? 0 : row[0] < 0.66 ? 1 : 2));
    const small = new DecisionTreeClassifier();
    small.train(
      X.slice(0, 30).filter((_, i) => yn[i] !== 2),
      yn.slice(0, 30).filter((v) => v !== 2),
      [0, 1, 2],
    );
    for (const leaf of leaves(small.root as CartNode)) assert.equal(distributionOf(leaf).length, 3);
  });

  test('defect 9: tied values never produce a degenerate threshold that hides the valid split (ml-cart #18)', () => {
    // Sorted by x the labels change between two rows with x = 1, so the unpatched candidate is
    // mean(1, 1) = 1 (x < 1 sends every row right) and the split at 1.5 is never tried.
    const tree = new DecisionTreeClassifier();
    tree.train([[1], [1], [1], [2], [2], [2]], [0, 0, 1, 1, 1, 1]);
    const root = tree.root as CartNode;
    assert.ok(root.left && root.right, 'the root must split');
    assert.equal(root.splitValue, 1.5);
    assert.deepEqual(tree.predict([[1], [2]]), [0, 1]);
  });

  test('defect 10: the type declarations compile (skipLibCheck off) and document the real defaults', () => {
    const file = join(here, '__typecheck_fixture.ts');
    const source = [
      "import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';",
      "import { DecisionTreeClassifier } from 'ml-cart';",
      "const rf = new RandomForestClassifier({ nEstimators: 3, maxFeatures: 'sqrt', featureSampling: 'per-split' });",
      "rf.train([[1], [2]], ['a', 'b']);",
      "const p: number[] = rf.predictProbability([[1]], 'a');",
      'const imp: number[] = rf.featureImportance();',
      'const reg = new RandomForestRegression({ selectionMethod: "median" });',
      'const t = new DecisionTreeClassifier({ maxDepth: 2 });',
      'export { p, imp, reg, t };',
    ].join('\n');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(diagnostics, []);

    // "[options.NAME=VALUE]" in RandomForestClassifier's constructor doc = the runtime default
    const dts = readFileSync(require.resolve('ml-random-forest/types/types.d.ts'), 'utf8');
    const classDoc = dts.slice(dts.indexOf('class RandomForestClassifier'));
    const documented = new Map([...classDoc.slice(0, classDoc.indexOf('constructor(')).matchAll(/\[options\.(\w+)=([^\]]+)\]/g)].map((m) => [m[1], m[2]]));
    const runtime = new RandomForestClassifier() as unknown as Record<string, unknown>;
    for (const key of ['nEstimators', 'useSampleBagging', 'seed', 'replacement', 'maxFeatures']) {
      assert.ok(documented.has(key), `${key} is not documented`);
      assert.equal(String(documented.get(key)).replace(/'/g, ''), String(runtime[key]), `documented default of ${key}`);
    }
  });
});
