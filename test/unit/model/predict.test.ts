import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FeatureInputError, MAX_LOOKBACK } from '../../../lib/domain/features/index.ts';
import { harFeatureColumns, harProbabilitiesFor } from '../../../lib/domain/model/har.ts';
import { InsufficientHistoryError, ModelArtifactError, predictRiskLevel, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { predictFeatureRow } from '../../../lib/domain/model/predict.ts';
import { FAST, SERIES, smallSet } from './fixtures.ts';
import { syntheticSeries } from './synthetic.ts';

describe('predictRiskLevel', () => {
  const set = smallSet();
  const { artifact } = trainRiskModel(set, { ...FAST, permutationRepeats: 0 });

  test('last date, probabilities summing to 1, predicted class = most probable relative to its training frequency', () => {
    const priors = Object.fromEntries(artifact.classes.map((c, i) => [c, artifact.baselines.classPriors[i]])) as Record<string, number>;
    for (const s of SERIES) {
      const p = predictRiskLevel(artifact, s);
      assert.equal(p.asOf, s.dates.at(-1));
      const sum = p.probabilities.low + p.probabilities.medium + p.probabilities.high;
      assert.ok(Math.abs(sum - 1) < 1e-12);
      const ratio = (c: 'low' | 'medium' | 'high') => p.probabilities[c] / priors[c];
      assert.equal(ratio(p.riskLevel), Math.max(ratio('low'), ratio('medium'), ratio('high')));
    }
  });

  test('base rate + contributions + calibration = the served probability (1e-12), sorted by |contribution|', () => {
    for (const s of SERIES) {
      for (const n of [MAX_LOOKBACK + 1, 250, 420]) {
        const cut = { ...s, dates: s.dates.slice(0, n), close: s.close.slice(0, n) };
        const p = predictRiskLevel(artifact, cut);
        const total = p.contributions.reduce((a, c) => a + c.contribution, 0);
        assert.ok(Math.abs(p.baseRate + total + p.calibration - p.probabilities[p.riskLevel]) <= 1e-12, `${s.symbol} ${n}`);
        // The forest's own share (base rate + contributions) is a probability too; calibration moves it.
        assert.ok(p.baseRate + total >= -1e-12 && p.baseRate + total <= 1 + 1e-12);
        assert.equal(p.contributions.length, artifact.featureNames.length);
        for (let i = 1; i < p.contributions.length; i++) {
          assert.ok(Math.abs(p.contributions[i - 1].contribution) >= Math.abs(p.contributions[i].contribution));
        }
      }
    }
  });

  test('a feature row: base rate + contributions + calibration = the served probability of its class', () => {
    for (const row of [set.rows[100].features, set.rows[500].features]) {
      const pred = predictFeatureRow(artifact, row);
      const total = pred.contributions.reduce((a, c) => a + c.contribution, 0);
      assert.ok(Math.abs(pred.baseRate + total + pred.calibration - pred.probabilities[pred.label]) <= 1e-12);
    }
  });

  test('trust region: a row beyond every training row is served HAR’s probabilities; inside, the forest keeps a share; the explanation still adds up', () => {
    const trust = artifact.calibration.harTrust!;
    const counts = artifact.classes.map((c) => set.rows.filter((r) => r.label === c).length);
    assert.equal(trust.rarestClassRows, Math.min(...counts));
    assert.equal(trust.prior, 10 * 10, '10 label windows of the horizon (10)');
    assert.equal(trust.lowest.length, Math.min(trust.span, set.rows.length));
    const cols = harFeatureColumns(artifact.featureNames)!;
    const rule = artifact.labelRule;
    assert.ok(rule.kind === 'volatility-bands');
    const harOf = (x: readonly number[]) =>
      harProbabilitiesFor(artifact.baselines.har!, { daily: x[cols[0]], weekly: x[cols[1]], monthly: x[cols[2]] }, rule.thresholds, ['low', 'medium', 'high'])!;
    // A fitted weight of 0 shows the trust region alone.
    const forestFirst = { ...artifact, calibration: { ...artifact.calibration, harWeight: 0 } };
    const storm = [...set.rows[500].features];
    for (const c of cols) storm[c] = 3; // 300 %/yr on every horizon: beyond any training row
    const pred = predictFeatureRow(forestFirst, storm);
    assert.deepEqual(Object.values(pred.probabilities), harOf(storm));
    const total = pred.contributions.reduce((a, c) => a + c.contribution, 0);
    assert.ok(Math.abs(pred.baseRate + total + pred.calibration - pred.probabilities[pred.label]) <= 1e-12);
    // Inside the training rows: neither HAR's probabilities nor the forest's alone (the rarest class's discount).
    const x = set.rows[500].features;
    const inside = Object.values(predictFeatureRow(forestFirst, x).probabilities);
    const forestAlone = Object.values(predictFeatureRow({ ...forestFirst, calibration: { ...forestFirst.calibration, harTrust: undefined } }, x).probabilities);
    const har = harOf(x);
    const c = trust.prior / (trust.prior + trust.rarestClassRows);
    inside.forEach((p, k) => {
      // 852 training rows, fewer than L = 1000, so the row's position discounts too: HAR's share is at least c, below 1.
      const share = (p - forestAlone[k]) / (har[k] - forestAlone[k]);
      assert.ok(share >= c - 1e-9 && share < 1, `class ${k}: HAR's share ${share}`);
    });
  });

  test('too short a history is InsufficientHistoryError', () => {
    const s = SERIES[0];
    const short = { ...s, dates: s.dates.slice(0, MAX_LOOKBACK), close: s.close.slice(0, MAX_LOOKBACK) };
    assert.throws(
      () => predictRiskLevel(artifact, short),
      (e: unknown) => e instanceof InsufficientHistoryError && e.needed === MAX_LOOKBACK + 1 && e.available === MAX_LOOKBACK,
    );
    for (const n of [0, 1, 2, 30]) {
      const tiny = { ...s, dates: s.dates.slice(0, n), close: s.close.slice(0, n) };
      assert.throws(() => predictRiskLevel(artifact, tiny), InsufficientHistoryError, `n=${n}`);
    }
  });

  test('a model whose features need inputs the series lacks says which', () => {
    const ohlcSet = trainRiskModel(
      {
        ...smallSet(),
      },
      { ...FAST, trees: 2, permutationRepeats: 0 },
    ).artifact;
    const needsAtr = { ...ohlcSet, featureNames: [...ohlcSet.featureNames.slice(0, -1), 'atr_pct_14'] };
    assert.throws(
      () => predictRiskLevel(needsAtr, syntheticSeries({ symbol: 'Z', days: 200, seed: 1 })),
      (e: unknown) => e instanceof FeatureInputError && e.reason === 'missing-input' && e.code === 'MODEL_INPUT_UNAVAILABLE' && e.feature === 'atr_pct_14',
    );
    // A feature riskfn does not know: the model is foreign (a generic CSV's), not short of input.
    const generic = { ...ohlcSet, featureNames: [...ohlcSet.featureNames.slice(0, -1), 'my_column'] };
    assert.throws(
      () => predictRiskLevel(generic, SERIES[0]),
      (e: unknown) =>
        e instanceof ModelArtifactError &&
        e.code === 'MODEL_ARTIFACT' &&
        e.field === 'featureNames' &&
        e.message === "the model uses feature 'my_column', which riskfn cannot compute from prices",
    );
  });
});
