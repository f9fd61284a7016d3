/**
 * The three risk routes end to end on the emulators, against the CLI: the bundled sample indices
 * seeded in the lake as compacted Parquet objects, a small real model promoted in the registry,
 * the real Lambda entry point (functions/api.ts) behind the local API Gateway stand-in, called
 * with fetch. Each answer's numbers must equal `riskfn portfolio|backtest|metrics --json` on the
 * same files, and each answer (refusals included) must have its audit item.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../../lib/adapters/clients.ts';
import { promoteChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { putArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { buildTrainingSet, serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { type ApiServer, startApiServer } from '../../lib/local/api-server.ts';
import type { ProblemDetails } from '../../lib/schemas/problem-details.ts';
import { type RiskBacktestResponse, RiskBacktestResponseSchema } from '../../lib/schemas/risk-backtest-response.ts';
import type { RiskInstrumentResponse } from '../../lib/schemas/risk-instrument-response.ts';
import { type RiskPortfolioResponse, RiskPortfolioResponseSchema } from '../../lib/schemas/risk-portfolio-response.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar } from '../helpers/lake-bar.ts';
import { barsOfSeries, putCompacted } from '../helpers/lake-seed.ts';
import { ensureFreshBundle, riskfn, sample } from '../unit/cli/run-cli.ts';
import { samplePrices as sampleFile } from '../unit/risk/approx.ts';

const bucket = DATA_LAKE_BUCKET.localName;
const VERSION = 'it-risk-20261130-1';
const NAMES = ['DAX', 'SMI', 'CAC', 'FTSE'] as const;
/** The whole sample files, as the CLI reads them, under the lake's symbols. */
const FILES = Object.fromEntries(NAMES.map((n) => [n, { ...sampleFile(`eustock_${n}.csv`), symbol: n }])) as Record<(typeof NAMES)[number], PriceSeries>;
const XTS = { ...sampleFile('xts_sample_ohlc.csv'), symbol: 'XTS' };
const points = (s: PriceSeries) => s.dates.map((date, i) => ({ date, close: s.close[i] }));

let server: ApiServer;

async function post(path: string, body: unknown) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
}

/** `riskfn ...args --json` on the sample files, parsed. */
function cli(args: string[]): Record<string, unknown> {
  const r = riskfn([...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function auditItem(requestId: string) {
  const out = await dynamoDocumentClient().send(new GetCommand({ TableName: AUDIT_TABLE.name, Key: { requestId }, ConsistentRead: true }));
  return out.Item;
}

/** The API's answer without the members the CLI does not have, and without the labels (the CLI names holdings by file). */
function withoutLabels(report: Record<string, unknown>) {
  const { symbol: _s, assets, ...rest } = report as { symbol?: unknown; assets?: Array<Record<string, unknown>> };
  return { ...rest, ...(assets ? { assets: assets.map(({ symbol: _a, source: _src, model: _m, ...a }) => a) } : {}) };
}

describe('risk routes on the emulators, equal to the CLI', () => {
  useEmulators();

  before(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    await ensureFreshBundle();
    const { handler } = await import('../../functions/api.ts');
    server = await startApiServer({ handler, port: 0 });
    for (const n of NAMES) await putCompacted(bucket, barsOfSeries(FILES[n]));
    await putCompacted(
      bucket,
      XTS.dates.map((date, i) =>
        lakeBar({ symbol: 'XTS', date, open: XTS.open![i], high: XTS.high![i], low: XTS.low![i], close: XTS.close[i], sequenceNumber: String(5000 + i) }),
      ),
    );
    const { artifact } = trainRiskModel(buildTrainingSet([samplePrefix('DAX', 500), samplePrefix('CAC', 500)]), { trees: 5, permutationRepeats: 0 });
    const artifactKey = await putArtifactText(bucket, VERSION, serializeArtifact({ ...artifact, version: VERSION }));
    await promoteChampion({ version: VERSION, artifactKey, score: 0.5, promotedAt: '2026-11-30T08:00:00.000Z' }, null);
  });
  after(async () => {
    await server?.close();
    delete process.env.POWERTOOLS_LOG_LEVEL;
  });

  test('portfolio of lake symbols = riskfn portfolio --json on the files; risk levels and the audit item', async () => {
    const { status, json } = await post('/v1/risk/portfolio', {
      holdings: [
        { symbol: 'DAX', weight: 0.5 },
        { symbol: 'SMI', weight: 0.3 },
        { symbol: 'CAC', weight: 0.2 },
      ],
      covariance: 'ledoit-wolf',
      confidence: 0.99,
      horizon: 10,
    });
    assert.equal(status, 200, JSON.stringify(json));
    const answer = RiskPortfolioResponseSchema.parse(json) as RiskPortfolioResponse;
    const files = ['DAX', 'SMI', 'CAC'].map((n) => sample(`eustock_${n}.csv`));
    const expected = cli(['portfolio', ...files, '--weights', '0.5,0.3,0.2', '--covariance', 'ledoit-wolf', '--confidence', '0.99', '--horizon', '10']);
    const { requestId, symbols, asOf, inputHash, weighting, conventions, model, ...report } = answer;
    assert.deepEqual(withoutLabels(report), withoutLabels(expected));
    assert.ok(answer.ledoitWolfShrinkage! > 0);
    assert.deepEqual(symbols, ['DAX', 'SMI', 'CAC']);
    assert.equal(asOf, FILES.DAX.dates.at(-1));
    assert.deepEqual(weighting, { basis: 'weight', normalized: false, givenSum: 1 });
    assert.equal(model.version, VERSION);
    assert.ok(['low', 'medium', 'high'].includes(model.riskLevel));
    for (const a of answer.assets) assert.equal(a.model.featuresAsOf, asOf);
    assert.ok(conventions.riskLevel.includes('constant-weight'));

    const item = await auditItem(requestId);
    assert.equal(item?.status, 200);
    assert.equal(item?.route, 'POST /v1/risk/portfolio');
    assert.equal(item?.modelVersion, VERSION);
    assert.equal(item?.inputHash, inputHash);
    assert.deepEqual(item?.symbols, ['DAX', 'SMI', 'CAC']);
  });

  test('portfolio of body histories with normalize = riskfn portfolio --normalize; sample covariance by default', async () => {
    const { status, json } = await post('/v1/risk/portfolio', {
      holdings: [
        { symbol: 'DAX', prices: points(FILES.DAX), weight: 40 },
        { prices: points(FILES.FTSE), weight: 60 },
      ],
      normalize: true,
    });
    assert.equal(status, 200, JSON.stringify(json));
    const answer = json as RiskPortfolioResponse;
    const expected = cli(['portfolio', sample('eustock_DAX.csv'), sample('eustock_FTSE.csv'), '--weights', '40,60', '--normalize']);
    const { requestId: _r, symbols, asOf: _a, inputHash: _i, weighting, conventions: _c, model: _m, ...report } = answer;
    assert.deepEqual(withoutLabels(report), withoutLabels(expected));
    assert.deepEqual(symbols, ['DAX', 'holding-2']);
    assert.deepEqual(weighting, { basis: 'weight', normalized: true, givenSum: 100 });
  });

  test('portfolio refusals the CLI also makes, each audited: weights not summing to 1 (400), no common dates (422); and 404 naming the holding', async () => {
    const cases = [
      {
        body: {
          holdings: [
            { symbol: 'DAX', weight: 40 },
            { symbol: 'FTSE', weight: 60 },
          ],
        },
        status: 400,
        errors: [{ path: '/holdings', message: 'weights sum to 100, not 1: give fractions of capital (0.4, 0.6) or set "normalize": true' }],
        cli: {
          args: ['portfolio', sample('eustock_DAX.csv'), sample('eustock_FTSE.csv'), '--weights', '40,60'],
          status: 2,
          stderr: /--weights sum to 100, not 1: give fractions of capital \(--weights 0\.4,0\.6\)/,
        },
      },
      {
        body: {
          holdings: [
            { symbol: 'DAX', weight: 0.5 },
            { symbol: 'XTS', weight: 0.5 },
          ],
        },
        status: 422,
        errors: [{ path: '/holdings', message: 'only 0 common dates' }],
        detail: 'the holdings have only 0 dates in common (need 3)',
        cli: {
          args: ['portfolio', sample('eustock_DAX.csv'), sample('xts_sample_ohlc.csv')],
          status: 1,
          stderr: /the files have only 0 dates in common \(need 3\)/,
        },
      },
      {
        body: {
          holdings: [
            { symbol: 'DAX', weight: 0.5 },
            { symbol: 'NOPE', weight: 0.5 },
          ],
        },
        status: 404,
        errors: [{ path: '/holdings/1/symbol', message: 'unknown symbol' }],
      },
    ];
    for (const c of cases) {
      const { status, json } = await post('/v1/risk/portfolio', c.body);
      const p = json as ProblemDetails;
      assert.equal(status, c.status, JSON.stringify(p));
      assert.deepEqual(p.errors, c.errors);
      if (c.detail) assert.equal(p.detail, c.detail);
      assert.equal((await auditItem(p.requestId!))?.status, c.status);
      if (c.cli) {
        const r = riskfn(c.cli.args);
        assert.equal(r.status, c.cli.status);
        assert.match(r.stderr, c.cli.stderr);
      }
    }
  });

  test('backtest of a lake symbol and of a body history = riskfn backtest --json, with the exception dates', async () => {
    const lake = await post('/v1/risk/backtest', { symbol: 'DAX' });
    assert.equal(lake.status, 200, JSON.stringify(lake.json));
    const a = RiskBacktestResponseSchema.parse(lake.json) as RiskBacktestResponse;
    const { requestId, source, inputHash, model, conventions: _c, ...report } = a;
    assert.deepEqual(withoutLabels(report), withoutLabels(cli(['backtest', sample('eustock_DAX.csv')])));
    assert.equal(report.symbol, 'DAX');
    assert.equal(source, 'lake');
    assert.equal(model, null);
    assert.ok(report.exceptionDates.length > 0);
    const item = await auditItem(requestId);
    assert.equal(item?.status, 200);
    assert.equal(item?.inputHash, inputHash);
    assert.equal(item?.symbol, 'DAX');

    const body = await post('/v1/risk/backtest', { prices: points(FILES.FTSE), method: 'ewma', window: 100, confidence: 0.95 });
    assert.equal(body.status, 200, JSON.stringify(body.json));
    const { requestId: _r, source: _s, inputHash: _i, model: _m, conventions: _c2, ...report2 } = body.json as RiskBacktestResponse;
    const expected = cli(['backtest', sample('eustock_FTSE.csv'), '--method', 'ewma', '--window', '100', '--confidence', '0.95']);
    assert.deepEqual(withoutLabels(report2), withoutLabels(expected));
    assert.equal(report2.symbol, null);
  });

  test('backtest too short for its window: 422 with the counts the CLI gives, audited', async () => {
    const { status, json } = await post('/v1/risk/backtest', { symbol: 'XTS', window: 200 });
    const p = json as ProblemDetails;
    assert.equal(status, 422, JSON.stringify(p));
    assert.equal(p.detail, 'the history has 179 returns; a window of 200 needs at least 202');
    const r = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--window', '200']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /has 179 returns; --window 200 needs at least 202/);
    assert.equal((await auditItem(p.requestId!))?.status, 422);
  });

  test('instrument with OHLC lake bars: ohlcVolatility = riskfn metrics --json; asOf scores the history up to a date', async () => {
    const { status, json } = await post('/v1/risk/instrument', { symbol: 'XTS' });
    assert.equal(status, 200, JSON.stringify(json));
    const body = json as RiskInstrumentResponse;
    assert.deepEqual(body.metrics.ohlcVolatility, cli(['metrics', sample('xts_sample_ohlc.csv')]).ohlcVolatility);
    assert.equal((await auditItem(body.requestId))?.status, 200);

    const asOf = FILES.DAX.dates[999];
    const cut = await post('/v1/risk/instrument', { symbol: 'DAX', asOf });
    assert.equal(cut.status, 200, JSON.stringify(cut.json));
    const c = cut.json as RiskInstrumentResponse;
    assert.equal(c.asOf, asOf);
    assert.equal(c.observations, 1000);
    assert.equal(c.model.featuresAsOf, asOf);
    // The CLI on the file cut at the same date gives the same metrics.
    const head = readFileSync(sample('eustock_DAX.csv'), 'utf8').split('\n').slice(0, 1001).join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'riskfn-api-risk-')), 'dax-head.csv');
    writeFileSync(file, `${head}\n`);
    const m = cli(['metrics', file]);
    assert.equal(c.metrics.annualizedVolatility, m.annualizedVolatility);
    assert.equal(c.metrics.historicalVar.value, m.historicalVar);
    assert.equal(c.metrics.maxDrawdown.value, m.maxDrawdown);
    rmSync(dirname(file), { recursive: true, force: true });
  });
});

/** The first `n` prices of a sample index (the model's training data). */
function samplePrefix(name: 'DAX' | 'CAC', n: number): PriceSeries {
  const s = FILES[name];
  return { symbol: name, dates: s.dates.slice(0, n), close: s.close.slice(0, n) };
}
