/**
 * Property: whatever portfolio or backtest body arrives, the API answers with a schema-valid
 * 200 or a schema-valid 400/404/422 problem, never a 500, and audits it once.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { RiskBacktestResponseSchema } from '../../../lib/schemas/risk-backtest-response.ts';
import { RiskPortfolioResponseSchema } from '../../../lib/schemas/risk-portfolio-response.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';

const DAX = samplePrices('DAX', 300);
const SMI = samplePrices('SMI', 300);

/** A valid history of n prices from offset `from` of the FTSE sample dates, with a wobble (sometimes flat, sometimes a crash). */
const history = fc
  .record({ n: fc.integer({ min: 2, max: 200 }), from: fc.integer({ min: 0, max: 100 }), shape: fc.constantFrom('wave', 'flat', 'crash') })
  .map(({ n, from, shape }) =>
    samplePrices('FTSE', from + n)
      .dates.slice(from)
      .map((date, i) => ({ date, close: shape === 'flat' ? 7 : shape === 'crash' && i > n / 2 ? 0.001 : 100 * (1 + 0.02 * Math.sin(i)) })),
  );
/** Mostly `good`, sometimes `bad` (one bad field in ten keeps most bodies valid, so every branch is reached). */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: bad, weight: 1 });
const amount = mostly(fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0, 1, 0.5, 100, -1)), fc.string({ maxLength: 2 }));
/** A lake symbol (known or not) or a body history, with its amount. */
const source = fc.oneof(
  fc.constantFrom('DAX', 'smi', 'DAX', 'SMI', 'NOPE').map((symbol) => ({ symbol })),
  fc.record({ symbol: mostly(fc.constant('MINE'), fc.constant('x y')), prices: history }, { requiredKeys: ['prices'] }),
);
/** Mostly well-formed holdings of one kind; sometimes a mix. */
const holdings = fc
  .record({
    kind: fc.constantFrom('weight', 'weight', 'quantity', 'quantity', 'mixed'),
    items: fc.array(fc.record({ source, amount }), { minLength: 0, maxLength: 4 }),
  })
  .map(({ kind, items }) => items.map(({ source: src, amount: x }, i) => ({ ...src, [kind === 'mixed' ? (i % 2 ? 'weight' : 'quantity') : kind]: x })));
const portfolio = fc.record(
  {
    holdings,
    covariance: mostly(fc.constantFrom('sample', 'ewma', 'ledoit-wolf'), fc.constant('other')),
    confidence: mostly(fc.double({ min: 0.51, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 2 })),
    horizon: mostly(fc.double({ min: 0.5, max: 1e6, noNaN: true }), fc.double({ min: -1, max: 0 })),
    normalize: mostly(fc.boolean(), fc.constant('yes')),
  },
  { requiredKeys: ['holdings', 'normalize'] },
);
const backtest = fc.record(
  {
    symbol: fc.constantFrom('DAX', 'DAX', 'NOPE'),
    prices: history,
    method: mostly(fc.constantFrom('historical', 'gaussian', 'cornish-fisher', 'ewma'), fc.constant('other')),
    window: mostly(fc.integer({ min: 2, max: 300 }), fc.oneof(fc.integer({ min: -1, max: 1 }), fc.double({ min: 0, max: 10 }))),
    confidence: mostly(fc.double({ min: 0.51, max: 0.999, noNaN: true }), fc.double({ min: 0, max: 2 })),
    significance: mostly(fc.double({ min: 0.001, max: 0.5, noNaN: true }), fc.double({ min: -1, max: 2 })),
  },
  { requiredKeys: [] },
);

for (const [route, bodies, schema] of [
  ['/v1/risk/portfolio', portfolio, RiskPortfolioResponseSchema],
  ['/v1/risk/backtest', backtest, RiskBacktestResponseSchema],
] as const) {
  test(`POST ${route}: any body gives a valid 200 or 400/404/422 problem, audited, never a 500`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies as fc.Arbitrary<unknown>, async (b) => {
        const { deps, auditItems } = memoryDependencies({ lake: [DAX, SMI] });
        const res = (await createApiHandler(deps)(proxyEvent({ path: route, body: b }), lambdaContext())) as APIGatewayProxyResult;
        const json = JSON.parse(res.body);
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 200) schema.strict().parse(json);
        else {
          assert.ok([400, 404, 422].includes(res.statusCode), `status ${res.statusCode}: ${res.body}`);
          ProblemDetailsSchema.parse(json);
        }
        assert.equal(auditItems.length, 1);
        assert.equal(auditItems[0].status, res.statusCode);
      }),
      { numRuns: 120, seed: 20261130 },
    );
    // The generators must reach every branch, or the property says little.
    for (const status of [200, 400, 404, 422]) assert.ok(seen.has(status), `no case gave ${status}: ${JSON.stringify([...seen])}`);
  });
}
