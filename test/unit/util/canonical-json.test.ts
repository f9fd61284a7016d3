import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, NonCanonicalValueError } from '../../../lib/util/canonical-json.ts';

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
    assert.equal(
      canonicalJson({ b: [1e21, 1e-7, -0, 0.1, 333333333.3333333], a: { z: null, y: true, x: 'é' } }),
      '{"a":{"x":"é","y":true,"z":null},"b":[1e+21,1e-7,0,0.1,333333333.3333333]}',
    );
  });

  test('writes typed arrays as arrays and drops undefined members', () => {
    assert.equal(canonicalJson({ c: Float64Array.of(1.5, 2), u: undefined }), '{"c":[1.5,2]}');
  });

  test('refuses non-finite numbers, naming the JSON Pointer', () => {
    assert.throws(
      () => canonicalJson({ prices: [1, NaN] }),
      (err: unknown) => {
        assert.ok(err instanceof NonCanonicalValueError);
        assert.equal(err.path, '/prices/1');
        return true;
      },
    );
  });
});
