import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, NonCanonicalValueError } from '../../../lib/domain/scoring/canonical-json.ts';
import { hashCanonical, scoringInputHash, sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';

describe('canonicalJson (RFC 8785)', () => {
  test('sorts keys by UTF-16 code units, as in RFC 8785 §3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Compare positions in the text: JSON.parse would move the integer-like key "1" first.
    const text = canonicalJson(input);
    const order = Object.keys(input).sort((a, b) => text.indexOf(JSON.stringify(a)) - text.indexOf(JSON.stringify(b)));
    assert.deepEqual(order, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  test('writes numbers the ECMAScript way and nests without whitespace', () => {
    assert.equal(canonicalJson({ b: [1e21, 1e-7, -0, 0.1, 333333333.3333333], a: { z: null, y: true, x: 'é' } }),
      '{"a":{"x":"é","y":true,"z":null},"b":[1e+21,1e-7,0,0.1,333333333.3333333]}');
  });

  test('writes typed arrays as arrays and drops undefined members', () => {
    assert.equal(canonicalJson({ c: Float64Array.of(1.5, 2), u: undefined }), '{"c":[1.5,2]}');
  });

  test('refuses non-finite numbers, naming the JSON Pointer', () => {
    assert.throws(() => canonicalJson({ prices: [1, NaN] }), (err: unknown) => {
      assert.ok(err instanceof NonCanonicalValueError);
      assert.equal(err.path, '/prices/1');
      return true;
    });
  });
});

describe('input hashes', () => {
  test('sha256Hex matches the known digest of "abc"', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('hashCanonical ignores key order', () => {
    assert.equal(hashCanonical({ a: 1, b: [2, 3] }), hashCanonical({ b: [2, 3], a: 1 }));
    assert.match(hashCanonical({}), /^sha256:[0-9a-f]{64}$/);
  });

  test('scoringInputHash is the hash of {symbol, dates, close, confidence}', () => {
    const series = seriesFromPoints([{ date: '2024-01-02', close: 100 }, { date: '2024-01-03', close: 101 }], 'X');
    const expected = `sha256:${sha256Hex('{"close":[100,101],"confidence":0.95,"dates":["2024-01-02","2024-01-03"],"symbol":"X"}')}`;
    assert.equal(scoringInputHash(series, 0.95), expected);
    assert.notEqual(scoringInputHash(series, 0.99), expected);
    assert.notEqual(scoringInputHash({ ...series, symbol: undefined }, 0.95), expected);
  });
});
