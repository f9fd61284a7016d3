import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvaluationReport } from '../../../lib/domain/model/index.ts';
import { decidePromotion, gateVerdict } from '../../../lib/domain/training/gate.ts';

const base = { baselines: { majority: 1 / 3, persistence: null }, comparedFrom: '2020-01-02', comparedRows: 100 };

describe('decidePromotion', () => {
  test('promotes the first model when it beats the majority baseline', () => {
    const d = decidePromotion({ ...base, challengerScore: 0.5, champion: null });
    assert.equal(d.promote, true);
    assert.equal(d.championVersion, null);
    assert.match(d.reason, /no champion yet/);
  });

  test('never promotes a first model that does not beat the baseline', () => {
    const d = decidePromotion({ ...base, challengerScore: 1 / 3, champion: null });
    assert.equal(d.promote, false);
    assert.match(d.reason, /baseline/);
  });

  test('never promotes a challenger that does not beat persistence, even with no champion', () => {
    const baselines = { majority: 1 / 3, persistence: 0.55 };
    const d = decidePromotion({ ...base, baselines, challengerScore: 0.55, champion: null });
    assert.equal(d.promote, false);
    assert.match(d.reason, /persistence baseline \(0\.5500\)/);
    assert.equal(decidePromotion({ ...base, baselines, challengerScore: 0.56, champion: null }).promote, true);
    const champion = { version: 'rf-1', score: 0.5 };
    assert.equal(decidePromotion({ ...base, baselines, challengerScore: 0.54, champion }).promote, false);
  });

  test('promotes only a strictly better challenger', () => {
    const champion = { version: 'rf-1', score: 0.55 };
    assert.equal(decidePromotion({ ...base, challengerScore: 0.56, champion }).promote, true);
    const tie = decidePromotion({ ...base, challengerScore: 0.55, champion });
    assert.equal(tie.promote, false);
    assert.equal(tie.championScore, 0.55);
    assert.match(tie.reason, /does not beat champion rf-1 \(0\.5500\)/);
    assert.equal(decidePromotion({ ...base, challengerScore: 0.4, champion }).promote, false);
  });

  test('a margin must be cleared when one is asked for', () => {
    const champion = { version: 'rf-1', score: 0.55 };
    assert.equal(decidePromotion({ ...base, challengerScore: 0.56, champion, minImprovement: 0.02 }).promote, false);
    assert.equal(decidePromotion({ ...base, challengerScore: 0.58, champion, minImprovement: 0.02 }).promote, true);
  });

  test('a NaN score is refused, not compared', () => {
    const d = decidePromotion({ ...base, challengerScore: Number.NaN, champion: null });
    assert.equal(d.promote, false);
    assert.match(d.reason, /finite/);
  });
});

describe('gateVerdict: what `riskfn train` says about a model, from the same gate', () => {
  const report = (model: number, majority: number, persistence: number | null) =>
    ({
      balancedAccuracy: model,
      testFrom: '2020-06-01',
      testRows: 50,
      baselines: { majority: { balancedAccuracy: majority }, persistence: persistence === null ? null : { balancedAccuracy: persistence } },
    }) as unknown as EvaluationReport;

  test('a model that does not beat persistence: rejected, in plain words', () => {
    const v = gateVerdict(report(0.518, 1 / 3, 0.553));
    assert.equal(v.text, "does not beat persistence (balanced accuracy 0.5180 vs 0.5530): the workflow's gate would reject it");
    assert.deepEqual(
      v.decision,
      decidePromotion({
        challengerScore: 0.518,
        champion: null,
        baselines: { majority: 1 / 3, persistence: 0.553 },
        comparedFrom: '2020-06-01',
        comparedRows: 50,
      }),
    );
    assert.equal(v.decision.promote, false);
  });

  test('a model that does not beat the majority class', () => {
    const v = gateVerdict(report(0.3, 1 / 3, 0.2));
    assert.equal(v.text, "does not beat the majority class (balanced accuracy 0.3000 vs 0.3333): the workflow's gate would reject it");
  });

  test('a model that beats both, or the majority class when there is no persistence baseline', () => {
    const v = gateVerdict(report(0.632, 1 / 3, 0.553));
    assert.equal(v.decision.promote, true);
    assert.equal(
      v.text,
      "beats the majority class (0.3333) and persistence (0.5530) with balanced accuracy 0.6320: the workflow's gate would accept it as a first champion",
    );
    assert.match(gateVerdict(report(0.6, 0.5, null)).text, /^beats the majority class \(0\.5000\) \(no persistence baseline: no dates or no label horizon\)/);
  });

  test('a NaN score', () => {
    assert.match(gateVerdict(report(Number.NaN, 1 / 3, 0.5)).text, /not a number: the workflow's gate would reject it/);
  });
});
