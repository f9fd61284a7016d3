/**
 * The model card's HTML page, without a browser: every `data-key` on it is a path into the JSON
 * card whose value equals its `data-value`, the charts are SVG figures, a model trained without
 * permutation importance gets a sentence instead of that chart, and the page is deterministic.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTrainingSet, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { gateVerdict } from '../../../lib/domain/training/gate.ts';
import { buildModelCard, UNREGISTERED } from '../../../lib/domain/training/model-card.ts';
import { renderModelCardHtml } from '../../../lib/reports/model-card/page.ts';
import { samplePrices } from '../api/fixtures.ts';

/** The value at a dotted path (`evaluation.pooled.model.logLoss`, array indices as numbers). */
function valueAt(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
}

const decodeEntities = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('model card page', () => {
  const { artifact, evaluation } = trainRiskModel(buildTrainingSet([samplePrices('DAX', 450), samplePrices('SMI', 450)]), {
    trees: 4,
    folds: 2,
    maxDepth: 3,
    permutationRepeats: 0,
  });
  const card = buildModelCard({ artifact, report: evaluation, decision: gateVerdict(evaluation).decision, owner: 'Risk & <models>', approval: UNREGISTERED });

  test('every data-key is a path into the JSON card with the same value; text is escaped', async () => {
    const html = await renderModelCardHtml(card);
    const keyed = [...html.matchAll(/data-key="([^"]+)" data-value="([^"]*)"/g)].map((m) => [m[1], JSON.parse(decodeEntities(m[2]))] as const);
    const keys = keyed.map(([k]) => k);
    for (const k of [
      'evaluation.pooled.model.logLoss',
      'evaluation.pooled.har.brier',
      'evaluation.differences.har.balancedAccuracy.standardError',
      'evaluation.differences.persistence.logLoss.difference',
      'gate.promote',
      'approval.status',
      'data.fingerprint',
      'version',
    ]) {
      assert.ok(keys.includes(k), k);
    }
    assert.ok(keyed.length >= 30, `${keyed.length} keyed values`);
    for (const [key, value] of keyed) assert.deepEqual(value, valueAt(card, key), key);
    assert.match(html, /owner Risk &amp; &lt;models&gt;/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('charts are SVG figures; without permutation importance that chart is a sentence saying why', async () => {
    const html = await renderModelCardHtml(card);
    for (const id of ['chart-scores', 'chart-confusion', 'chart-reliability', 'chart-per-class', 'chart-importance-impurity']) {
      assert.match(html, new RegExp(`<figure class="chart" id="${id}"><svg`), id);
    }
    assert.match(
      html,
      /<figure class="chart unavailable" id="chart-importance-permutation" data-unavailable="true">.*Permutation importance was not measured for this model/,
    );
    // vega numbers its gradients per process (unique within a page), so a second page in the same process counts on.
    const ids = (page: string) => page.replace(/gradient_\d+/g, 'gradient_N');
    assert.equal(ids(await renderModelCardHtml(card)), ids(html), 'the same card gives the same page');
  });
});
