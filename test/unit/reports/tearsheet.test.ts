import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { computeSeriesMetrics } from '../../../lib/domain/risk/index.ts';
import { histogramBins } from '../../../lib/reports/tearsheet/histogram.ts';
import { buildTearsheet } from '../../../lib/reports/tearsheet/index.ts';
import { dateX, monthEnds, thinForDrawing } from '../../../lib/reports/tearsheet/kit.ts';
import { eustock } from './tearsheet-fixtures.ts';

/** `data-key` → parsed `data-value` of every KPI cell in a page. */
function dataValues(html: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of html.matchAll(/data-key="([^"]+)" data-value="([^"]*)"/g)) {
    out[m[1]] = JSON.parse(
      m[2]
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
  }
  return out;
}

const at = (json: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);

const figureIds = (html: string) => [...html.matchAll(/<figure class="chart[^"]*" id="([^"]+)"/g)].map((m) => m[1]);

describe('tearsheet page', () => {
  const smi = eustock('SMI');
  const dax = eustock('DAX');
  let html: string;
  before(async () => {
    html = await buildTearsheet({ series: smi, benchmark: dax, riskFree: 0.02 });
  });

  it('has every chart, in reading order, and the KPI and drawdown tables', () => {
    assert.deepEqual(figureIds(html), [
      'cumulative-return',
      'drawdown',
      'rolling-volatility',
      'rolling-var',
      'rolling-sharpe',
      'return-histogram',
      'monthly-returns',
      'rolling-beta',
    ]);
    for (const id of ['kpi-table', 'kpi-relative', 'worst-drawdowns', 'var-backtest']) assert.match(html, new RegExp(`<table id="${id}">`));
    assert.doesNotMatch(html, /data-unavailable/);
    assert.doesNotMatch(html, /<script/i);
  });

  it("shows the engine's numbers as they are (data-value = computeSeriesMetrics, with the benchmark's own beside them)", () => {
    const values = dataValues(html);
    const m = JSON.parse(JSON.stringify(computeSeriesMetrics(smi, { riskFree: 0.02, benchmark: dax })));
    const b = JSON.parse(JSON.stringify(computeSeriesMetrics(dax, { riskFree: 0.02 })));
    let compared = 0;
    for (const [key, value] of Object.entries(values)) {
      if (key.startsWith('varBacktest.')) continue;
      const expected = key.startsWith('benchmarkSeries.') ? at(b, key.slice('benchmarkSeries.'.length)) : at(m, key);
      assert.deepEqual(value, expected ?? null, key);
      compared++;
    }
    assert.ok(compared > 60, `${compared} values compared`);
    // Hand-picked: the risk-free rate reaches the ratios, and the relative table has the capture ratios.
    assert.equal(values.sharpeRatio, m.sharpeRatio);
    assert.notEqual(m.sharpeRatio, JSON.parse(JSON.stringify(computeSeriesMetrics(smi))).sharpeRatio);
    assert.equal(values['benchmark.upCaptureRatio'], m.benchmark.upCaptureRatio);
    assert.equal(values['worstDrawdowns.0.depth'], m.maxDrawdown);
    assert.match(html, /data-key="annualizedVolatility" data-value="[^"]+">14\.66%</);
  });

  it('is the same text every time (no clock, no random ids)', async () => {
    const short = { series: eustock('SMI', 80), benchmark: eustock('DAX', 80) };
    assert.equal(await buildTearsheet(short), await buildTearsheet(short));
  });
});

describe('tearsheet on short or partial input', () => {
  it('replaces the charts whose window is longer than the file by a sentence, and escapes the title', async () => {
    const html = await buildTearsheet({ series: eustock('SMI', 40), benchmark: eustock('DAX', 40) }, { title: 'A <b>&</b> "report"' });
    assert.match(html, /<title>A &lt;b&gt;&amp;&lt;\/b&gt; &quot;report&quot;<\/title>/);
    const unavailable = [...html.matchAll(/<figure class="chart unavailable" id="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(unavailable, ['rolling-volatility', 'rolling-var', 'rolling-sharpe', 'rolling-beta']);
    assert.match(html, /The 250-day VaR backtest needs at least 252 daily returns; the file has 39\./);
  });

  it('without a benchmark leaves out the relative table, the benchmark column and rolling beta', async () => {
    const html = await buildTearsheet({ series: eustock('CAC', 300) }, { logScale: true });
    assert.deepEqual(figureIds(html), [
      'cumulative-return',
      'drawdown',
      'rolling-volatility',
      'rolling-var',
      'rolling-sharpe',
      'return-histogram',
      'monthly-returns',
    ]);
    assert.doesNotMatch(html, /kpi-relative|benchmarkSeries\.|data-key="benchmark\./);
    assert.match(html, /Value of 1 invested \(log scale\)/);
  });
});

describe('tearsheet drawing helpers', () => {
  it('thins a long line to at most the limit, keeping the ends and every bucket extreme', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ i, v: Math.sin(i / 7) + (i === 2345 ? -9 : 0) + (i === 4000 ? 9 : 0) }));
    const thin = thinForDrawing(rows, (r) => r.v, 1000);
    assert.ok(thin.length <= 1000 && thin.length > 900, `${thin.length}`);
    assert.equal(thin[0].i, 0);
    assert.equal(thin[thin.length - 1].i, 4999);
    assert.ok(thin.some((r) => r.i === 2345) && thin.some((r) => r.i === 4000), 'the lowest and highest points are kept');
    assert.ok(
      thin.every((r, k) => k === 0 || r.i > thin[k - 1].i),
      'in time order',
    );
    assert.equal(thinForDrawing(rows.slice(0, 10), (r) => r.v, 1000).length, 10);
  });

  it('bins returns with a round width (hand-checked)', () => {
    // Range 0.0079 over 4 bins → 0.001975, rounded up to 0.002; bins from −0.004.
    const bins = histogramBins([0.001, 0.0012, -0.003, 0.0049], 4);
    assert.deepEqual(
      bins.map((b) => [Number(b.start.toFixed(6)), b.count]),
      [
        [-0.004, 1],
        [-0.002, 0],
        [0, 2],
        [0.002, 0],
        [0.004, 1],
      ],
    );
  });

  it('keeps the last row of each month for the table alternatives', () => {
    const rows = ['2020-01-30', '2020-01-31', '2020-02-03', '2020-02-27', '2020-03-02'].map((date) => ({ date }));
    assert.deepEqual(
      monthEnds(rows).map((r) => r.date),
      ['2020-01-31', '2020-02-27', '2020-03-02'],
    );
  });

  it('labels date axes with the year: years alone for long spans, months or days for short ones', () => {
    assert.deepEqual((dateX(['1991-07-01', '1998-08-14']).axis as { format?: string }).format, '%Y');
    assert.equal((dateX(['1998-01-01', '1998-08-14']).axis as { format?: string }).format, '%b %Y');
    assert.equal((dateX(['1998-08-01', '1998-08-14']).axis as { format?: string }).format, '%d %b %Y');
  });
});
