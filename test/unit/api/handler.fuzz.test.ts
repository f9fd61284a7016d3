/**
 * Property: whatever JSON body arrives, the API answers with a schema-valid 200 or a
 * schema-valid 4xx problem, never a 500, and audits it.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { createApiHandler } from '../../../functions/api/create-handler.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { RiskInstrumentResponseSchema } from '../../../lib/schemas/risk-instrument-response.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from './fixtures.ts';

const isoDate = fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const pricePoint = fc.record(
  { date: fc.oneof(isoDate, fc.string({ maxLength: 12 })), close: fc.oneof(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.double(), fc.constant(0)) },
  { requiredKeys: [] },
);
const nearlyValid = fc.record(
  {
    symbol: fc.oneof(fc.constantFrom('DAX', 'dax', 'NOPE', '^GDAXI', ''), fc.string({ maxLength: 40 }), fc.integer()),
    prices: fc.oneof(
      fc.array(pricePoint, { maxLength: 8 }),
      // ascending, valid histories of random length around the model's minimum
      fc.integer({ min: 2, max: 200 }).map((n) => samplePrices('SMI', n).dates.map((date, i) => ({ date, close: 1000 + i }))),
    ),
    confidence: fc.oneof(fc.double({ min: 0, max: 1.2 }), fc.constant(0.95), fc.string()),
  },
  { requiredKeys: [] },
);
const valid = fc.record(
  {
    symbol: fc.constantFrom('DAX', 'dax', 'NOPE', '^GDAXI'),
    prices: fc.integer({ min: 2, max: 200 }).map((n) => samplePrices('FTSE', n).dates.map((date, i) => ({ date, close: 100 * (1 + 0.01 * Math.sin(i)) }))),
    confidence: fc.double({ min: 0.51, max: 0.999, noNaN: true }),
  },
  { requiredKeys: ['symbol'] },
);
const body = fc.oneof(
  valid,
  nearlyValid,
  fc.jsonValue({ maxDepth: 3 }).map((v) => v as unknown),
  fc.string().map((s) => ({ raw: s })),
);

test('any JSON body gives a valid 200 or 4xx problem, audited, never a 500', async () => {
  const DAX = samplePrices('DAX', 300);
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(body, async (b) => {
      const raw =
        typeof b === 'object' && b !== null && 'raw' in b && Object.keys(b).length === 1 ? String((b as { raw: string }).raw) : (JSON.stringify(b) ?? 'null');
      const { deps, auditItems } = memoryDependencies({ lake: [DAX] });
      const res = (await createApiHandler(deps)(proxyEvent({ body: raw }), lambdaContext())) as APIGatewayProxyResult;
      const json = JSON.parse(res.body);
      seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode === 200) RiskInstrumentResponseSchema.parse(json);
      else {
        assert.ok([400, 404, 422].includes(res.statusCode), `status ${res.statusCode}: ${res.body}`);
        ProblemDetailsSchema.parse(json);
      }
      assert.equal(auditItems.length, 1);
      assert.equal(auditItems[0].status, res.statusCode);
    }),
    { numRuns: 150, seed: 20261125 },
  );
  // The generators must reach every branch, or the property says little.
  for (const status of [200, 400, 404, 422]) assert.ok(seen.has(status), `no case gave ${status}: ${JSON.stringify([...seen])}`);
});
