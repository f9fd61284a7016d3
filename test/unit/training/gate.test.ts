import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decidePromotion, type GateInput, gateVerdict } from '../../../lib/domain/training/gate.ts';

const s = (balancedAccuracy: number, logLoss: number, brier: number) => ({ balancedAccuracy, logLoss, brier });
const baselines = { persistence: s(0.55, 0.8, 0.47), har: s(0.58, 0.7, 0.44), majority: s(1 / 3, 1.05, 0.64) };
const base: Omit<GateInput, 'challenger'> = { baselines, champion: null, comparedFrom: '1996-07-29', comparedRows: 2056 };

/** A bootstrap estimate of one difference (only the fields the gate reads matter). */
const est = (difference: number, standardError: number, lower: number, upper: number) => ({ difference, standardError, lower, upper, probabilityBetter: 0.5 });
const differences = (baLower: number, baUpper: number) => ({
  persistence: null,
  har: {
    dates: 1200,
    blockLength: 21,
    resamples: 1000,
    seed: 42,
    balancedAccuracy: est((baLower + baUpper) / 2, 0.025, baLower, baUpper),
    logLoss: est(0.05, 0.01, 0.03, 0.07),
    brier: est(0.02, 0.005, 0.01, 0.03),
  },
});

describe('decidePromotion: beat the majority on all three scores; persistence, HAR and the champion on log loss and Brier, balanced accuracy non-inferior where measured', () => {
  test('better on all three against every baseline and no champion: promoted; the decision lists each margin', () => {
    const d = decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42) });
    assert.equal(d.promote, true);
    assert.equal(d.metric, 'balancedAccuracy, logLoss, brier');
    assert.deepEqual(
      d.comparisons!.map((c) => c.against),
      ['persistence', 'HAR', 'majority'],
    );
    const har = d.comparisons![1];
    assert.ok(har.beaten);
    assert.ok(Math.abs(har.balancedAccuracy - 0.02) < 1e-12 && Math.abs(har.logLoss - 0.05) < 1e-12 && Math.abs(har.brier - 0.02) < 1e-12);
    assert.match(d.reason, /^the challenger beats persistence \(walk-forward; balanced accuracy \+0\.0500, log loss \+0\.1500, Brier \+0\.0500\); HAR/);
    assert.match(d.reason, /; no champion yet$/);
  });

  test('worse on one score against one baseline: rejected, naming it and the margins', () => {
    // Better balanced accuracy and Brier than HAR, worse log loss.
    const d = decidePromotion({ ...base, challenger: s(0.6, 0.72, 0.42) });
    assert.equal(d.promote, false);
    assert.match(
      d.reason,
      /^the challenger does not beat HAR \(walk-forward; balanced accuracy \+0\.0200 \(not judged: no uncertainty measured\), log loss -0\.0200, Brier \+0\.0200\); it beats persistence/,
    );
  });

  test('a tie is not a win; a margin must be cleared on every judged score', () => {
    assert.equal(decidePromotion({ ...base, challenger: s(0.6, 0.7, 0.42) }).promote, false, 'log loss tied with HAR');
    assert.equal(decidePromotion({ ...base, challenger: s(0.55, 0.65, 0.42) }).promote, false, 'balanced accuracy tied with persistence');
    assert.equal(decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42), minImprovement: 0.03 }).promote, false);
    assert.equal(decidePromotion({ ...base, challenger: s(0.62, 0.65, 0.4), minImprovement: 0.03 }).promote, true);
  });

  test('the champion is compared on its unseen rows, the challenger on the same rows', () => {
    const champion = { version: 'v7', scores: s(0.61, 0.6, 0.4), challenger: s(0.63, 0.58, 0.39), from: '1998-01-05', rows: 240 };
    const d = decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42), champion });
    assert.equal(d.promote, true);
    assert.equal(d.championVersion, 'v7');
    assert.equal(d.championScore, 0.61);
    assert.match(
      d.reason,
      /champion v7 \(240 rows from 1998-01-05 it was not trained on; balanced accuracy \+0\.0200 \(not judged: no uncertainty measured\), log loss \+0\.0200, Brier \+0\.0100\)/,
    );
    const worse = decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42), champion: { ...champion, challenger: s(0.63, 0.61, 0.39) } });
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /does not beat champion v7/);
    const recorded = decidePromotion({
      ...base,
      challenger: s(0.6, 0.65, 0.42),
      champion: { ...champion, challenger: s(0.6, 0.65, 0.42), rows: 0, from: null },
    });
    assert.match(recorded.reason, /champion v7 \(recorded walk-forward scores: no rows after its refit window/);
    assert.match(recorded.reason, /\(not judged: recorded scores of other rows cannot be paired\)/);
  });

  test('paired with the champion on its unseen rows, balanced accuracy must be non-inferior to it, as to HAR', () => {
    const champion = { version: 'v7', scores: s(0.63, 0.6, 0.4), challenger: s(0.6, 0.58, 0.39), from: '1998-01-05', rows: 240 };
    const paired = (lower: number, upper: number) => ({ ...differences(0.01, 0.05).har, balancedAccuracy: est((lower + upper) / 2, 0.03, lower, upper) });
    // 0.03 worse than the champion, within noise: promoted, and the reason shows the interval.
    const noise = decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42), champion: { ...champion, differences: paired(-0.08, 0.02) } });
    assert.equal(noise.promote, true);
    assert.match(
      noise.reason,
      /champion v7 \(240 rows from 1998-01-05 it was not trained on; balanced accuracy -0\.0300 ± 0\.0300 \(90 % -0\.0800\.\.\+0\.0200: not significantly worse\)/,
    );
    const c = noise.comparisons!.at(-1)!;
    assert.deepEqual(c.judgedOn, ['logLoss', 'brier']);
    assert.deepEqual(c.balancedAccuracyInterval, { standardError: 0.03, lower: -0.08, upper: 0.02 });
    // The whole interval below 0: rejected although log loss and Brier are better.
    const worse = decidePromotion({ ...base, challenger: s(0.6, 0.65, 0.42), champion: { ...champion, differences: paired(-0.06, -0.004) } });
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /^the challenger does not beat champion v7 .*significantly worse\)/);
    // Compared on recorded scores (rows 0), an interval is not used: those are other rows.
    const recorded = decidePromotion({
      ...base,
      challenger: s(0.6, 0.65, 0.42),
      champion: { ...champion, rows: 0, from: null, challenger: s(0.6, 0.58, 0.39), differences: paired(-0.06, -0.004) },
    });
    assert.equal(recorded.promote, true);
  });

  test('without a measured uncertainty, against HAR only the proper scoring rules decide; balanced accuracy is recorded, not judged', () => {
    // Worse balanced accuracy than HAR (0.57 vs 0.58), better log loss and Brier: promoted, and the reason shows the loss.
    const d = decidePromotion({ ...base, challenger: s(0.57, 0.65, 0.42) });
    assert.equal(d.promote, true);
    const har = d.comparisons!.find((c) => c.against === 'HAR')!;
    assert.deepEqual(har.judgedOn, ['logLoss', 'brier']);
    assert.ok(Math.abs(har.balancedAccuracy + 0.01) < 1e-12);
    assert.match(d.reason, /HAR \(walk-forward; balanced accuracy -0\.0100 \(not judged: no uncertainty measured\), log loss \+0\.0500, Brier \+0\.0200\)/);
    assert.equal(har.balancedAccuracyInterval, undefined);
    assert.deepEqual(d.comparisons!.find((c) => c.against === 'persistence')!.judgedOn, ['balancedAccuracy', 'logLoss', 'brier']);
  });

  test('with the bootstrap interval, balanced accuracy against HAR must be non-inferior: rejected only when significantly worse', () => {
    // 0.01 worse than HAR, but the 90 % interval reaches above 0: not significantly worse, promoted.
    const noise = decidePromotion({ ...base, challenger: s(0.57, 0.65, 0.42), differences: differences(-0.05, 0.03) });
    assert.equal(noise.promote, true);
    const har = noise.comparisons!.find((c) => c.against === 'HAR')!;
    assert.deepEqual(har.balancedAccuracyInterval, { standardError: 0.025, lower: -0.05, upper: 0.03 });
    assert.deepEqual(har.judgedOn, ['logLoss', 'brier']);
    assert.match(
      noise.reason,
      /HAR \(walk-forward; balanced accuracy -0\.0100 ± 0\.0250 \(90 % -0\.0500\.\.\+0\.0300: not significantly worse\), log loss \+0\.0500/,
    );
    // The whole interval below 0: worse with 95 % one-sided confidence, rejected although log loss and Brier are better.
    const worse = decidePromotion({ ...base, challenger: s(0.57, 0.65, 0.42), differences: differences(-0.06, -0.001) });
    assert.equal(worse.promote, false);
    assert.match(
      worse.reason,
      /^the challenger does not beat HAR \(walk-forward; balanced accuracy -0\.0100 ± 0\.0250 \(90 % -0\.0600\.\.-0\.0010: significantly worse\)/,
    );
    // Non-inferiority does not excuse the proper scores: worse log loss still loses.
    assert.equal(decidePromotion({ ...base, challenger: s(0.6, 0.72, 0.42), differences: differences(0.01, 0.05) }).promote, false);
  });

  test('with its interval, balanced accuracy against persistence is judged the same way (non-inferior); without one, strictly', () => {
    const persistence = (lower: number, upper: number) => ({ ...differences(0.01, 0.05).har, balancedAccuracy: est((lower + upper) / 2, 0.02, lower, upper) });
    // 0.01 below persistence (0.55) within noise: promoted, and the reason shows the interval.
    const noise = decidePromotion({
      ...base,
      challenger: s(0.54, 0.65, 0.42),
      differences: { ...differences(0.01, 0.05), persistence: persistence(-0.04, 0.02) },
    });
    assert.equal(noise.promote, true);
    const p = noise.comparisons!.find((c) => c.against === 'persistence')!;
    assert.deepEqual(p.judgedOn, ['logLoss', 'brier']);
    assert.deepEqual(p.balancedAccuracyInterval, { standardError: 0.02, lower: -0.04, upper: 0.02 });
    assert.match(noise.reason, /persistence \(walk-forward; balanced accuracy -0\.0100 ± 0\.0200 \(90 % -0\.0400\.\.\+0\.0200: not significantly worse\)/);
    // Significantly worse than persistence: rejected.
    const worse = decidePromotion({
      ...base,
      challenger: s(0.54, 0.65, 0.42),
      differences: { ...differences(0.01, 0.05), persistence: persistence(-0.04, -0.005) },
    });
    assert.equal(worse.promote, false);
    assert.match(worse.reason, /^the challenger does not beat persistence/);
    // No persistence interval (an older report): the same 0.01 below persistence loses, as before.
    assert.equal(decidePromotion({ ...base, challenger: s(0.54, 0.65, 0.42), differences: differences(0.01, 0.05) }).promote, false);
  });

  test('a baseline the data cannot provide is skipped and said so; a non-number never passes', () => {
    const d = decidePromotion({ ...base, baselines: { ...baselines, har: null, persistence: null }, challenger: s(0.5, 0.9, 0.5) });
    assert.equal(d.promote, true);
    assert.match(d.reason, /\(no persistence or HAR baseline for this data\)$/);
    assert.equal(decidePromotion({ ...base, challenger: s(Number.NaN, 0.5, 0.4) }).promote, false);
  });
});

describe('gateVerdict: what `riskfn train` says about a model, from the same gate', () => {
  const report = (model: ReturnType<typeof s>, d: ReturnType<typeof differences> | null = null) => ({
    model,
    baselines,
    differences: d,
    testFrom: '1995-04-05',
    testRows: 3428,
  });
  test('accepted as a first champion, or rejected with the reason', () => {
    const yes = gateVerdict(report(s(0.6, 0.65, 0.42)));
    assert.equal(yes.decision.promote, true);
    assert.match(yes.text, /: the workflow's gate would accept it as a first champion$/);
    assert.equal(yes.decision.comparedRows, 3428);
    const no = gateVerdict(report(s(0.6, 0.71, 0.42)));
    assert.equal(no.decision.promote, false);
    assert.match(no.text, /^the challenger does not beat HAR .*: the workflow's gate would reject it$/);
    // The report's differences reach the gate: significantly worse balanced accuracy than HAR is rejected.
    assert.equal(gateVerdict(report(s(0.57, 0.65, 0.42), differences(-0.06, -0.01))).decision.promote, false);
  });
});
