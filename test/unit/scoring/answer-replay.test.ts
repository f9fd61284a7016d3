import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPiece, compareAnswers, firstDifference, replayVerdict } from '../../../lib/domain/scoring/answer-replay.ts';

describe('compareAnswers: canonical JSON, byte for byte', () => {
  test('member order and number spelling do not matter; the canonical bytes are counted', () => {
    const c = compareAnswers('{"b":1.0,"a":[1e2,"x"]}', '{"a":[100,"x"],"b":1}');
    assert.deepEqual(c, { identical: true, recordedBytes: 21, recomputedBytes: 21, difference: null });
  });

  test('a changed number is found at its pointer, with both sides', () => {
    const recorded = JSON.stringify({ metrics: { var: 0.0156, es: 0.0233 }, model: { version: 'v1' } });
    const recomputed = JSON.stringify({ metrics: { var: 0.0156, es: 0.02330000000000001 }, model: { version: 'v1' } });
    const c = compareAnswers(recorded, recomputed);
    assert.equal(c.identical, false);
    assert.deepEqual(c.difference, { path: '/metrics/es', recorded: 0.0233, recomputed: 0.02330000000000001 });
  });
});

describe('firstDifference', () => {
  test('walks keys in canonical order and arrays by index; a missing member is undefined on its side', () => {
    assert.equal(firstDifference({ a: [1, { b: null }] }, { a: [1, { b: null }] }), null);
    assert.deepEqual(firstDifference({ z: 1, a: [1, 2] }, { z: 2, a: [1, 3] }), { path: '/a/1', recorded: 2, recomputed: 3 });
    assert.deepEqual(firstDifference({ a: 1 }, { a: 1, b: 'new' }), { path: '/b', recorded: undefined, recomputed: 'new' });
    assert.deepEqual(firstDifference([1], [1, 2]), { path: '/1', recorded: undefined, recomputed: 2 });
    assert.deepEqual(firstDifference({ 'a/b~': 1 }, { 'a/b~': 2 }), { path: '/a~1b~0', recorded: 1, recomputed: 2 });
    assert.deepEqual(firstDifference({ a: [1] }, { a: { 0: 1 } }), { path: '/a', recorded: [1], recomputed: { 0: 1 } });
  });
});

describe('replayVerdict', () => {
  const ok = checkPiece('request', 'the item', 'sha256:aa', 'sha256:aa');
  const same = compareAnswers('{"a":1}', '{"a":1}');

  test('checkPiece: match, mismatch, missing', () => {
    assert.equal(ok.status, 'match');
    assert.equal(checkPiece('input series DAX', 'k', 'sha256:aa', 'sha256:bb').status, 'mismatch');
    assert.equal(checkPiece('input series DAX', 'k', 'sha256:aa', null).status, 'missing');
  });

  test('identical only when every piece matches and the answers are byte-identical', () => {
    assert.deepEqual(replayVerdict([ok], same), { outcome: 'identical', failed: [], summary: '7 bytes of canonical JSON, byte for byte' });
  });

  test('a piece that no longer matches is named, even when the answer came out the same', () => {
    const bad = checkPiece('model artifact v1', 'models/v1/model.json', 'sha256:aa', 'sha256:bb');
    const v = replayVerdict([ok, bad], same);
    assert.equal(v.outcome, 'different');
    assert.deepEqual(v.failed, [bad]);
    assert.equal(v.summary, 'no longer matching the record: model artifact v1 (mismatch: models/v1/model.json); the recomputed answer is identical');
  });

  test('every piece matches but the answer differs: the first differing member is named', () => {
    const v = replayVerdict([ok], compareAnswers('{"a":{"b":1}}', '{"a":{"b":2}}'));
    assert.equal(v.outcome, 'different');
    assert.equal(v.summary, 'every piece matches, but the recomputed answer differs first at /a/b');
  });

  test('not replayable: the reason, and the pieces that failed', () => {
    const gone = checkPiece('request', 'audit/requests/x.json', 'sha256:aa', null);
    const v = replayVerdict([gone], null, 'cannot recompute without the request');
    assert.equal(v.outcome, 'not-replayable');
    assert.equal(v.summary, 'cannot recompute without the request; no longer matching: request (missing: audit/requests/x.json)');
  });
});
