/** The request limits checked on the raw body: the scanner's measures and which limit a body exceeds first. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LimitExceededError } from '../../../functions/api/errors.ts';
import { checkRequestLimits, jsonShape } from '../../../functions/api/limits.ts';
import { REQUEST_LIMITS } from '../../../lib/schemas/request-limits.ts';

const limitOf = (body: string, isBase64Encoded = false) => {
  try {
    checkRequestLimits({ body, isBase64Encoded });
    return null;
  } catch (err) {
    assert.ok(err instanceof LimitExceededError);
    return { status: err.status, ...err.limit };
  }
};

describe('jsonShape', () => {
  test('depth counts open objects and arrays; scalars are 0', () => {
    assert.deepEqual(jsonShape('1'), { depth: 0, longestKey: 0 });
    assert.deepEqual(jsonShape('{}'), { depth: 1, longestKey: 0 });
    assert.deepEqual(jsonShape('{"holdings":[{"prices":[{"date":"2024-01-02"}]}]}'), { depth: 5, longestKey: 8 });
    assert.equal(jsonShape('[[],[[]],[]]').depth, 3);
  });

  test('brackets and quotes inside strings do not count; escapes are one character of a key', () => {
    assert.deepEqual(jsonShape('{"a[[[{":"]]]}}{{{{\\"[["}'), { depth: 1, longestKey: 5 });
    assert.equal(jsonShape('{"\\u00e9\\n\\"x":1}').longestKey, 4);
    assert.equal(jsonShape('{"ééé":1}').longestKey, 3);
  });

  test('a string is a key only when a colon follows it (blanks allowed)', () => {
    assert.equal(jsonShape(`["${'v'.repeat(500)}"]`).longestKey, 0);
    assert.equal(jsonShape(`{"${'k'.repeat(500)}" \n : 1}`).longestKey, 500);
  });

  test('malformed text is measured as far as it looks like JSON', () => {
    assert.deepEqual(jsonShape('{"a": [1, 2'), { depth: 2, longestKey: 1 });
    assert.deepEqual(jsonShape('{"unterminated'), { depth: 1, longestKey: 0 });
  });
});

describe('checkRequestLimits', () => {
  test('bodies within every limit pass, and so does no body', () => {
    checkRequestLimits({ body: null, isBase64Encoded: false });
    checkRequestLimits({ body: '', isBase64Encoded: false });
    assert.equal(limitOf(`${'['.repeat(REQUEST_LIMITS.depth)}${']'.repeat(REQUEST_LIMITS.depth)}`), null);
    assert.equal(limitOf(`{"${'k'.repeat(REQUEST_LIMITS.keyLength)}":1}`), null);
  });

  test('depth over the limit: 400 naming it with the depth found', () => {
    assert.deepEqual(limitOf(`${'['.repeat(4000)}${']'.repeat(4000)}`), { status: 400, name: 'depth', max: REQUEST_LIMITS.depth, actual: 4000 });
    assert.deepEqual(limitOf(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`), { status: 400, name: 'depth', max: REQUEST_LIMITS.depth, actual: 33 });
  });

  test('a key over the limit: 400 with its length', () => {
    assert.deepEqual(limitOf(`{"${'k'.repeat(300 * 1024)}":1}`), { status: 400, name: 'keyLength', max: REQUEST_LIMITS.keyLength, actual: 300 * 1024 });
  });

  test('size first (413, in bytes as received), then depth, then key length', () => {
    const big = `{"${'k'.repeat(200)}":${'['.repeat(40)}"${'é'.repeat(REQUEST_LIMITS.bodyBytes / 2)}"${']'.repeat(40)}}`;
    assert.deepEqual(limitOf(big), { status: 413, name: 'bodyBytes', max: REQUEST_LIMITS.bodyBytes, actual: Buffer.byteLength(big) });
    assert.equal(limitOf(`{"${'k'.repeat(200)}":${'['.repeat(40)}${']'.repeat(40)}}`)?.name, 'depth');
  });

  test('a base64 body is measured decoded', () => {
    const body = Buffer.from(`${'['.repeat(50)}${']'.repeat(50)}`).toString('base64');
    assert.deepEqual(limitOf(body, true), { status: 400, name: 'depth', max: REQUEST_LIMITS.depth, actual: 50 });
  });
});
