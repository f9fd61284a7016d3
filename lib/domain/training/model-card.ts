/**
 * The model card of a trained model (lib/schemas/model-card.ts), built from what training and the
 * promotion gate already computed: the artifact (data window, fingerprint, features, label rule,
 * calibration), the walk-forward report (pooled and per-fold scores of the model and every
 * baseline, confusion matrix, reliability bins, per-class scores, importance) and the gate's
 * decision (what the challenger beat and by how much). Nothing is recomputed here except the
 * reliability bins' means (sums → means) and the limitations' wording; the HTML page formats the
 * card and computes nothing.
 */
import { MODEL_CARD_FORMAT, MODEL_CARD_FORMAT_VERSION, type ModelCard, type ModelCardApproval } from '../../schemas/model-card.ts';
import type { GateDecision } from '../../schemas/training-state.ts';
import type { ModelArtifact } from '../model/artifact.ts';
import { displayOrder } from '../model/class-order.ts';
import type { DifferenceEstimate, ScoreDifferences } from '../model/paired-bootstrap.ts';
import type { BriefScores, WalkForwardReport } from '../model/walk-forward.ts';
import type { GateInput } from './gate.ts';

/** What the card is built from. */
export interface ModelCardInput {
  artifact: ModelArtifact;
  /** The walk-forward report the artifact's evaluation summarises (`evaluation_metrics.json`, the workflow's `walk-forward.json`). */
  report: WalkForwardReport;
  decision: GateDecision;
  /** The champion as the gate compared it (GateInput.champion); null or absent without one. */
  champion?: GateInput['champion'];
  owner: string;
  approval: ModelCardApproval;
}

/** The owner of a model trained without one named (`riskfn train` without `--owner`). */
export const UNSTATED_OWNER = 'not stated';

/** The approval block of a model trained by `riskfn train`: never registered, so nobody approved or promoted it. */
export const UNREGISTERED: ModelCardApproval = {
  status: 'unregistered',
  source: 'training',
  approver: null,
  approvedAt: null,
  promotedAt: null,
  requireApproval: null,
};

/** NaN (an undefined score) as null, as the JSON card writes it. */
const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

const scores = (m: BriefScores) => ({
  accuracy: orNull(m.accuracy),
  balancedAccuracy: orNull(m.balancedAccuracy),
  logLoss: orNull(m.logLoss),
  brier: orNull(m.brier),
  ece: orNull(m.ece),
});
const scoresOrNull = (m: BriefScores | null) => (m ? scores(m) : null);

const pct = (v: number): string => `${Number((100 * v).toFixed(2))} %`;

function intendedUse(a: ModelArtifact): { intendedUse: string[]; outOfScope: string[] } {
  const rule = a.labelRule;
  const instruments = a.training.symbols.length > 0 ? ` (${a.training.symbols.join(', ')})` : '';
  if (rule.kind === 'given') {
    return {
      intendedUse: [
        `Predict the '${rule.target}' column of rows like the training table's, from the same ${a.featureNames.length} numeric columns, as a probability per class (${a.classes.join(', ')}).`,
      ],
      outOfScope: [
        'Rows from another source, with other column meanings or units than the training table.',
        'Any decision taken on the prediction alone: the card reports how well it scored on held-out rows of the same table, nothing more.',
      ],
    };
  }
  const t = rule.thresholds;
  return {
    intendedUse: [
      `Classify an instrument's risk level over the next ${rule.horizon} trading days from its daily price history, as a probability per level: ` +
        `low (annualised volatility at most ${pct(t.lowMax)}), medium (at most ${pct(t.mediumMax)}), high (above).`,
      `Screening and monitoring of liquid instruments like the training set's${instruments}, as one input to a person's risk assessment beside the risk engine's own measures (volatility, VaR, drawdown).`,
      'Answering the scoring API (POST /v1/risk/instrument and /v1/risk/portfolio) once promoted to champion.',
    ],
    outOfScope: [
      'Forecasting returns, prices or the direction of a move: the label is a volatility level only.',
      'Setting position sizes, limits or regulatory capital on its own: it is not a VaR model and has not been validated as one.',
      `Histories shorter than 127 daily prices, intraday data, or horizons other than ${rule.horizon} trading days.`,
      'Asset classes or volatility regimes far from the training data (see the limitations).',
    ],
  };
}

const SCORE_WORDS = { balancedAccuracy: 'balanced accuracy', logLoss: 'log loss', brier: 'Brier score' } as const;

function limitations(a: ModelArtifact, report: WalkForwardReport, decision: GateDecision): string[] {
  const out: string[] = [];
  const window = a.training.from ? `, ${a.training.from} .. ${a.training.to}` : '';
  const symbols = a.training.symbols.length;
  out.push(
    `Trained on ${a.training.rows} rows${symbols > 0 ? ` of ${symbols} instrument${symbols === 1 ? '' : 's'}` : ''}${window}. ` +
      (a.baselines.har
        ? 'Beyond the range of that history the served probabilities lean on the HAR regression (up to HAR alone), because a forest cannot forecast a level it never saw.'
        : 'Conditions outside that history are extrapolated by the forest, which answers from its outermost leaves there.'),
  );
  const counts = Object.entries(a.training.classCounts);
  if (counts.length > 0) {
    const [rarest, n] = counts.reduce((m, c) => (c[1] < m[1] ? c : m));
    out.push(
      `The rarest class, ${rarest}, has ${n} of ${a.training.rows} training rows (${pct(n / a.training.rows)}): its probabilities are the least certain.`,
    );
  }
  const h = a.labelRule.horizon;
  const har = report.differences?.har;
  if (har && Number.isFinite(har.balancedAccuracy.standardError)) {
    out.push(
      `Labels of neighbouring days overlap (${h}-day horizon) and instruments move together, so the ${report.testRows} test rows carry much less information than their number: ` +
        `resampling blocks of ${har.blockLength} test dates, the standard error of the balanced-accuracy difference from HAR is ${har.balancedAccuracy.standardError.toFixed(3)}, ` +
        `of the log-loss difference ${har.logLoss.standardError.toFixed(4)}.`,
    );
  } else if (h !== null && h > 1 && report.testRows > 0) {
    out.push(
      `Labels of neighbouring days overlap (${h}-day horizon), so the ${report.testRows} test rows carry roughly ${Math.max(1, Math.round(report.testRows / h))} ` +
        'independent outcomes: score differences of a few hundredths are within noise.',
    );
  }
  for (const c of decision.comparisons ?? []) {
    const judged = c.judgedOn ?? ['balancedAccuracy', 'logLoss', 'brier'];
    for (const s of ['balancedAccuracy', 'logLoss', 'brier'] as const) {
      if (!judged.includes(s) && c[s] <= 0) {
        const i = s === 'balancedAccuracy' ? c.balancedAccuracyInterval : undefined;
        const how = i
          ? `90 % interval ${i.lower.toFixed(4)} .. ${i.upper.toFixed(4)}; on balanced accuracy the gate requires only that it is not significantly worse`
          : 'not judged by the gate: proper scoring rules only for probability forecasts';
        out.push(`It does not beat ${c.against} on ${SCORE_WORDS[s]} (${c[s].toFixed(4)}, ${how}).`);
      }
    }
  }
  if (report.method === 'random') {
    out.push('Evaluated on a random split: neighbouring days with almost the same features and labels fall on both sides, so the scores are flattered.');
  }
  if (a.calibration.method === 'none') out.push(`The probabilities are not calibrated: ${a.calibration.reason}.`);
  return out;
}

/** A bootstrap result as the card states it (NaN, where too few resamples were usable, as null). */
function differencesCard(d: ScoreDifferences | null | undefined): NonNullable<ModelCard['evaluation']['differences']>['har'] {
  if (!d) return null;
  const one = (e: DifferenceEstimate) => ({
    difference: e.difference,
    standardError: finiteOrNull(e.standardError),
    lower: finiteOrNull(e.lower),
    upper: finiteOrNull(e.upper),
    probabilityBetter: finiteOrNull(e.probabilityBetter),
  });
  return {
    dates: d.dates,
    blockLength: d.blockLength,
    resamples: d.resamples,
    seed: d.seed,
    balancedAccuracy: one(d.balancedAccuracy),
    logLoss: one(d.logLoss),
    brier: one(d.brier),
  };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Top-label reliability bins as rows: bounds, rows, mean confidence and accuracy (null for an empty bin). */
function reliabilityRows(b: WalkForwardReport['model']['reliability']): ModelCard['evaluation']['reliability'] {
  const k = b.count.length;
  return b.count.map((n, i) => ({
    from: i / k,
    to: (i + 1) / k,
    rows: n,
    meanConfidence: n > 0 ? b.confidence[i] / n : null,
    accuracy: n > 0 ? b.correct[i] / n : null,
  }));
}

/** The card of a trained model; see {@link ModelCardInput}. */
export function buildModelCard(input: ModelCardInput): ModelCard {
  const { artifact: a, report: r, decision: d } = input;
  const permutation = new Map(r.importance.permutation.map((p) => [p.feature, p]));
  const championComparison = input.champion ? d.comparisons?.find((c) => c.against === `champion ${input.champion!.version}`) : undefined;
  const ch = input.champion;
  return {
    format: MODEL_CARD_FORMAT,
    formatVersion: MODEL_CARD_FORMAT_VERSION,
    version: a.version ?? null,
    owner: input.owner,
    ...intendedUse(a),
    limitations: limitations(a, r, d),
    model: {
      classes: displayOrder(a.classes),
      features: a.featureNames,
      trees: a.options.trees,
      seed: a.options.seed,
      maxDepth: a.options.maxDepth,
      depthTuned: a.options.tuning !== null,
      minSamplesLeaf: a.options.minSamplesLeaf,
      calibration: {
        method: a.calibration.method,
        temperature: a.calibration.method === 'temperature' ? a.calibration.temperature : null,
        harWeight: a.calibration.harWeight,
        rows: a.calibration.rows,
      },
      libraries: a.libraries,
    },
    data: {
      rows: a.training.rows,
      from: a.training.from,
      to: a.training.to,
      fingerprint: a.training.fingerprint,
      symbols: a.training.symbols,
      classCounts: a.training.classCounts,
    },
    labelRule: a.labelRule,
    evaluation: {
      method: r.method,
      purgeGap: r.purgeGap,
      testRows: r.testRows,
      testFrom: r.testFrom,
      testTo: r.testTo,
      pooled: {
        model: scores(r.model),
        persistence: scoresOrNull(r.baselines.persistence),
        har: scoresOrNull(r.baselines.har),
        majority: scores(r.baselines.majority),
      },
      majorityPredicts: r.baselines.majority.predicts,
      folds: r.folds.map((f) => ({
        index: f.index,
        testFrom: f.testFrom,
        testTo: f.testTo,
        trainRows: f.trainRows,
        testRows: f.testRows,
        maxDepth: f.maxDepth,
        scores: { model: scores(f.model), persistence: scoresOrNull(f.persistence), har: scoresOrNull(f.har), majority: scores(f.majority) },
      })),
      foldsWon: r.foldsWon,
      differences: { persistence: differencesCard(r.differences?.persistence), har: differencesCard(r.differences?.har) },
      confusion: r.model.confusion,
      perClass: r.classes.map((c) => {
        const m = r.model.perClass[c];
        return { class: c, precision: m?.precision ?? 0, recall: m?.recall ?? 0, f1: m?.f1 ?? 0, support: m?.support ?? 0 };
      }),
      reliability: reliabilityRows(r.model.reliability),
      champion: ch
        ? {
            version: ch.version,
            basis: championComparison?.basis ?? (ch.rows > 0 ? `${ch.rows} rows from ${ch.from}` : 'recorded walk-forward scores'),
            rows: ch.rows,
            from: ch.from,
            champion: { balancedAccuracy: ch.scores.balancedAccuracy, logLoss: ch.scores.logLoss, brier: ch.scores.brier },
            challenger: { balancedAccuracy: ch.challenger.balancedAccuracy, logLoss: ch.challenger.logLoss, brier: ch.challenger.brier },
          }
        : null,
      notes: r.notes,
    },
    importance: {
      permutationMeasured: r.importance.permutation.length > 0,
      features: r.importance.impurity.map((i) => {
        const p = permutation.get(i.feature);
        return { feature: i.feature, impurity: i.importance, permutationMean: p ? p.mean : null, permutationStd: p ? p.std : null };
      }),
    },
    gate: {
      promote: d.promote,
      reason: d.reason,
      comparedFrom: d.comparedFrom,
      comparedRows: d.comparedRows,
      comparisons: (d.comparisons ?? []).map((c) => ({ ...c, judgedOn: c.judgedOn ?? ['balancedAccuracy', 'logLoss', 'brier'] })),
    },
    approval: input.approval,
  };
}

/** The card with the registry's current status in place of the one it was written with (what the API serves). */
export function withApproval(card: ModelCard, approval: ModelCardApproval): ModelCard {
  return { ...card, approval: { ...approval, requireApproval: approval.requireApproval ?? card.approval.requireApproval } };
}
