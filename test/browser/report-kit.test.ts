import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chartUnavailable, renderChart, renderSvg, thin } from '../../lib/reports/chart.ts';
import { formatPercent } from '../../lib/reports/format.ts';
import { escapeHtml, kpiTable, page } from '../../lib/reports/html.ts';
import { chartMarkCounts, kpiValues, launchBrowser, openReport, screenshotVariance } from '../helpers/browser.ts';

describe('report kit', () => {
  it('escapes text and keeps raw KPI values for comparison', () => {
    assert.equal(escapeHtml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    const html = kpiTable({
      caption: 'k',
      columns: [{ name: 'SMI', keyPrefix: '' }],
      rows: [
        { key: 'vol', label: 'Volatility', format: 'percent', values: { SMI: 0.123456 } },
        { key: 'none', label: 'Missing', format: 'number', values: { SMI: Number.NaN } },
      ],
    });
    assert.match(html, /data-key="vol" data-value="0.123456">12.35%</);
    assert.match(html, /data-key="none" data-value="null">—</);
    assert.equal(formatPercent(-0.5, 1), '-50.0%');
  });

  it('thins long series evenly, keeping both ends', () => {
    assert.deepEqual(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3), [0, 5, 10]);
    assert.deepEqual(thin([1, 2], 5), [1, 2]);
  });

  it('fails on a specification vega-lite would silently change, instead of printing a warning', async () => {
    await assert.rejects(
      renderSvg({ data: { values: [{ a: 1 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'quantitative', aggregate: 'nonsense' as never } } }),
      /chart specification: Invalid aggregation operator "nonsense"/,
    );
  });

  it('says why a chart is missing instead of drawing an empty box', () => {
    const html = chartUnavailable({ id: 'rolling-vol', title: 'Rolling volatility', reason: 'Needs 64 prices; the file has 10.' });
    assert.match(html, /data-unavailable="true"/);
    assert.match(html, /Needs 64 prices; the file has 10\./);
  });
});

describe('report kit in a real browser', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  it('renders a vega-lite chart to SVG marks, offline, with no console errors', async () => {
    const values = Array.from({ length: 50 }, (_, i) => ({ day: i, value: Math.sin(i / 5) }));
    const chart = await renderChart({
      id: 'sine',
      title: 'A sine',
      description: 'A test line.',
      spec: {
        data: { values },
        mark: 'line',
        encoding: { x: { field: 'day', type: 'quantitative', title: 'Day' }, y: { field: 'value', type: 'quantitative', title: 'Value (units)' } },
      },
      table: {
        caption: 'Sine values',
        columns: [
          { label: 'Day', numeric: true },
          { label: 'Value', numeric: true },
        ],
        rows: values.map((v) => [v.day, v.value]),
      },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'riskfn-kit-')), 'kit.html');
    const kpis = kpiTable({
      caption: 'k',
      columns: [{ name: 'X', keyPrefix: '' }],
      rows: [{ key: 'answer', label: 'Answer', format: 'number', values: { X: 42 } }],
    });
    const missing = chartUnavailable({ id: 'missing', title: 'Missing', reason: 'Too short.' });
    writeFileSync(file, page({ title: 'Kit', sections: [{ id: 's', title: 'S', body: kpis + chart + missing }] }));
    const opened = await openReport(browser, file);
    try {
      assert.deepEqual(opened.consoleErrors, []);
      assert.deepEqual(opened.requests, []);
      const marks = await chartMarkCounts(opened.page);
      assert.equal(marks.missing, 'unavailable');
      assert.ok(typeof marks.sine === 'number' && marks.sine >= 1, `line drawn: ${JSON.stringify(marks)}`);
      assert.deepEqual(await kpiValues(opened.page), { answer: { value: 42, text: '42.00' } });
      assert.ok((await screenshotVariance(opened.page, 'kit')) > 50);
    } finally {
      await opened.close();
    }
  });
});
