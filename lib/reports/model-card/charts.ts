/**
 * The model card's charts as vega-lite specifications with their words and table alternatives
 * (rendered by the report kit's `renderChart`). Each takes numbers straight from the card
 * (lib/schemas/model-card.ts) and computes nothing; a chart without data says why instead.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ModelCard } from '../../schemas/model-card.ts';
import type { ChartInput } from '../chart.ts';
import { OKABE_ITO, SEQUENTIAL_SCHEME, SERIES_COLOURS } from '../palette.ts';

/** Predictor names as the page shows them, in the order the tables list them. */
export const PREDICTORS = [
  ['model', 'Model'],
  ['persistence', 'Persistence'],
  ['har', 'HAR'],
  ['majority', 'Majority class'],
] as const;

const SCORE_LABELS = [
  ['balancedAccuracy', 'Balanced accuracy ↑'],
  ['logLoss', 'Log loss (nats) ↓'],
  ['brier', 'Brier score ↓'],
  ['ece', 'ECE ↓'],
] as const;

/** Pooled scores of the model and every baseline the data provides, side by side. */
export function scoresChart(card: ModelCard): ChartInput {
  const p = card.evaluation.pooled;
  const values = SCORE_LABELS.flatMap(([key, score]) =>
    PREDICTORS.flatMap(([name, label]) => {
      const v = p[name]?.[key];
      return v === null || v === undefined ? [] : [{ score, predictor: label, value: v }];
    }),
  );
  const predictors = PREDICTORS.filter(([name]) => p[name] !== null).map(([, label]) => label);
  const spec: TopLevelSpec = {
    data: { values },
    height: 260,
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'score', type: 'nominal', title: 'Score', sort: SCORE_LABELS.map(([, s]) => s), axis: { labelAngle: 0 } },
      xOffset: { field: 'predictor', type: 'nominal', sort: predictors },
      y: { field: 'value', type: 'quantitative', title: 'Score (fraction; log loss in nats)' },
      color: { field: 'predictor', type: 'nominal', title: 'Predictor', sort: predictors, scale: { range: [...SERIES_COLOURS] } },
    },
  };
  return {
    id: 'chart-scores',
    title: 'Pooled scores: model against the baselines',
    description:
      `The model's pooled out-of-sample scores beside ${predictors.slice(1).join(', ')} on the same ${card.evaluation.testRows} test rows. ` +
      '↑: higher is better; ↓: lower is better.',
    spec,
    table: {
      caption: 'Pooled scores per predictor',
      columns: [{ label: 'Score' }, ...predictors.map((label) => ({ label, numeric: true }))],
      rows: SCORE_LABELS.map(([key, score]) => [score, ...PREDICTORS.filter(([name]) => p[name] !== null).map(([name]) => p[name]?.[key] ?? null)]),
    },
  };
}

/** The model's pooled confusion matrix as a heatmap with the counts written in the cells. */
export function confusionChart(card: ModelCard): ChartInput {
  const { labels, matrix } = card.evaluation.confusion;
  const values = labels.flatMap((t, i) => labels.map((p, j) => ({ truth: t, predicted: p, rows: matrix[i][j] })));
  const max = Math.max(1, ...values.map((v) => v.rows));
  const spec: TopLevelSpec = {
    data: { values },
    width: 380,
    height: 300,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: labels, title: 'Predicted class', axis: { labelAngle: 0 } },
      y: { field: 'truth', type: 'nominal', sort: labels, title: 'True class' },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: { color: { field: 'rows', type: 'quantitative', title: 'Test rows', scale: { scheme: SEQUENTIAL_SCHEME, domainMin: 0 } } },
      },
      {
        mark: { type: 'text', fontSize: 14, fontWeight: 600 },
        encoding: {
          text: { field: 'rows', type: 'quantitative', format: ',d' },
          // Dark cells get white numbers.
          color: { condition: { test: `datum.rows > ${max / 2}`, value: 'white' }, value: OKABE_ITO.black },
        },
      },
    ],
  };
  return {
    id: 'chart-confusion',
    title: 'Confusion matrix (pooled test rows)',
    description: 'Rows: the true risk level; columns: the level the model answered. The diagonal holds the correct answers.',
    spec,
    table: {
      caption: 'Confusion matrix: true class (rows) against predicted class (columns), test rows',
      columns: [{ label: 'True \\ predicted' }, ...labels.map((l) => ({ label: l, numeric: true }))],
      rows: labels.map((t, i) => [t, ...matrix[i].map((n) => ({ value: n, format: 'count' as const }))]),
    },
  };
}

/** Reliability diagram: accuracy against mean confidence per confidence bin, with the diagonal of perfect calibration. */
export function reliabilityChart(card: ModelCard): ChartInput | null {
  const bins = card.evaluation.reliability.filter((b) => b.rows > 0 && b.meanConfidence !== null && b.accuracy !== null);
  if (bins.length === 0) return null;
  const points = bins.map((b) => ({ confidence: b.meanConfidence, accuracy: b.accuracy, rows: b.rows }));
  const axis = { scale: { domain: [0, 1] } };
  const spec: TopLevelSpec = {
    width: 420,
    height: 360,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: OKABE_ITO.black, strokeWidth: 1 },
        encoding: { x: { field: 'x', type: 'quantitative', ...axis }, y: { field: 'y', type: 'quantitative', ...axis } },
      },
      {
        data: { values: points },
        mark: { type: 'line', point: { filled: true, size: 60 }, color: SERIES_COLOURS[0] },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'Mean confidence of the answered class (probability)', ...axis },
          y: { field: 'accuracy', type: 'quantitative', title: 'Share answered correctly (fraction)', ...axis },
        },
      },
    ],
  };
  return {
    id: 'chart-reliability',
    title: 'Reliability (calibration) diagram',
    description:
      `Each point is a confidence bin of the pooled test rows: how often the answered class came true against the probability given to it. ` +
      `Points on the dashed diagonal are perfectly calibrated (ECE ${card.evaluation.pooled.model.ece?.toFixed(3) ?? '—'}).`,
    spec,
    table: {
      caption: 'Reliability bins (top-label confidence, 10 equal-width bins; empty bins show —)',
      columns: [
        { label: 'Confidence bin' },
        { label: 'Rows', numeric: true },
        { label: 'Mean confidence', numeric: true },
        { label: 'Accuracy', numeric: true },
      ],
      rows: card.evaluation.reliability.map((b) => [
        `${b.from.toFixed(1)} – ${b.to.toFixed(1)}`,
        { value: b.rows, format: 'count' as const },
        { value: b.meanConfidence, digits: 3 },
        { value: b.accuracy, digits: 3 },
      ]),
    },
  };
}

/** Precision and recall per class (pooled test rows). */
export function perClassChart(card: ModelCard): ChartInput {
  const rows = card.evaluation.perClass;
  const values = rows.flatMap((c) => [
    { cls: c.class, metric: 'Precision', value: c.precision },
    { cls: c.class, metric: 'Recall', value: c.recall },
  ]);
  const classes = rows.map((c) => c.class);
  const spec: TopLevelSpec = {
    data: { values },
    width: 520,
    height: 260,
    mark: 'bar',
    encoding: {
      x: { field: 'cls', type: 'nominal', sort: classes, title: 'Class', axis: { labelAngle: 0 } },
      xOffset: { field: 'metric', type: 'nominal' },
      y: { field: 'value', type: 'quantitative', title: 'Precision / recall (fraction)', scale: { domain: [0, 1] } },
      color: { field: 'metric', type: 'nominal', title: 'Score', scale: { range: [SERIES_COLOURS[0], SERIES_COLOURS[1]] } },
    },
  };
  return {
    id: 'chart-per-class',
    title: 'Precision and recall per class',
    description: 'Precision: of the rows answered with a class, the share that had it. Recall: of the rows that had a class, the share answered with it.',
    spec,
    table: {
      caption: 'Per-class scores of the model (pooled test rows)',
      columns: [
        { label: 'Class' },
        { label: 'Precision', numeric: true },
        { label: 'Recall', numeric: true },
        { label: 'F1', numeric: true },
        { label: 'Support (rows)', numeric: true },
      ],
      rows: rows.map((c, i) => [
        c.class,
        { value: c.precision, digits: 3, key: `evaluation.perClass.${i}.precision` },
        { value: c.recall, digits: 3, key: `evaluation.perClass.${i}.recall` },
        { value: c.f1, digits: 3 },
        { value: c.support, format: 'count' as const },
      ]),
    },
  };
}

/** Impurity importance: mean decrease in Gini over the folds' forests, largest first. */
export function impurityChart(card: ModelCard): ChartInput {
  const features = [...card.importance.features].sort((a, b) => b.impurity - a.impurity);
  const spec: TopLevelSpec = {
    data: { values: features.map((f) => ({ feature: f.feature, value: f.impurity })) },
    width: 330,
    height: Math.max(120, 18 * features.length),
    mark: { type: 'bar', color: SERIES_COLOURS[0] },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: features.map((f) => f.feature), title: 'Feature' },
      x: { field: 'value', type: 'quantitative', title: 'Mean decrease in Gini (share, sums to 1)' },
    },
  };
  return {
    id: 'chart-importance-impurity',
    title: 'Feature importance: impurity (training)',
    description: 'How much each feature reduced the Gini impurity of the folds’ forests, averaged over the folds; measured on training rows.',
    spec,
    table: {
      caption: 'Impurity importance, largest first',
      columns: [{ label: 'Feature' }, { label: 'Impurity importance', numeric: true }],
      rows: features.map((f) => [f.feature, { value: f.impurity, digits: 4 }]),
    },
  };
}

/** Permutation importance: drop in test accuracy when a feature is shuffled (mean ± std), largest first; null when not measured. */
export function permutationChart(card: ModelCard): ChartInput | null {
  if (!card.importance.permutationMeasured) return null;
  const features = card.importance.features.filter((f) => f.permutationMean !== null).sort((a, b) => (b.permutationMean ?? 0) - (a.permutationMean ?? 0));
  const values = features.map((f) => ({
    feature: f.feature,
    mean: f.permutationMean,
    low: (f.permutationMean ?? 0) - (f.permutationStd ?? 0),
    high: (f.permutationMean ?? 0) + (f.permutationStd ?? 0),
  }));
  const y = { field: 'feature', type: 'nominal', sort: features.map((f) => f.feature), title: 'Feature' } as const;
  const spec: TopLevelSpec = {
    data: { values },
    width: 330,
    height: Math.max(120, 18 * features.length),
    layer: [
      {
        mark: { type: 'bar', color: SERIES_COLOURS[1] },
        encoding: { y, x: { field: 'mean', type: 'quantitative', title: 'Drop in test accuracy (fraction; mean ± std)' } },
      },
      { mark: { type: 'rule', color: OKABE_ITO.black }, encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
    ],
  };
  return {
    id: 'chart-importance-permutation',
    title: 'Feature importance: permutation (test rows)',
    description:
      'How much test accuracy fell when one feature was shuffled, mean and standard deviation over the shuffles, averaged over the folds; negative means the feature hurt out of sample.',
    spec,
    table: {
      caption: 'Permutation importance, largest first',
      columns: [{ label: 'Feature' }, { label: 'Mean drop', numeric: true }, { label: 'Std', numeric: true }],
      rows: features.map((f) => [f.feature, { value: f.permutationMean, digits: 4 }, { value: f.permutationStd, digits: 4 }]),
    },
  };
}
