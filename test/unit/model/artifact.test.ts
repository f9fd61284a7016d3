import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ModelArtifactError, parseArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { FAST, smallSet } from './fixtures.ts';

describe('model artifact files', () => {
  const { artifact } = trainRiskModel(smallSet(), { ...FAST, trees: 3, permutationRepeats: 0 });
  const text = serializeArtifact(artifact);

  test('serialisation is canonical (sorted keys, no whitespace) and round-trips', () => {
    assert.ok(text.startsWith('{"baselines":'));
    assert.ok(text.endsWith('}\n'));
    const back = parseArtifact(text);
    assert.equal(serializeArtifact(back), text);
    // key order of the input object does not matter
    const reordered = Object.fromEntries(Object.entries(artifact).reverse()) as typeof artifact;
    assert.equal(serializeArtifact(reordered), text);
  });

  const refuses = (input: string, pattern: RegExp) =>
    assert.throws(
      () => parseArtifact(input),
      (e: unknown) => e instanceof ModelArtifactError && pattern.test(e.message),
    );

  test('corrupt or truncated files are refused with a message', () => {
    refuses(text.slice(0, 200), /not valid JSON \(corrupt or truncated\?\)/);
    refuses('', /not valid JSON/);
    refuses('{"hello": 1}', /not a riskfn model file/);
    refuses('[]', /not a riskfn model file/);
  });

  test('an incompatible format version is refused, naming the versions', () => {
    assert.equal(artifact.formatVersion, 3);
    refuses(text.replace('"formatVersion":3', '"formatVersion":4'), /model format version 4 is not supported: this riskfn reads version 3/);
    // Version 2 (uncalibrated, evaluated on one split, trained only up to its test period) is not migrated: retrain.
    refuses(
      text.replace('"formatVersion":3', '"formatVersion":2'),
      /model format version 2 is not supported: this riskfn reads version 3 \(calibrated, walk-forward evaluated, refit on all rows\); retrain/,
    );
  });

  test('missing or wrong fields are refused, naming the field', () => {
    const j = JSON.parse(text);
    delete j.featureNames;
    refuses(JSON.stringify(j), /invalid model file: featureNames/);
    const k = JSON.parse(text);
    k.labelRule.thresholds.lowMax = 'x';
    refuses(JSON.stringify(k), /labelRule\.thresholds\.lowMax/);
    const r = JSON.parse(text);
    r.labelRule = { kind: 'guessed', horizon: 10 };
    refuses(JSON.stringify(r), /invalid model file: labelRule/);
    const g = JSON.parse(text);
    g.labelRule = { kind: 'given', target: 'risk_level', horizon: null };
    assert.deepEqual(parseArtifact(JSON.stringify(g)).labelRule, g.labelRule);
  });

  test('a damaged forest is refused, not loaded into wrong predictions', () => {
    const j = JSON.parse(text);
    j.forest.trees[0].left[0] = 0; // a cycle
    refuses(JSON.stringify(j), /the forest does not load/);
    const k = JSON.parse(text);
    k.classes = ['a', 'b', 'c'];
    refuses(JSON.stringify(k), /calibration\.classes \[low, medium, high\] differ from classes \[a, b, c\]/);
    k.calibration.classes = ['a', 'b', 'c'];
    refuses(JSON.stringify(k), /forest classes \[high, low, medium\] differ/);
    const c = JSON.parse(text);
    c.calibration.harWeight = 1.5;
    refuses(JSON.stringify(c), /invalid model file: calibration/);
    const m = JSON.parse(text);
    m.forest.featureCount = 5;
    refuses(JSON.stringify(m), /forest/);
  });
});
