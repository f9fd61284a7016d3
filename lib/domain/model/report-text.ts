/**
 * Human-readable text of a training set, of an evaluation (model and baselines side by side)
 * and of a model artifact, for the CLI and the `model-summary.txt` written next to a trained
 * model.
 */
import type { ModelArtifact } from './artifact.ts';
import { displayOrder } from './class-order.ts';
import type { DifferenceEstimate, ScoreDifferences } from './paired-bootstrap.ts';
import { type LabelRule, labelColumn, type TrainingRow, type TrainingSet } from './types.ts';
import type { BriefScores, FoldsWon, PooledScores, WalkForwardReport } from './walk-forward.ts';

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

const METHOD_TEXT = { 'walk-forward': 'walk-forward', time: 'time split', random: 'random split' } as const;

/** One fold's four headline scores: balanced accuracy / log loss / Brier / ECE. */
const quad = (m: BriefScores | null): string => (m ? `${f3(m.balancedAccuracy)} / ${f3(m.logLoss)} / ${f3(m.brier)} / ${f3(m.ece)}` : '-');

/** A difference with its standard error and 90 % interval, at `digits` decimals: "-0.011 ± 0.025 (90 % -0.052..+0.030)". */
function formatDifference(d: DifferenceEstimate, digits: number): string {
  const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(digits)}` : '-');
  return `${signed(d.difference)} ± ${Number.isFinite(d.standardError) ? d.standardError.toFixed(digits) : '-'} (90 % ${signed(d.lower)}..${signed(d.upper)})`;
}

/**
 * One line per baseline: the model's pooled differences (positive: the model is better) with
 * their block-bootstrap standard error and 90 % interval; none when the report has none.
 */
function formatDifferences(differences: WalkForwardReport['differences'] | undefined): string[] {
  const measured = (
    [
      ['persistence', differences?.persistence ?? null],
      ['HAR', differences?.har ?? null],
    ] as [string, ScoreDifferences | null][]
  ).filter((x): x is [string, ScoreDifferences] => x[1] !== null);
  if (measured.length === 0) return [];
  const { dates, blockLength, resamples } = measured[0][1];
  return [
    `Model minus baseline, pooled (positive: the model is better; ± standard error and 90 % interval from a paired block bootstrap over ${dates} test dates, blocks of ${blockLength}, ${resamples} resamples):`,
    ...measured.map(
      ([name, d]) =>
        `vs ${name}: balanced accuracy ${formatDifference(d.balancedAccuracy, 3)}, log loss ${formatDifference(d.logLoss, 4)}, Brier ${formatDifference(d.brier, 4)}`,
    ),
  ];
}

export function formatEvaluation(e: WalkForwardReport): string {
  const cols: [string, PooledScores | null][] = [
    ['model', e.model],
    ['persistence', e.baselines.persistence],
    ['HAR', e.baselines.har],
    [`majority (${e.baselines.majority.predicts})`, e.baselines.majority],
  ];
  const rows: string[][] = [['', ...cols.map(([n]) => n)]];
  const add = (label: string, get: (m: PooledScores) => number) => rows.push([label, ...cols.map(([, m]) => (m ? f3(get(m)) : '-'))]);
  add('accuracy', (m) => m.accuracy);
  add('balanced accuracy', (m) => m.balancedAccuracy);
  add('log loss', (m) => m.logLoss);
  add('Brier score', (m) => m.brier);
  add('calibration error (ECE)', (m) => m.ece);
  for (const c of e.classes) {
    add(`precision ${c}`, (m) => m.perClass[c]?.precision ?? NaN);
    add(`recall ${c}`, (m) => m.perClass[c]?.recall ?? NaN);
    add(`F1 ${c}`, (m) => m.perClass[c]?.f1 ?? NaN);
  }

  const period = (from: string | null, to: string | null) => (from ? ` (${from} .. ${to})` : '');
  const out: string[] = [];
  const k = e.folds.length;
  out.push(
    `Evaluation: ${METHOD_TEXT[e.method]}` +
      (e.method === 'walk-forward' ? `, ${k} folds (expanding window)` : '') +
      (e.purgeGap > 0 ? `, purge gap ${e.purgeGap} dates` : '') +
      `; ${e.testRows} test rows${period(e.testFrom, e.testTo)}; each fold's depth and calibration chosen on a purged slice of its own training period.`,
  );
  out.push('');
  out.push(k > 1 ? 'Pooled over the folds (out of sample):' : 'On the test rows (out of sample):');
  out.push(table(rows, ['l', 'r', 'r', 'r', 'r']));
  out.push('');
  out.push('Per fold: balanced accuracy / log loss / Brier / ECE (T: calibration temperature, HAR w: weight of HAR in the served probabilities)');
  out.push(
    table(
      [
        ['fold', 'test period', 'train rows', 'test rows', 'depth', 'T', 'HAR w', 'model', 'persistence', 'HAR', 'majority'],
        ...e.folds.map((f) => [
          String(f.index),
          f.testFrom ? `${f.testFrom} .. ${f.testTo}` : '-',
          String(f.trainRows),
          String(f.testRows),
          String(f.maxDepth ?? 'unlimited'),
          f.calibration.temperature === undefined ? '-' : f.calibration.temperature.toFixed(2),
          f.calibration.harWeight.toFixed(2),
          quad(f.model),
          quad(f.persistence),
          quad(f.har),
          quad(f.majority),
        ]),
      ],
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l', 'l'],
    ),
  );
  const wins = (name: string, w: FoldsWon | null) =>
    w ? `${name}: balanced accuracy ${w.balancedAccuracy}, log loss ${w.logLoss}, Brier ${w.brier}, all three ${w.all}` : `${name}: -`;
  out.push(
    `Folds won by the model (of ${k}): ${[wins('vs persistence', e.foldsWon.persistence), wins('vs HAR', e.foldsWon.har), wins('vs majority', e.foldsWon.majority)].join('; ')}`,
  );
  const differences = formatDifferences(e.differences);
  if (differences.length > 0) out.push('', ...differences);
  out.push('');
  out.push('Confusion matrix of the model, pooled (rows: true class, columns: predicted):');
  const cm = e.model.confusion;
  out.push(table([['', ...cm.labels], ...cm.labels.map((l, i) => [l, ...cm.matrix[i].map(String)])], ['l', ...cm.labels.map(() => 'r' as const)]));
  out.push(`Support (test rows per true class): ${e.classes.map((c) => `${c} ${e.model.perClass[c]?.support ?? 0}`).join(', ')}`);
  {
    out.push('');
    out.push(
      'Feature importance, mean over the folds (impurity: mean decrease in Gini on training; permutation: drop in test accuracy when shuffled, mean ± std):',
    );
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

/**
 * The HAR weight served where the forest is most trusted (inside the training range, t = 0):
 * 1 − (1 − w)(1 − c), c = k / (k + rows of the rarest class) (see HarTrust in ./calibration.ts).
 */
function minimumServedHarWeight(w: number, trust: { prior: number; rarestClassRows: number }): number {
  return 1 - (1 - w) * (1 - trust.prior / (trust.prior + trust.rarestClassRows));
}

export function formatArtifactSummary(a: ModelArtifact): string {
  const lines = [
    `riskfn model (format ${a.format} v${a.formatVersion}${a.version ? `, version ${a.version}` : ''})`,
    `classes: ${a.classes.join(', ')}`,
    `features (${a.featureNames.length}, in order): ${a.featureNames.join(', ')}`,
    `labels: ${formatLabelRule(a.labelRule)}`,
    `forest: ${a.options.trees} trees, seed ${a.options.seed}, max depth ${a.options.maxDepth ?? 'unlimited'}, min rows per leaf ${a.options.minSamplesLeaf}${a.options.tuning ? ' (depth tuned)' : ''} (${a.options.forest})`,
    `calibration: ${a.calibration.method === 'temperature' ? `temperature ${a.calibration.temperature.toFixed(3)}` : `none (${a.calibration.reason})`} on ${a.calibration.rows} rows, ` +
      `HAR weight ${a.calibration.harWeight.toFixed(3)} fitted` +
      (a.calibration.harTrust
        ? `, at least ${minimumServedHarWeight(a.calibration.harWeight, a.calibration.harTrust).toFixed(3)} served (more where the forecast lies in a sparse tail of the training rows, 1 beyond them)`
        : ''),
    formatEvaluationSummary(a),
    `refit on all labelled rows: ${a.training.rows} rows${a.training.from ? `, ${a.training.from} .. ${a.training.to}` : ''}; ` +
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

/** The artifact's evaluation in two lines: folds and pooled scores against the baselines. */
function formatEvaluationSummary(a: ModelArtifact): string {
  const e = a.evaluation;
  const p = e.pooled;
  const s = (name: string, m: BriefScores | null) => (m ? `${name} ${f3(m.balancedAccuracy)} / ${f3(m.logLoss)} / ${f3(m.brier)} / ${f3(m.ece)}` : `${name} -`);
  return (
    `evaluation: ${METHOD_TEXT[e.method]}, ${e.folds.length} fold${e.folds.length === 1 ? '' : 's'}, purge gap ${e.purgeGap}, ` +
    `${e.testRows} test rows${e.testFrom ? ` ${e.testFrom} .. ${e.testTo}` : ''}\n` +
    `  pooled balanced accuracy / log loss / Brier / ECE: ${[s('model', p.model), s('persistence', p.persistence), s('HAR', p.har), s('majority', p.majority)].join('; ')}`
  );
}
