/**
 * Classification scores from hard predictions and class probabilities. Conventions follow
 * scikit-learn where it has the metric: precision/recall/F1 are 0 when undefined
 * (zero_division=0); balanced accuracy averages recall over the classes present in `yTrue`;
 * log loss clips probabilities to [1e-15, 1]. Brier is the original multi-class form
 * Σ_k (p_k − o_k)² averaged over rows (scikit-learn only has the binary form).
 */
import type { ClassificationMetrics, ClassMetrics } from './types.ts';

const LOG_LOSS_EPS = 1e-15;

/**
 * @param classes  column order of `proba`
 * @param yTrue    true labels (each must be in `classes`)
 * @param yPred    predicted labels
 * @param proba    per row, probabilities in `classes` order
 */
export function classificationMetrics(
  classes: readonly string[],
  yTrue: readonly string[],
  yPred: readonly string[],
  proba: readonly (readonly number[])[],
): ClassificationMetrics {
  const k = classes.length;
  const index = new Map(classes.map((c, i) => [c, i]));
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logLoss = 0;
  let brier = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const t = index.get(yTrue[r]);
    const p = index.get(yPred[r]);
    if (t === undefined) throw new RangeError(`true label '${yTrue[r]}' is not one of ${classes.join(', ')}`);
    if (p === undefined) throw new RangeError(`predicted label '${yPred[r]}' is not one of ${classes.join(', ')}`);
    matrix[t][p] += 1;
    const row = proba[r];
    logLoss -= Math.log(Math.min(1, Math.max(LOG_LOSS_EPS, row[t])));
    for (let j = 0; j < k; j++) brier += (row[j] - (j === t ? 1 : 0)) ** 2;
  }
  return metricsFromCounts(classes, matrix, logLoss, brier);
}

/**
 * The metrics of rows summarised by their confusion matrix and their summed log loss and Brier
 * score: what {@link classificationMetrics} reports, and how folds pool exactly (sum the
 * matrices and the sums).
 */
export function metricsFromCounts(
  classes: readonly string[],
  matrix: readonly (readonly number[])[],
  logLossSum: number,
  brierSum: number,
): ClassificationMetrics {
  const k = classes.length;
  let n = 0;
  let correct = 0;
  for (let i = 0; i < k; i++) {
    correct += matrix[i][i];
    for (let j = 0; j < k; j++) n += matrix[i][j];
  }
  const perClass: Record<string, ClassMetrics> = {};
  let recallSum = 0;
  let present = 0;
  for (let i = 0; i < k; i++) {
    const tp = matrix[i][i];
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[classes[i]] = { precision, recall, f1, support };
    if (support > 0) {
      recallSum += recall;
      present += 1;
    }
  }
  return {
    accuracy: n > 0 ? correct / n : NaN,
    balancedAccuracy: present > 0 ? recallSum / present : NaN,
    logLoss: n > 0 ? logLossSum / n : NaN,
    brier: n > 0 ? brierSum / n : NaN,
    perClass,
    confusion: { labels: [...classes], matrix: matrix.map((r) => [...r]) },
  };
}

/** The metrics of the union of several scored row sets with the same classes (exact, not an average of averages). */
export function poolMetrics(list: readonly ClassificationMetrics[]): ClassificationMetrics {
  const classes = list[0].confusion.labels;
  const k = classes.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let logLoss = 0;
  let brier = 0;
  for (const m of list) {
    if (m.confusion.labels.join('\u0000') !== classes.join('\u0000')) throw new RangeError('poolMetrics: the metrics have different classes');
    let n = 0;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        matrix[i][j] += m.confusion.matrix[i][j];
        n += m.confusion.matrix[i][j];
      }
    if (n > 0) {
      logLoss += m.logLoss * n;
      brier += m.brier * n;
    }
  }
  return metricsFromCounts(classes, matrix, logLoss, brier);
}
