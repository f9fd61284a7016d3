/**
 * Feature values against an independent implementation in R (TTR for ATR and Parkinson, base
 * R for the rest): test/fixtures/model/make-feature-reference.R wrote the fixture.
 * Relative tolerance 1e-9 (the fixture carries 15 significant digits).
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { computeFeatureColumns } from '../../../lib/domain/features/index.ts';
import { parsePriceCsv } from '../../../lib/domain/prices/parse-price-csv.ts';

interface RefBlock {
  file: string;
  benchmark?: string;
  indices: number[];
  dates: string[];
  features: Record<string, number[]>;
}
const ref = JSON.parse(readFileSync('test/fixtures/model/feature-reference.json', 'utf8')) as { ohlc: RefBlock; cac: RefBlock };
const load = (f: string) => parsePriceCsv(readFileSync(f, 'utf8'), { source: f });

function close(actual: number, expected: number, what: string) {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs R ${expected}`);
}

for (const key of ['ohlc', 'cac'] as const) {
  const block = ref[key];
  describe(`features of ${block.file} equal the R reference`, () => {
    const series = load(block.file);
    const benchmark = block.benchmark ? load(block.benchmark) : undefined;
    const names = Object.keys(block.features);
    const cols = computeFeatureColumns(series, names, { benchmark });
    for (const [j, name] of names.entries()) {
      test(name, () => {
        block.indices.forEach((t, k) => {
          assert.equal(series.dates[t], block.dates[k]);
          close(cols[j][t], block.features[name][k], `${name} at ${block.dates[k]}`);
        });
      });
    }
  });
}
