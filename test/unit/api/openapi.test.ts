import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OPENAPI_PATH, openApiText } from '../../../scripts/generate-openapi.ts';

test('docs/openapi.json equals what scripts/generate-openapi.ts generates now', () => {
  assert.equal(readFileSync(OPENAPI_PATH, 'utf8'), openApiText(), 'stale: run npx tsx scripts/generate-openapi.ts');
});

test('the OpenAPI document describes the route, its statuses and the schemas', () => {
  const doc = JSON.parse(openApiText());
  const op = doc.paths['/v1/risk/instrument'].post;
  assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '404', '405', '413', '415', '422', '500', '503']);
  assert.deepEqual(op.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/RiskInstrumentRequest' });
  assert.deepEqual(op.responses['422'].content['application/problem+json'].schema, { $ref: '#/components/schemas/ProblemDetails' });
  const req = doc.components.schemas.RiskInstrumentRequest;
  assert.equal(req.additionalProperties, false);
  assert.equal(req.properties.confidence.default, 0.95);
  assert.equal(req.properties.prices.minItems, 2);
});
