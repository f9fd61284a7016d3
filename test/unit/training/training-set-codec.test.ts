import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { serializeArtifact, type TrainingSet, trainRiskModel } from '../../../lib/domain/model/index.ts';
import {
  decodeTrainingSet,
  encodeTrainingSet,
  metaPathFor,
  parseTrainingSet,
  serializeTrainingSet,
  summarizeTrainingSet,
} from '../../../lib/domain/training/training-set-codec.ts';
import { FAST, smallSet } from '../model/fixtures.ts';

const refuses = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof TrainingDataError && pattern.test(e.message));

describe('dataset files: the CSV table and its meta file', () => {
  const set = smallSet();
  const { table, meta } = encodeTrainingSet(set);

  test('the table people open: date, symbol, features, risk_level; the meta file: how the labels were made', () => {
    const lines = table.trim().split('\n');
    // After the label: the realised volatilities behind the HAR baseline and the label's source.
    assert.deepEqual(lines[0].split(','), ['date', 'symbol', ...set.featureNames, 'risk_level', 'rv_daily', 'rv_weekly', 'rv_monthly', 'forward_vol']);
    assert.equal(lines.length - 1, set.rows.length);
    const v = set.rows[0].volatility!;
    assert.ok(lines[1].endsWith(`,${set.rows[0].label},${v.daily},${v.weekly},${v.monthly},${v.forward}`));
    const m = JSON.parse(meta);
    assert.deepEqual(Object.keys(m).sort(), ['benchmark', 'format', 'formatVersion', 'labelRule']);
    assert.deepEqual(m.labelRule, set.labelRule);
    assert.equal(metaPathFor('out/dataset.csv'), 'out/dataset.meta.json');
    assert.equal(metaPathFor('out/data'), 'out/data.meta.json');
  });

  test("decode(encode(set)) is the same set, number for number; so is the workflow's binary form, and the older one-JSON form", () => {
    assert.deepEqual(decodeTrainingSet(table, meta, { source: 'dataset.csv' }), set);
    const stored = serializeTrainingSet(set);
    assert.deepEqual(parseTrainingSet(stored), set);
    // About 8 bytes a number: features and the four volatilities as doubles, three 4-byte indices a row.
    const perRow = (set.featureNames.length + 4) * 8 + 12;
    assert.ok(stored.length > set.rows.length * perRow && stored.length < set.rows.length * perRow + 200_000, `${stored.length} bytes`);
    const withBenchmark: TrainingSet = { ...set, benchmark: 'IDX' };
    assert.deepEqual(parseTrainingSet(serializeTrainingSet(withBenchmark)), withBenchmark);
    // A slice of a larger buffer at an odd offset (as a download may hand it over) decodes the same.
    const shifted = new Uint8Array(stored.length + 3);
    shifted.set(stored, 3);
    assert.deepEqual(parseTrainingSet(shifted.subarray(3)), set);
    // Generic labels without dates or symbols, and no volatilities.
    const given: TrainingSet = {
      labelRule: { kind: 'given', target: 'y', horizon: null },
      featureNames: ['a', 'b'],
      rows: [
        { symbol: null, date: null, features: [1.5, -0], label: 'up' },
        { symbol: null, date: null, features: [Number.MIN_VALUE, 1e300], label: 'down' },
      ],
    };
    assert.deepEqual(parseTrainingSet(serializeTrainingSet(given)), given);
    const legacy = new TextEncoder().encode(JSON.stringify({ ...JSON.parse(meta), table }));
    assert.deepEqual(parseTrainingSet(legacy), set);
  });

  test('the decoded files train the byte-identical model (one trainer for the CLI and the workflow)', () => {
    const fromFiles = trainRiskModel(decodeTrainingSet(table, meta), FAST);
    const inMemory = trainRiskModel(set, FAST);
    assert.equal(serializeArtifact(fromFiles.artifact), serializeArtifact(inMemory.artifact));
    assert.deepEqual(fromFiles.evaluation, inMemory.evaluation);
  });

  test('without its meta file the table is a generic one: labels as given, horizon from the options or the default', () => {
    const generic = decodeTrainingSet(table, null);
    assert.deepEqual(generic.labelRule, { kind: 'given', target: 'risk_level', horizon: 21 });
    // The label's source never becomes a feature, not even of a generic table (it would leak the answer).
    assert.deepEqual(generic.featureNames, set.featureNames);
    assert.deepEqual(
      generic.rows,
      set.rows.map(({ volatility: _, ...r }) => r),
    );
    assert.deepEqual(decodeTrainingSet(table, null, { horizon: 0 }).labelRule, { kind: 'given', target: 'risk_level', horizon: null });
    // A target other than the meta file's label column: the meta file does not apply.
    const other = decodeTrainingSet(table.replace(',risk_level,', ',level,'), meta, { target: 'level', horizon: 5 });
    assert.deepEqual(other.labelRule, { kind: 'given', target: 'level', horizon: 5 });
    // --drop removes columns from the features.
    assert.deepEqual(decodeTrainingSet(table, meta, { drop: ['vol_21'] }).featureNames, set.featureNames.slice(1));
  });

  test('a horizon that contradicts the meta file is refused; so are foreign or damaged files', () => {
    refuses(
      () => decodeTrainingSet(table, meta, { source: 'd.csv', horizon: 5 }),
      /d.csv: its labels look 10 rows ahead \(d.meta.json\); a horizon of 5 cannot change them/,
    );
    assert.doesNotThrow(() => decodeTrainingSet(table, meta, { horizon: 10 }));
    refuses(() => decodeTrainingSet(table, meta.slice(0, 30), { source: 'd.csv' }), /d.meta.json is not valid JSON/);
    refuses(() => decodeTrainingSet(table, '{"format":"something"}', { source: 'd.csv' }), /d.meta.json is not a riskfn dataset meta file: format/);
    refuses(
      () => decodeTrainingSet(table, meta.replace('"formatVersion": 2', '"formatVersion": 1'), { source: 'd.csv' }),
      /dataset format version 1 is not supported/,
    );
    refuses(
      () => decodeTrainingSet(table.replace(/,high,([^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*)\n/, ',extreme,$1\n'), meta, { source: 'd.csv' }),
      /d.csv: row \d+, column 'risk_level': 'extreme' is not one of low, medium, high/,
    );
    const noSymbol = table
      .split('\n')
      .map((l) => l.replace(/^([^,]*),[^,]*,/, '$1,'))
      .join('\n');
    refuses(() => decodeTrainingSet(noSymbol, meta, { source: 'd.csv' }), /needs its 'date' and 'symbol' columns/);
  });

  test('a truncated, damaged or foreign stored object is refused with the place named', () => {
    const stored = serializeTrainingSet(set);
    refuses(() => parseTrainingSet(stored.subarray(0, stored.length - 1)), /stored training set has \d+ bytes; its header describes \d+/);
    refuses(() => parseTrainingSet(stored.subarray(0, 40)), /stored training set is truncated \(in its header\)/);
    const nan = stored.slice();
    // The first row's first feature: the first 8-byte-aligned double after the header.
    const start = Math.ceil((12 + new DataView(nan.buffer).getUint32(8, true)) / 8) * 8;
    new DataView(nan.buffer).setFloat64(start, Number.NaN, true);
    refuses(() => parseTrainingSet(nan), /stored training set: row 1, column 'vol_21': NaN is not a finite number/);
    const text = (s: string) => new TextEncoder().encode(s);
    refuses(() => parseTrainingSet(text('{"format":"riskfn-da')), /stored training set is not valid JSON/);
    refuses(() => parseTrainingSet(text('{"format":"riskfn-dataset"}')), /stored training set has no table/);
    const bad = JSON.parse(JSON.stringify({ ...JSON.parse(meta), table }));
    bad.table = bad.table.replace(/\n(\d{4}-\d\d-\d\d),AAA,[^,]*,/, '\n$1,AAA,x,');
    refuses(() => parseTrainingSet(text(JSON.stringify(bad))), /stored training set: row \d+, column 'vol_21': 'x' is not a finite number/);
  });

  test("the workflow state's summary of a set", () => {
    assert.deepEqual(summarizeTrainingSet(set), { rows: set.rows.length, symbols: ['AAA', 'BBB', 'CCC'], from: set.rows[0].date, to: set.rows.at(-1)!.date });
  });
});
