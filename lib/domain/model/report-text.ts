/**
 * Human-readable text of a training set, of an evaluation (model and baselines side by side)
 * and of a model artifact, for the CLI and the `model-summary.txt` written next to a trained
 * model.
 */
import type { ModelArtifact } from './artifact.ts';
import { displayOrder } from './evaluation.ts';
import { type ClassificationMetrics, type EvaluationReport, type LabelRule, labelColumn, type TrainingRow, type TrainingSet } from './types.ts';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(3));

function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows
    .map((r) =>
      r
        .map((c, j) => (align[j] === 'l' ? c.padEnd(widths[j]) : c.padStart(widths[j])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatEvaluation(e: EvaluationReport): string {
  const cols: [string, ClassificationMetrics | null][] = [
    ['model', e.model],
    [`majority (${e.baselines.majority.predicts})`, e.baselines.majority],
    ['persistence', e.baselines.persistence],
  ];
  const rows: string[][] = [['', ...cols.map(([n]) => n)]];
  const add = (label: string, get: (m: ClassificationMetrics) => number) => rows.push([label, ...cols.map(([, m]) => (m ? f3(get(m)) : '-'))]);
  add('accuracy', (m) => m.accuracy);
  add('balanced accuracy', (m) => m.balancedAccuracy);
  add('log loss', (m) => m.logLoss);
  add('Brier score', (m) => m.brier);
  for (const c of e.classes) {
    add(`precision ${c}`, (m) => m.perClass[c]?.precision ?? NaN);
    add(`recall ${c}`, (m) => m.perClass[c]?.recall ?? NaN);
    add(`F1 ${c}`, (m) => m.perClass[c]?.f1 ?? NaN);
  }
  rows.push(['out-of-bag accuracy', f3(e.oobScore), '-', '-']);

  const period = (from: string | null, to: string | null) => (from ? ` (${from} .. ${to})` : '');
  const out: string[] = [];
  out.push(
    `Evaluation on ${e.testRows} test rows${period(e.testFrom, e.testTo)}; ${e.split} split` +
      (e.purgeGap > 0 ? `, purge gap ${e.purgeGap} dates` : '') +
      `; trained on ${e.trainRows} rows${period(e.trainFrom, e.trainTo)}.`,
  );
  out.push('');
  out.push(table(rows, ['l', 'r', 'r', 'r']));
  out.push('');
  out.push('Confusion matrix of the model (rows: true class, columns: predicted):');
  const cm = e.model.confusion;
  out.push(table([['', ...cm.labels], ...cm.labels.map((l, i) => [l, ...cm.matrix[i].map(String)])], ['l', ...cm.labels.map(() => 'r' as const)]));
  out.push(`Support (test rows per true class): ${e.classes.map((c) => `${c} ${e.model.perClass[c]?.support ?? 0}`).join(', ')}`);
  if (e.importance) {
    out.push('');
    out.push('Feature importance (impurity: mean decrease in Gini on training; permutation: drop in test accuracy when shuffled, mean ± std):');
    const perm = new Map(e.importance.permutation.map((p) => [p.feature, p]));
    const sorted = [...e.importance.impurity].sort(
      (a, b) => (perm.get(b.feature)?.mean ?? 0) - (perm.get(a.feature)?.mean ?? 0) || b.importance - a.importance,
    );
    out.push(
      table(
        [
          ['feature', 'impurity', 'permutation'],
          ...sorted.map((i) => {
            const p = perm.get(i.feature);
            return [i.feature, f3(i.importance), p ? `${f3(p.mean)} ± ${f3(p.std)}` : '-'];
          }),
        ],
        ['l', 'r', 'r'],
      ),
    );
  }
  if (e.notes.length > 0) {
    out.push('');
    for (const n of e.notes) out.push(`Note: ${n}`);
  }
  return out.join('\n');
}

/** One line saying how labels were made. */
function formatLabelRule(rule: LabelRule): string {
  if (rule.kind === 'given') {
    return `${rule.target}: labels as given${rule.horizon === null ? '' : `, looking ${rule.horizon} rows ahead`}`;
  }
  const t = rule.thresholds;
  const pct = (v: number) => `${Number((100 * v).toFixed(2))} %`;
  return `risk_level: ${rule.horizon}-day forward volatility (annualised); low <= ${pct(t.lowMax)} < medium <= ${pct(t.mediumMax)} < high`;
}

/** A few lines describing a training set: rows, instruments and period, features, labels, class counts. */
export function describeTrainingSet(set: TrainingSet): string[] {
  const symbols = [...new Set(set.rows.flatMap((r) => (r.symbol === null ? [] : [r.symbol])))].sort();
  const dated = set.rows.filter((r) => r.date !== null);
  const period = dated.length > 0 ? `, ${dated[0].date} .. ${dated[dated.length - 1].date}` : '';
  const classes = displayOrder(set.rows.map((r) => r.label));
  const counts = (rows: readonly TrainingRow[]) => classes.map((c) => `${c} ${rows.filter((r) => r.label === c).length}`).join(', ');
  const rule = set.labelRule;
  return [
    `${set.rows.length} rows, ${symbols.length} instruments (${symbols.join(', ')})${period}`,
    `features (${set.featureNames.length}): ${set.featureNames.join(', ')}`,
    formatLabelRule(rule),
    `${labelColumn(rule)} classes: ${counts(set.rows)}`,
  ];
}

export function formatArtifactSummary(a: ModelArtifact): string {
  const lines = [
    `riskfn model (format ${a.format} v${a.formatVersion}${a.version ? `, version ${a.version}` : ''})`,
    `classes: ${a.classes.join(', ')}`,
    `features (${a.featureNames.length}, in order): ${a.featureNames.join(', ')}`,
    `labels: ${formatLabelRule(a.labelRule)}`,
    `forest: ${a.options.trees} trees, seed ${a.options.seed}, max depth ${a.options.maxDepth ?? 'unlimited'}, min rows per leaf ${a.options.minSamplesLeaf}${a.options.tuning ? ' (depth tuned)' : ''} (${a.options.forest})`,
    `split: ${a.options.split}, test size ${a.options.testSize}, purge gap ${a.options.purgeGap}; test from ${a.testFrom ?? '-'}`,
    `training: ${a.training.rows} rows${a.training.from ? `, ${a.training.from} .. ${a.training.to}` : ''}; ` +
      `class counts ${Object.entries(a.training.classCounts)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ')}`,
    `symbols: ${a.training.symbols.length > 0 ? a.training.symbols.join(', ') : '-'}`,
    `training data fingerprint: ${a.training.fingerprint}`,
    `libraries: ${Object.entries(a.libraries)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}
