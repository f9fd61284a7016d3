/**
 * `riskfn backtest --report` opened in headless Chromium: the page loads offline without errors,
 * every chart has drawn marks, every keyed figure equals what `--json` printed in the same run, and
 * the screenshot is not blank.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chartMarkCounts, kpiValues, launchBrowser, type OpenedReport, openReport, screenshotVariance } from '../helpers/browser.ts';
import { riskfn, scratchDir } from '../unit/cli/run-cli.ts';

const tmp = scratchDir('backtest-report');

/** The member of `--json`'s object at a dotted path (`christoffersen.transitions.n01`). */
function at(json: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], json);
}

describe('riskfn backtest --report in a real browser', () => {
  let browser: Browser;
  let opened: OpenedReport;
  let json: Record<string, unknown>;

  before(async () => {
    const html = tmp.path('smi.html');
    // A path relative to the repository, as a user types it (the page names its source).
    const r = riskfn(['backtest', 'data/sample/eustock_SMI.csv', '--json', '-o', tmp.path('smi.json'), '--report', html]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    json = JSON.parse(readFileSync(tmp.path('smi.json'), 'utf8'));
    assert.ok(statSync(html).size < 1_500_000, 'the report stays under 1.5 MB');
    browser = await launchBrowser();
    opened = await openReport(browser, html);
  });
  after(async () => {
    await opened?.close();
    await browser?.close();
  });

  it('loads from disk with no console error and no request', () => {
    assert.deepEqual(opened.consoleErrors, []);
    assert.deepEqual(opened.requests, []);
  });

  it('draws every chart', async () => {
    const marks = await chartMarkCounts(opened.page);
    assert.deepEqual(Object.keys(marks).sort(), ['basel-chart', 'exception-gaps', 'exceptions-trailing', 'returns-var']);
    for (const [id, n] of Object.entries(marks)) assert.ok(typeof n === 'number' && n > 0, `${id}: ${n}`);
    // One mark per exception on top of the two lines.
    assert.ok((marks['returns-var'] as number) >= (json.exceptionCount as number) + 2, JSON.stringify(marks));
  });

  it('shows the same numbers as --json', async () => {
    const shown = await kpiValues(opened.page);
    for (const key of [
      'observations',
      'exceptionCount',
      'exceptionRate',
      'kupiec.pValue',
      'christoffersen.independence.statistic',
      'christoffersen.transitions.n11',
      'basel.zone',
      'basel.plusFactor',
    ]) {
      assert.ok(key in shown, `${key} is on the page`);
    }
    for (const [key, { value }] of Object.entries(shown)) assert.deepEqual(value, at(json, key), key);
    assert.equal(shown.exceptionCount.text, String(json.exceptionCount));
  });

  it('is not blank', async () => {
    const variance = await screenshotVariance(opened.page, 'backtest-report');
    assert.ok(variance > 500, `grey-level variance ${variance}`);
  });
});
