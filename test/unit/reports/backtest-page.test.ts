/**
 * The VaR backtest page without a browser: every keyed figure equals the backtest's report, charts
 * too short for their window say why, text from the input is escaped, p-values keep their digits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { backtestWithPeriods } from '../../../lib/domain/scoring/backtest-report.ts';
import { renderBacktestPage } from '../../../lib/reports/backtest/page.ts';
import { formatPValue } from '../../../lib/reports/backtest/tests-table.ts';
import { samplePrices } from '../risk/approx.ts';

function pageOf(series: PriceSeries, window: number, confidence = 0.99) {
  const backtest = backtestWithPeriods(series, { window, confidence, method: 'historical', significance: 0.05 });
  return { backtest, html: renderBacktestPage({ ...backtest, significance: 0.05, source: 'prices.csv' }) };
}

/** Every `data-key` cell of the page: key → the raw value it carries. */
function keyed(html: string): Map<string, unknown> {
  const fromHtml = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return new Map([...html.matchAll(/data-key="([^"]+)" data-value="([^"]*)"/g)].map((m) => [m[1], JSON.parse(fromHtml(m[2]))]));
}

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o);

/** The first `n` prices of a series. */
function head(series: PriceSeries, n: number): PriceSeries {
  return { symbol: series.symbol, dates: series.dates.slice(0, n), close: series.close.slice(0, n) };
}

describe('the VaR backtest page', () => {
  const smi = samplePrices('eustock_SMI.csv');

  test('every keyed figure is the report value, each key once, and the four charts are drawn', async () => {
    const { backtest, html } = pageOf(smi, 250);
    const page = await html;
    const cells = keyed(page);
    const json = JSON.parse(JSON.stringify(backtest.report));
    assert.ok(cells.size >= 25, `${cells.size} keyed cells`);
    assert.equal([...page.matchAll(/data-key="/g)].length, cells.size, 'no key twice');
    for (const [key, value] of cells) assert.deepEqual(value, at(json, key), key);
    assert.equal(cells.get('exceptionCount'), 31);
    assert.equal(cells.get('basel.zone'), 'green');
    for (const id of ['returns-var', 'exceptions-trailing', 'exception-gaps', 'basel-chart'])
      assert.match(page, new RegExp(`<figure class="chart" id="${id}"><svg`));
    assert.doesNotMatch(page, /data-unavailable/);
    assert.match(page, /<td>Yellow<\/td><td>5–9<\/td><td>0\.40–0\.85<\/td>/);
    assert.ok(page.length < 1_500_000, `${page.length} bytes`);
  });

  test('fewer than 250 forecasts: the trailing count says why instead of drawing, and the plus factor is not defined; the same input gives the same bytes', async () => {
    const page = await pageOf(head(smi, 320), 250).html;
    assert.equal(await pageOf(head(smi, 320), 250).html, page);
    assert.match(page, /id="exceptions-trailing" data-unavailable="true">.*needs at least 250 forecasts; this backtest has 69\./);
    assert.match(page, /plus factor and capital multiplier are defined for 250 forecasts at 99% only/);
    assert.match(page, /data-key="basel.plusFactor" data-value="null">—</);
  });

  test('no exception at all: the gap chart says why', async () => {
    // Prices that repeat exactly repeat their returns bit for bit: none falls strictly below its window's own quantile.
    const close = Float64Array.from({ length: 61 }, (_, i) => [100, 101, 99][i % 3]);
    const dates = Array.from(close, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    const { backtest, html } = pageOf({ symbol: 'steady', dates, close }, 20);
    assert.equal(backtest.report.exceptionCount, 0);
    assert.match(await html, /id="exception-gaps" data-unavailable="true">.*Gaps need at least two exceptions; this backtest has none\./);
  });

  test('text from the input is escaped', async () => {
    const page = await pageOf({ ...head(smi, 300), symbol: '<b>x&y</b>' }, 250).html;
    assert.match(page, /<title>VaR backtest: &lt;b&gt;x&amp;y&lt;\/b&gt;<\/title>/);
    assert.doesNotMatch(page, /<b>x/);
  });

  test('p-values keep their digits', () => {
    assert.equal(formatPValue(0.021703), '0.0217');
    assert.equal(formatPValue(0.000296), '2.96e-4');
    assert.equal(formatPValue(0), '0.0000');
    assert.equal(formatPValue(1), '1.0000');
  });
});
