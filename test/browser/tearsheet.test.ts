/**
 * `riskfn report` (the risk tearsheet) end to end: the real CLI writes the page, headless Chromium
 * opens it from disk, and every number on it is compared with what `riskfn metrics`, `riskfn
 * backtest` and `riskfn predict` print with `--json`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTrainingSet, serializeArtifact, trainRiskModel } from '../../lib/domain/model/index.ts';
import { parsePriceCsv } from '../../lib/domain/prices/parse-price-csv.ts';
import { chartMarkCounts, kpiValues, launchBrowser, openReport, screenshotVariance } from '../helpers/browser.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { ROOT, sample, scratchDir } from '../unit/cli/run-cli.ts';

// Relative to the scratch directory (which links the repository's data/), so the page names them as a reader would type them.
const SMI = 'data/sample/eustock_SMI.csv';
const DAX = 'data/sample/eustock_DAX.csv';

/** The value at a dotted path (`worstDrawdowns.0.depth`) of parsed JSON. */
function at(json: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);
}

/** The first `n` rows of a sample price file, as a file in `dir`. */
function head(tmp: ReturnType<typeof scratchDir>, file: string, n: number, name: string): string {
  return tmp.write(
    name,
    `${readFileSync(file, 'utf8')
      .split('\n')
      .slice(0, n + 1)
      .join('\n')}\n`,
  );
}

describe('riskfn report in a real browser', () => {
  const tmp = scratchDir('tearsheet');
  let browser: Browser;
  let modelDir: string;

  before(async () => {
    symlinkSync(join(ROOT, 'data'), tmp.path('data'));
    browser = await launchBrowser();
    // A small real model (4 trees on 400 days of two other indices): enough to exercise the model section.
    const load = (n: string) => {
      const s = parsePriceCsv(readFileSync(sample(`eustock_${n}.csv`), 'utf8'), { symbol: n });
      return { symbol: n, dates: s.dates.slice(0, 400), close: s.close.slice(0, 400) };
    };
    const { artifact } = trainRiskModel(buildTrainingSet([load('FTSE'), load('CAC')]), { trees: 4, permutationRepeats: 0, tune: false });
    modelDir = 'model';
    mkdirSync(tmp.path(modelDir));
    writeFileSync(tmp.path('model/model.json'), serializeArtifact(artifact));
  });
  after(async () => browser?.close());

  it('SMI against DAX with a model: every chart drawn, every number equal to the CLI --json, offline, not blank', async () => {
    const out = 'smi.html';
    const opts = { cwd: tmp.path() };
    const [report, metrics, benchMetrics, backtest, predict] = await Promise.all([
      riskfnAsync(['report', SMI, '--benchmark', DAX, '--model', modelDir, '-o', out], opts),
      riskfnAsync(['metrics', SMI, '--benchmark', DAX, '--json'], opts),
      riskfnAsync(['metrics', DAX, '--json'], opts),
      riskfnAsync(['backtest', SMI, '--json'], opts),
      riskfnAsync(['predict', modelDir, '--prices', SMI, '--benchmark', DAX, '--json'], opts),
    ]);
    for (const r of [report, metrics, benchMetrics, backtest, predict]) assert.equal(r.status, 0, r.stderr);
    assert.match(report.stdout, /^wrote .*smi\.html \(\d+ KB in [\d.]+ s\)\n$/);
    assert.ok(statSync(tmp.path(out)).size < 1.5 * 1024 * 1024, `report size ${statSync(tmp.path(out)).size}`);
    const sources: Record<string, unknown> = {
      '': JSON.parse(metrics.stdout),
      benchmarkSeries: JSON.parse(benchMetrics.stdout),
      varBacktest: JSON.parse(backtest.stdout),
      predict: JSON.parse(predict.stdout)[0],
    };

    const opened = await openReport(browser, tmp.path(out));
    try {
      assert.deepEqual(opened.consoleErrors, []);
      assert.deepEqual(opened.requests, []);
      const marks = await chartMarkCounts(opened.page);
      assert.deepEqual(Object.keys(marks).sort(), [
        'cumulative-return',
        'drawdown',
        'monthly-returns',
        'return-histogram',
        'risk-level',
        'rolling-beta',
        'rolling-sharpe',
        'rolling-var',
        'rolling-volatility',
      ]);
      for (const [id, n] of Object.entries(marks)) assert.ok(typeof n === 'number' && n > 0, `${id}: ${n} marks`);
      // One heatmap cell per month and year, and a label in each (86 months and 8 years of SMI).
      assert.ok((marks['monthly-returns'] as number) >= 2 * (86 + 8), `heatmap marks ${marks['monthly-returns']}`);

      const cells = await kpiValues(opened.page);
      for (const [key, cell] of Object.entries(cells)) {
        const [prefix, ...rest] = key.split('.');
        const source = prefix in sources && prefix !== '' ? prefix : '';
        const path = source ? rest.join('.') : key;
        assert.deepEqual(cell.value, at(sources[source], path) ?? null, `${key} on the page`);
        assert.notEqual(cell.text, '', `${key} shows a value`);
      }
      // Nothing the CLI prints is missing from the page: every metric, relative metric and drawdown.
      const m = sources[''] as Record<string, unknown>;
      const expected = [
        ...Object.entries(m)
          .filter(([k, v]) => (typeof v === 'number' || v === null) && k !== 'ohlcVolatility')
          .map(([k]) => k),
        ...Object.keys(m.benchmark as object)
          .filter((k) => !['symbol', 'startDate', 'endDate'].includes(k))
          .map((k) => `benchmark.${k}`),
        ...(m.worstDrawdowns as object[]).flatMap((_, i) => ['depth', 'peakDate', 'troughDate', 'recoveryDate'].map((k) => `worstDrawdowns.${i}.${k}`)),
        'benchmarkSeries.annualizedVolatility',
        'varBacktest.exceptionCount',
        'varBacktest.kupiec.pValue',
        'varBacktest.basel.zone',
        'predict.prediction.label',
        'predict.prediction.probabilities.high',
      ];
      for (const key of expected) assert.ok(key in cells, `${key} is on the page`);
      assert.equal(cells.annualizedVolatility.text, `${((m.annualizedVolatility as number) * 100).toFixed(2)}%`);

      assert.ok((await screenshotVariance(opened.page, 'tearsheet')) > 500, 'the page is not blank');
    } finally {
      await opened.close();
    }
  });

  it('a file too short for the windows: those charts become sentences, the rest is drawn', async () => {
    const out = tmp.path('short.html');
    const smi = head(tmp, SMI, 40, 'SMI40.csv');
    const dax = head(tmp, DAX, 40, 'DAX40.csv');
    const r = await riskfnAsync(['report', smi, '--benchmark', dax, '--model', modelDir, '--log-scale', '--title', 'Short <file>', '-o', out], {
      cwd: tmp.path(),
    });
    assert.equal(r.status, 0, r.stderr);
    const opened = await openReport(browser, out);
    try {
      assert.deepEqual(opened.consoleErrors, []);
      assert.deepEqual(opened.requests, []);
      const marks = await chartMarkCounts(opened.page);
      for (const id of ['rolling-volatility', 'rolling-var', 'rolling-sharpe', 'rolling-beta', 'risk-level']) assert.equal(marks[id], 'unavailable', id);
      for (const id of ['cumulative-return', 'drawdown', 'return-histogram', 'monthly-returns']) assert.ok((marks[id] as number) > 0, id);
      const sentences = Object.fromEntries(
        await opened.page.$$eval('figure.unavailable', (fs) => fs.map((f) => [f.id, f.querySelector('p')?.textContent ?? ''] as const)),
      );
      assert.equal(sentences['rolling-volatility'], 'A 63-day window needs at least 63 daily returns; the file has 39.');
      assert.equal(sentences['rolling-var'], 'The 250-day VaR backtest needs at least 252 daily returns; the file has 39.');
      assert.equal(sentences['rolling-sharpe'], 'A 63-day window needs at least 63 daily returns; the file has 39.');
      assert.equal(sentences['rolling-beta'], 'A 63-day window needs at least 63 returns on dates both files have; they have 39.');
      assert.match(sentences['risk-level'], /^The model cannot score this series: not enough history: .*127.*40/);
      assert.equal(await opened.page.title(), 'Short <file>');
    } finally {
      await opened.close();
    }
  });
});
