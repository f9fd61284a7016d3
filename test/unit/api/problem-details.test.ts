/**
 * The one status decision: domain errors are matched by class and `code`, never by name, so a
 * renamed or minified error class answers the same.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ScoringError, UnknownSymbolError } from '../../../functions/api/errors.ts';
import { INTERNAL_ERROR_DETAIL, toProblem } from '../../../functions/api/problem-details.ts';
import { DomainError, type DomainErrorCode } from '../../../lib/domain/errors.ts';

const ctx = { instance: '/v1/risk/instrument', requestId: 'req-1', historyPath: '/prices' };

function domainError(code: DomainErrorCode, name = 'SomeRenamedError'): DomainError {
  const err = new (class extends DomainError {
    readonly code = code;
  })('only 40 prices, the model needs 64');
  err.name = name; // what a minifier or a rename would do
  return err;
}

describe('toProblem', () => {
  test('INSUFFICIENT_HISTORY is a 422 insufficient-history problem naming the history field', () => {
    const p = toProblem(domainError('INSUFFICIENT_HISTORY'), ctx);
    assert.equal(p.status, 422);
    assert.equal(p.expected, true);
    assert.deepEqual(p.body, {
      type: 'tag:riskfn,2026:insufficient-history',
      title: 'Insufficient history',
      status: 422,
      detail: 'only 40 prices, the model needs 64',
      instance: '/v1/risk/instrument',
      requestId: 'req-1',
      errors: [{ path: '/prices', message: 'history too short' }],
    });
  });

  test('MODEL_INPUT_UNAVAILABLE is a 422 model-input-unavailable problem', () => {
    const p = toProblem(domainError('MODEL_INPUT_UNAVAILABLE'), { ...ctx, historyPath: '/symbol' });
    assert.equal(p.status, 422);
    assert.equal(p.body.type, 'tag:riskfn,2026:model-input-unavailable');
    assert.deepEqual(p.body.errors, [{ path: '/symbol', message: 'lacks an input the model needs' }]);
  });

  test('an error named like a domain error but not one is a 500', () => {
    const impostor = new Error('history too short');
    impostor.name = 'InsufficientHistoryError';
    const p = toProblem(impostor, ctx);
    assert.equal(p.status, 500);
    assert.equal(p.body.detail, INTERNAL_ERROR_DETAIL);
  });

  for (const code of ['INVALID_PARAMETER', 'INVALID_INPUT', 'MODEL_ARTIFACT'] as const) {
    test(`${code} is a fault on our side: a 500 naming no internals`, () => {
      const p = toProblem(domainError(code), ctx);
      assert.equal(p.status, 500);
      assert.equal(p.expected, false);
      assert.doesNotMatch(JSON.stringify(p.body), /prices/);
    });
  }

  test('a ScoringError is answered for its cause', () => {
    assert.equal(toProblem(new ScoringError('v1', { cause: domainError('INSUFFICIENT_HISTORY') }), ctx).status, 422);
    assert.equal(toProblem(new ScoringError('v1', { cause: new UnknownSymbolError('NOPE') }), ctx).status, 404);
    assert.equal(toProblem(new ScoringError('v1', { cause: new Error('s3 down') }), ctx).status, 500);
  });
});
