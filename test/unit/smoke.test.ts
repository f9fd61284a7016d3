import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MARKET_DATA_STREAM, TRAINING_STATES } from '../../lib/config/resources.ts';

test('resource config names the stream and the training states', () => {
  assert.equal(MARKET_DATA_STREAM.name, 'riskfn-market-data');
  assert.equal(TRAINING_STATES.gate, 'IsChallengerBetter');
});
