/**
 * The model card `riskfn train` writes, in a real browser: the CLI trains a small model (5 trees,
 * 2 folds, two indices' first 700 days), headless Chromium opens model-card.html from disk, and
 * every headline number on the page equals model-card.json.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ModelCardSchema } from '../../lib/schemas/model-card.ts';
import { chartMarkCounts, kpiValues, launchBrowser, openReport, screenshotVariance } from '../helpers/browser.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { sample, scratchDir } from '../unit/cli/run-cli.ts';

/** The value at a dotted path (`evaluation.pooled.model.logLoss`) of parsed JSON. */
function at(json: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);
}

describe('the model card of riskfn train in a real browser', () => {
  const tmp = scratchDir('model-card');
  let browser: Browser;

  before(async () => {
    const [launched] = await Promise.all([
      launchBrowser(),
      (async () => {
        for (const name of ['DAX', 'SMI']) {
          const lines = readFileSync(sample(`eustock_${name}.csv`), 'utf8')
            .split('\n')
            .slice(0, 701);
          tmp.write(`${name}.csv`, `${lines.join('\n')}\n`);
        }
        const cli = (args: string[]) => riskfnAsync(args, { cwd: tmp.path() });
        const dataset = await cli(['dataset', 'DAX.csv', 'SMI.csv', '-o', 'dataset.csv']);
        assert.equal(dataset.status, 0, dataset.stderr);
        const train = await cli(['train', 'dataset.csv', '--trees', '5', '--max-depth', '4', '--folds', '2', '--owner', 'Model risk team', '-o', 'model']);
        assert.equal(train.status, 0, train.stderr);
        assert.match(train.stdout, /wrote .*model-card\.json, .*model-card\.html\n$/);
      })(),
    ]);
    browser = launched;
  });
  after(async () => browser?.close());

  it('opens offline with no console errors, draws every chart, shows the JSON card’s numbers, is not blank', async () => {
    const card = ModelCardSchema.parse(JSON.parse(readFileSync(tmp.path('model/model-card.json'), 'utf8')));
    assert.equal(card.owner, 'Model risk team');
    assert.equal(card.approval.status, 'unregistered');
    const page = tmp.path('model/model-card.html');
    assert.ok(statSync(page).size < 1.5 * 1024 * 1024, `page size ${statSync(page).size}`);

    const opened = await openReport(browser, page);
    try {
      assert.deepEqual(opened.consoleErrors, []);
      assert.deepEqual(opened.requests, []);
      const marks = await chartMarkCounts(opened.page);
      assert.deepEqual(Object.keys(marks).sort(), [
        'chart-confusion',
        'chart-importance-impurity',
        'chart-importance-permutation',
        'chart-per-class',
        'chart-reliability',
        'chart-scores',
      ]);
      for (const [id, n] of Object.entries(marks)) assert.ok(typeof n === 'number' && n > 0, `${id}: ${n} marks`);
      // Nine confusion cells and their counts; 19 impurity bars.
      assert.ok((marks['chart-confusion'] as number) >= 18, `confusion marks ${marks['chart-confusion']}`);
      assert.ok((marks['chart-importance-impurity'] as number) >= 19, `impurity marks ${marks['chart-importance-impurity']}`);

      const shown = await kpiValues(opened.page);
      const keys = Object.keys(shown);
      for (const k of [
        'evaluation.pooled.model.balancedAccuracy',
        'evaluation.pooled.model.logLoss',
        'evaluation.pooled.har.logLoss',
        'gate.promote',
        'data.fingerprint',
      ]) {
        assert.ok(keys.includes(k), k);
      }
      assert.ok(keys.length >= 30, `${keys.length} keyed values`);
      for (const [key, { value }] of Object.entries(shown)) assert.deepEqual(value, at(card, key), key);
      const logLoss = card.evaluation.pooled.model.logLoss!;
      assert.equal(shown['evaluation.pooled.model.logLoss'].text, logLoss.toFixed(3));
      assert.equal(shown['approval.status'].text, 'not registered (trained with riskfn train)');

      assert.ok((await screenshotVariance(opened.page, 'model-card')) > 200);
    } finally {
      await opened.close();
    }
  });
});
