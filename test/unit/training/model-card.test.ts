/**
 * The model card builder on a small real model (two sample indices, 5 trees, 3 folds): every
 * number is the artifact's, the walk-forward report's or the gate's, the reliability bins are the
 * report's sums turned into means, the limitations follow from the data, and the card passes its
 * own schema (what the API and `riskfn train` write).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTrainingSet, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { decidePromotion, gateScores, gateVerdict } from '../../../lib/domain/training/gate.ts';
import { buildModelCard, UNREGISTERED, withApproval } from '../../../lib/domain/training/model-card.ts';
import { ModelCardSchema } from '../../../lib/schemas/model-card.ts';
import { samplePrices } from '../api/fixtures.ts';

const { artifact, evaluation: report } = trainRiskModel(buildTrainingSet([samplePrices('DAX', 500), samplePrices('CAC', 500)]), {
  trees: 5,
  folds: 3,
  maxDepth: 4,
  permutationRepeats: 2,
});
const { decision } = gateVerdict(report);
const card = buildModelCard({ artifact, report, decision, owner: 'Model risk', approval: UNREGISTERED });

describe('buildModelCard', () => {
  test('passes its schema and carries the artifact’s data window, fingerprint, features and label rule', () => {
    assert.deepEqual(ModelCardSchema.parse(JSON.parse(JSON.stringify(card))), card);
    assert.equal(card.version, null);
    assert.equal(card.owner, 'Model risk');
    assert.deepEqual(card.data, {
      rows: artifact.training.rows,
      from: artifact.training.from,
      to: artifact.training.to,
      fingerprint: artifact.training.fingerprint,
      symbols: ['CAC', 'DAX'],
      classCounts: artifact.training.classCounts,
    });
    assert.equal(card.data.from, '1991-12-24');
    assert.deepEqual(card.model.features, artifact.featureNames);
    assert.equal(card.model.features.length, 19);
    assert.deepEqual(card.model.classes, ['low', 'medium', 'high']);
    assert.deepEqual(card.labelRule, { kind: 'volatility-bands', horizon: 21, thresholds: { lowMax: 0.15, mediumMax: 0.25 } });
    assert.match(card.intendedUse[0], /next 21 trading days .*at most 15 %.*at most 25 %/);
    assert.equal(card.model.trees, 5);
    assert.equal(card.model.maxDepth, 4);
  });

  test('evaluation: pooled and per-fold scores of the model and every baseline, confusion and per-class scores as the report has them', () => {
    const e = card.evaluation;
    assert.equal(e.method, 'walk-forward');
    assert.equal(e.testRows, report.testRows);
    assert.equal(e.pooled.model.logLoss, report.model.logLoss);
    assert.equal(e.pooled.model.ece, report.model.ece);
    assert.equal(e.pooled.har?.brier, report.baselines.har!.brier);
    assert.equal(e.pooled.persistence?.balancedAccuracy, report.baselines.persistence!.balancedAccuracy);
    assert.equal(e.pooled.majority.logLoss, report.baselines.majority.logLoss);
    assert.equal(e.majorityPredicts, report.baselines.majority.predicts);
    assert.equal(e.folds.length, 3);
    assert.deepEqual(
      e.folds.map((f) => [f.index, f.testRows, f.scores.model.brier, f.scores.har?.logLoss]),
      report.folds.map((f) => [f.index, f.testRows, f.model.brier, f.har!.logLoss]),
    );
    assert.deepEqual(e.foldsWon, report.foldsWon);
    assert.deepEqual(e.confusion, report.model.confusion);
    assert.equal(
      e.confusion.matrix.flat().reduce((a, b) => a + b, 0),
      report.testRows,
    );
    assert.deepEqual(
      e.perClass.map((c) => [c.class, c.precision, c.recall, c.support]),
      report.classes.map((c) => [c, report.model.perClass[c].precision, report.model.perClass[c].recall, report.model.perClass[c].support]),
    );
    assert.equal(e.champion, null);
  });

  test('reliability bins: the report’s sums as rows, mean confidence inside its bin, empty bins null', () => {
    const bins = card.evaluation.reliability;
    const sums = report.model.reliability;
    assert.equal(bins.length, 10);
    assert.equal(
      bins.reduce((a, b) => a + b.rows, 0),
      report.testRows,
    );
    bins.forEach((b, i) => {
      assert.equal(b.from, i / 10);
      assert.equal(b.rows, sums.count[i]);
      if (b.rows === 0) {
        assert.equal(b.meanConfidence, null);
        assert.equal(b.accuracy, null);
      } else {
        assert.equal(b.meanConfidence, sums.confidence[i] / sums.count[i]);
        assert.equal(b.accuracy, sums.correct[i] / sums.count[i]);
        assert.ok(b.meanConfidence! > b.from - 1e-12 && b.meanConfidence! <= b.to + 1e-12, `bin ${i}`);
      }
    });
    // Three classes: no top-class probability is below 1/3.
    assert.equal(bins[0].rows + bins[1].rows + bins[2].rows, 0);
  });

  test('importance: impurity (sums to 1) and permutation per feature, as the report has them', () => {
    const imp = card.importance;
    assert.equal(imp.permutationMeasured, true);
    assert.equal(imp.features.length, 19);
    assert.ok(Math.abs(imp.features.reduce((a, f) => a + f.impurity, 0) - 1) < 1e-9);
    const vol21 = imp.features.find((f) => f.feature === 'vol_21')!;
    const perm = report.importance.permutation.find((p) => p.feature === 'vol_21')!;
    assert.equal(vol21.permutationMean, perm.mean);
    assert.equal(vol21.permutationStd, perm.std);
    assert.equal(vol21.impurity, report.importance.impurity.find((p) => p.feature === 'vol_21')!.importance);
  });

  test('gate: the decision, what the model was held against and the margins; limitations follow from the data', () => {
    assert.equal(card.gate.promote, decision.promote);
    assert.equal(card.gate.reason, decision.reason);
    assert.deepEqual(
      card.gate.comparisons.map((c) => c.against),
      ['persistence', 'HAR', 'majority'],
    );
    assert.deepEqual(card.gate.comparisons, decision.comparisons);
    const har = card.gate.comparisons[1];
    assert.deepEqual(har.judgedOn, ['logLoss', 'brier']);
    const notBeatenOnBa = card.limitations.some((l) => l.startsWith('It does not beat HAR on balanced accuracy'));
    assert.equal(notBeatenOnBa, har.balancedAccuracy <= 0);
    const high = artifact.training.classCounts.high;
    assert.ok(
      card.limitations.includes(
        `The rarest class, high, has ${high} of ${artifact.training.rows} training rows (${Number(((100 * high) / artifact.training.rows).toFixed(2))} %): its probabilities are the least certain.`,
      ),
    );
    // The noise of the scores is measured (the bootstrap's standard errors against HAR), not guessed from the row count.
    const se = report.differences.har!;
    assert.ok(
      card.limitations.some((l) =>
        l.includes(
          `blocks of 21 test dates, the standard error of the balanced-accuracy difference from HAR is ${se.balancedAccuracy.standardError.toFixed(3)}, ` +
            `of the log-loss difference ${se.logLoss.standardError.toFixed(4)}`,
        ),
      ),
    );
    // The gate judged balanced accuracy against HAR for non-inferiority with the report's interval.
    assert.deepEqual(har.balancedAccuracyInterval, {
      standardError: se.balancedAccuracy.standardError,
      lower: se.balancedAccuracy.lower,
      upper: se.balancedAccuracy.upper,
    });
  });

  test("the differences from the baselines with their uncertainty are the report's", () => {
    assert.deepEqual(card.evaluation.differences, report.differences);
    assert.equal(card.evaluation.differences!.har!.blockLength, 21);
  });

  test('a champion comparison: both models’ scores and the basis the gate stated', () => {
    const champion = {
      version: 'rf-old',
      scores: { balancedAccuracy: 0.5, logLoss: 0.9, brier: 0.5 },
      challenger: gateScores(report.model),
      from: null,
      rows: 0,
    };
    const withChampion = decidePromotion({
      challenger: gateScores(report.model),
      baselines: { persistence: null, har: null, majority: gateScores(report.baselines.majority) },
      champion,
      comparedFrom: report.testFrom!,
      comparedRows: report.testRows,
    });
    const c = buildModelCard({ artifact: { ...artifact, version: 'rf-new' }, report, decision: withChampion, champion, owner: 'x', approval: UNREGISTERED });
    assert.equal(c.version, 'rf-new');
    assert.deepEqual(c.evaluation.champion, {
      version: 'rf-old',
      basis: 'recorded walk-forward scores: no rows after its refit window',
      rows: 0,
      from: null,
      champion: { balancedAccuracy: 0.5, logLoss: 0.9, brier: 0.5 },
      challenger: gateScores(report.model),
    });
    assert.equal(c.gate.comparisons.at(-1)?.logLoss, 0.9 - report.model.logLoss);
  });

  test('withApproval shows the registry’s status and keeps what the card knew about approval being required', () => {
    const written = { ...card, approval: { ...UNREGISTERED, status: 'candidate' as const, requireApproval: true } };
    const now = withApproval(written, {
      status: 'champion',
      source: 'registry',
      approver: 'alice',
      approvedAt: '2026-11-08T09:30:00.000Z',
      promotedAt: '2026-11-08T10:00:00.000Z',
      requireApproval: null,
    });
    assert.deepEqual(now.approval, {
      status: 'champion',
      source: 'registry',
      approver: 'alice',
      approvedAt: '2026-11-08T09:30:00.000Z',
      promotedAt: '2026-11-08T10:00:00.000Z',
      requireApproval: true,
    });
    assert.deepEqual({ ...now, approval: written.approval }, written);
  });
});
