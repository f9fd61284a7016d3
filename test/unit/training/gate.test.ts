import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePromotion } from '../../../lib/domain/training/gate.ts';

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
