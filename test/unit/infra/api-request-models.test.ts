/** The reduction of zod's draft-4 JSON Schema to what API Gateway models accept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as z from 'zod';
import { apiGatewayModelSchema } from '../../../lib/infra/api-request-models.ts';

const Point = z.strictObject({ date: z.iso.date(), close: z.number().positive() }).meta({ id: 'TestPoint', example: { date: '2024-01-02', close: 1 } });

test('inlines named schemas, keeps the validation keywords, drops annotations API Gateway refuses', () => {
  const schema = z
    .strictObject({
      prices: z.array(Point).min(2).max(10),
      confidence: z
        .number()
        .gt(0.5)
        .lt(1)
        .default(0.95)
        .meta({ description: 'VaR confidence', examples: [0.99] }),
      side: z.enum(['long', 'short']),
      tag: z.literal('x'),
    })
    .meta({ id: 'TestRequest' });
  const out = apiGatewayModelSchema(schema) as Record<string, any>;
  assert.equal(out.schema, 'http://json-schema.org/draft-04/schema#');
  assert.equal(out.additionalProperties, false);
  assert.deepEqual(out.required, ['prices', 'side', 'tag']); // `confidence` has a default: optional on input
  assert.deepEqual(out.properties.confidence, {
    type: 'number',
    minimum: 0.5,
    exclusiveMinimum: true,
    maximum: 1,
    exclusiveMaximum: true,
    description: 'VaR confidence',
  });
  assert.deepEqual(out.properties.side, { type: 'string', enum: ['long', 'short'] });
  assert.deepEqual(out.properties.tag.enum, ['x']); // draft 4 has no `const`
  const item = out.properties.prices.items;
  assert.equal(item.type, 'object');
  assert.deepEqual(item.required, ['date', 'close']);
  assert.equal(item.additionalProperties, false);
  assert.equal(typeof item.properties.date.pattern, 'string');
  assert.equal(item.properties.date.format, undefined);
  assert.equal(JSON.stringify(out).includes('$ref'), false);
  assert.equal(JSON.stringify(out).includes('example'), false);
  assert.equal('definitions' in out, false);
});

test('unions stay unions (anyOf) with each branch inlined', () => {
  const out = apiGatewayModelSchema(z.union([z.strictObject({ symbol: z.string() }), z.strictObject({ prices: z.array(Point) })])) as Record<string, any>;
  assert.equal(out.anyOf.length, 2);
  assert.deepEqual(out.anyOf[1].properties.prices.items.required, ['date', 'close']);
});

test('a recursive schema cannot be inlined and is refused with its cycle', () => {
  const Node: z.ZodType = z.lazy(() => z.object({ children: z.array(Node) })).meta({ id: 'TestNode' });
  assert.throws(() => apiGatewayModelSchema(Node), /recursive schema/);
});
