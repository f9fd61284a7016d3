import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashCanonical, scoringInputHash, sha256Hex } from '../../../lib/domain/scoring/input-hash.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';

describe('input hashes', () => {
  test('sha256Hex matches the known digest of "abc"', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('hashCanonical ignores key order', () => {
    assert.equal(hashCanonical({ a: 1, b: [2, 3] }), hashCanonical({ b: [2, 3], a: 1 }));
    assert.match(hashCanonical({}), /^sha256:[0-9a-f]{64}$/);
  });

  test('scoringInputHash is the hash of {symbol, dates, close, confidence}', () => {
    const series = seriesFromPoints(
      [
        { date: '2024-01-02', close: 100 },
        { date: '2024-01-03', close: 101 },
      ],
      'X',
    );
    const expected = `sha256:${sha256Hex('{"close":[100,101],"confidence":0.95,"dates":["2024-01-02","2024-01-03"],"symbol":"X"}')}`;
    assert.equal(scoringInputHash(series, 0.95), expected);
    assert.notEqual(scoringInputHash(series, 0.99), expected);
    assert.notEqual(scoringInputHash({ ...series, symbol: undefined }, 0.95), expected);
  });
});
