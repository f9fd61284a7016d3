import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LIBRARY_VERSIONS } from '../../../lib/domain/model/versions.ts';

test('the versions recorded in artifacts are the installed ones', () => {
  const v = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
  assert.equal(LIBRARY_VERSIONS.riskfn, v('package.json'));
  assert.equal(LIBRARY_VERSIONS['ml-random-forest'], v('node_modules/ml-random-forest/package.json'));
  assert.equal(LIBRARY_VERSIONS['ml-cart'], v('node_modules/ml-cart/package.json'));
});
