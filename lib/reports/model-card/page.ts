/**
 * The model card as one self-contained HTML page (report kit: inline CSS and SVG, no script, no
 * network). Everything on it is read from the card (lib/schemas/model-card.ts); the page formats
 * and never computes. The headline numbers carry `data-key` (the number's dotted path in the JSON
 * card, e.g. `evaluation.pooled.model.logLoss`) and `data-value` (its JSON value), so a reader's
 * tool or a test can check the page against `model-card.json`.
 */
import type { ModelCard } from '../../schemas/model-card.ts';
import { chartUnavailable, renderChart } from '../chart.ts';
import { formatPercent } from '../format.ts';
import { type Cell, dataTable, escapeHtml, jsonAttribute, page, type Section } from '../html.ts';
import { OKABE_ITO } from '../palette.ts';
import { confusionChart, impurityChart, PREDICTORS, perClassChart, permutationChart, reliabilityChart, scoresChart } from './charts.ts';

/** A long unbroken text (a fingerprint) allowed to wrap anywhere, so it never widens the page. */
const breakable = (text: string): string => `<code style="word-break:break-all">${escapeHtml(text)}</code>`;

const list = (items: readonly string[]): string => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

/** A value shown in running text that a test can find: `<span data-key data-value>`. */
const keyed = (key: string, value: number | string | boolean | null, text: string): string =>
  `<span data-key="${escapeHtml(key)}" data-value="${typeof value === 'boolean' ? String(value) : jsonAttribute(value)}">${escapeHtml(text)}</span>`;

const STATUS_WORDS: Record<ModelCard['approval']['status'], string> = {
  unregistered: 'not registered (trained with riskfn train)',
  candidate: 'candidate (trained, not yet promoted)',
  'awaiting-approval': 'awaiting approval',
  approved: 'approved, about to be promoted',
  champion: 'champion (serving)',
  retired: 'retired (was champion)',
  rejected: 'rejected by the promotion gate',
};

function badge(text: string, good: boolean): string {
  return `<span class="badge" style="color:${good ? OKABE_ITO.blue : OKABE_ITO.vermillion}">${escapeHtml(text)}</span>`;
}

function labelRuleText(card: ModelCard): string {
  const r = card.labelRule;
  if (r.kind === 'given') return `The '${r.target}' column as given${r.horizon === null ? '' : `, looking ${r.horizon} rows ahead`}.`;
  return (
    `Annualised volatility of the next ${r.horizon} daily returns: low ≤ ${formatPercent(r.thresholds.lowMax, 0)} < medium ≤ ` +
    `${formatPercent(r.thresholds.mediumMax, 0)} < high.`
  );
}

function overview(card: ModelCard): string {
  const a = card.approval;
  const rows: Cell[][] = [
    ['Version', { value: card.version, format: 'text', key: 'version', html: escapeHtml(card.version ?? 'unversioned (trained with riskfn train)') }],
    ['Owner', { value: card.owner, format: 'text', key: 'owner' }],
    [
      'Gate decision',
      {
        value: card.gate.promote ? 'passed' : 'rejected',
        format: 'text',
        html: badge(card.gate.promote ? 'passed the gate' : 'rejected by the gate', card.gate.promote),
      },
    ],
    ['Approval status', { value: a.status, format: 'text', key: 'approval.status', html: escapeHtml(STATUS_WORDS[a.status]) }],
    ['Training data', `${card.data.rows.toLocaleString('en-US')} rows${card.data.from ? `, ${card.data.from} .. ${card.data.to}` : ''}`],
    ['Instruments', card.data.symbols.length > 0 ? card.data.symbols.join(', ') : '—'],
    ['Data fingerprint', { value: card.data.fingerprint, format: 'text', key: 'data.fingerprint', html: breakable(card.data.fingerprint) }],
    ['Label', labelRuleText(card)],
  ];
  const m = card.evaluation.pooled.model;
  const headline: Cell[][] = (
    [
      ['Balanced accuracy', 'balancedAccuracy'],
      ['Log loss (nats)', 'logLoss'],
      ['Brier score', 'brier'],
      ['Calibration error (ECE)', 'ece'],
    ] as const
  ).map(([label, k]) => [label, { value: m[k], digits: 3, key: `evaluation.pooled.model.${k}` }]);
  return (
    dataTable({ caption: 'The model', columns: [{ label: 'Fact' }, { label: 'Value' }], rows }) +
    dataTable({
      caption: `Headline scores (out of sample, ${card.evaluation.testRows.toLocaleString('en-US')} test rows)`,
      columns: [{ label: 'Score' }, { label: 'Model', numeric: true }],
      rows: headline,
    }) +
    `<p>Promotion gate: ${escapeHtml(card.gate.reason)}.</p>`
  );
}

function scoreCell(v: number | null | undefined, key?: string): Cell {
  return { value: v ?? null, digits: 3, key };
}

async function evaluation(card: ModelCard): Promise<string> {
  const e = card.evaluation;
  const present = PREDICTORS.filter(([name]) => e.pooled[name] !== null);
  const pooled = dataTable({
    caption: `Pooled over ${e.folds.length} fold${e.folds.length === 1 ? '' : 's'} (${e.method}, purge gap ${e.purgeGap} dates; ${e.testRows} test rows${e.testFrom ? `, ${e.testFrom} .. ${e.testTo}` : ''})`,
    columns: [
      { label: 'Score' },
      ...present.map(([name, label]) => ({ label: name === 'majority' ? `${label} (${e.majorityPredicts})` : label, numeric: true })),
    ],
    rows: (
      [
        ['Accuracy', 'accuracy'],
        ['Balanced accuracy', 'balancedAccuracy'],
        ['Log loss', 'logLoss'],
        ['Brier score', 'brier'],
        ['ECE', 'ece'],
      ] as const
    ).map(([label, k]) => [label, ...present.map(([name]) => scoreCell(e.pooled[name]?.[k], name === 'model' ? undefined : `evaluation.pooled.${name}.${k}`))]),
  });
  const quad = (s: ModelCard['evaluation']['folds'][number]['scores']['model'] | null) =>
    s ? [s.balancedAccuracy, s.logLoss, s.brier, s.ece].map((v) => (v === null ? '—' : v.toFixed(3))).join(' / ') : '—';
  const folds = dataTable({
    caption: 'Per fold: balanced accuracy / log loss / Brier / ECE',
    columns: [
      { label: 'Fold', numeric: true },
      { label: 'Test period' },
      { label: 'Train rows', numeric: true },
      { label: 'Test rows', numeric: true },
      { label: 'Depth', numeric: true },
      ...present.map(([, label]) => ({ label })),
    ],
    rows: e.folds.map((f) => [
      { value: f.index, format: 'count' as const },
      f.testFrom ? `${f.testFrom} .. ${f.testTo}` : '—',
      { value: f.trainRows, format: 'count' as const },
      { value: f.testRows, format: 'count' as const },
      f.maxDepth === null ? 'unlimited' : String(f.maxDepth),
      ...present.map(([name]) => quad(f.scores[name])),
    ]),
  });
  const wonRows = (
    [
      ['Persistence', e.foldsWon.persistence],
      ['HAR', e.foldsWon.har],
      ['Majority class', e.foldsWon.majority],
    ] as const
  ).flatMap(([label, w]) => (w ? [[label, w.balancedAccuracy, w.logLoss, w.brier, w.all] as Cell[]] : []));
  const won = dataTable({
    caption: `Folds (of ${e.folds.length}) in which the model beat each baseline`,
    columns: [{ label: 'Against' }, ...['Balanced accuracy', 'Log loss', 'Brier', 'All three'].map((label) => ({ label, numeric: true }))],
    rows: wonRows.map((r) => r.map((c) => (typeof c === 'number' ? { value: c, format: 'count' as const } : c))),
  });
  const ch = e.champion;
  const champion = ch
    ? dataTable({
        caption: `Against the champion ${ch.version}: ${ch.basis}`,
        columns: [{ label: 'Score' }, { label: 'This model', numeric: true }, { label: `Champion ${ch.version}`, numeric: true }],
        rows: (
          [
            ['Balanced accuracy', 'balancedAccuracy'],
            ['Log loss', 'logLoss'],
            ['Brier score', 'brier'],
          ] as const
        ).map(([label, k]) => [
          label,
          scoreCell(ch.challenger[k], `evaluation.champion.challenger.${k}`),
          scoreCell(ch.champion[k], `evaluation.champion.champion.${k}`),
        ]),
      })
    : `<p class="note">No champion to compare with when this card was written: the model was judged against the baselines only.</p>`;
  return `${await renderChart(scoresChart(card))}${pooled}${differences(card)}${champion}${folds}${won}`;
}

const signed = (x: number | null, digits: number): string => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);

/** The model minus each baseline, pooled, with the bootstrap's standard error, 90 % interval and P(better). */
function differences(card: ModelCard): string {
  const all = card.evaluation.differences;
  const present = (
    [
      ['persistence', 'Persistence', all?.persistence ?? null],
      ['har', 'HAR', all?.har ?? null],
    ] as const
  ).filter((x) => x[2] !== null);
  if (present.length === 0) return '';
  const d0 = present[0][2]!;
  const rows = present.flatMap(([name, label, d]) =>
    (
      [
        ['Balanced accuracy', 'balancedAccuracy', 3],
        ['Log loss', 'logLoss', 4],
        ['Brier score', 'brier', 4],
      ] as const
    ).map(([score, k, digits]): Cell[] => {
      const e = d![k];
      const path = `evaluation.differences.${name}.${k}`;
      return [
        label,
        score,
        { value: e.difference, key: `${path}.difference`, html: escapeHtml(signed(e.difference, digits)) },
        { value: e.standardError, digits, key: `${path}.standardError` },
        `${signed(e.lower, digits)} .. ${signed(e.upper, digits)}`,
        { value: e.probabilityBetter, digits: 2, key: `${path}.probabilityBetter` },
      ];
    }),
  );
  return dataTable({
    caption:
      `How sure the differences are: the model minus each baseline (positive: the model is better), ± the standard error and 90 % interval ` +
      `of a paired block bootstrap over the ${d0.dates} test dates (blocks of ${d0.blockLength} dates, ${d0.resamples} resamples); ` +
      'P(better): the share of resamples in which the model is better',
    columns: [
      { label: 'Against' },
      { label: 'Score' },
      { label: 'Difference', numeric: true },
      { label: 'Standard error', numeric: true },
      { label: '90 % interval', numeric: true },
      { label: 'P(better)', numeric: true },
    ],
    rows,
  });
}

async function diagnostics(card: ModelCard): Promise<string> {
  const reliability = reliabilityChart(card);
  const rel = reliability
    ? await renderChart(reliability)
    : chartUnavailable({
        id: 'chart-reliability',
        title: 'Reliability (calibration) diagram',
        reason: 'No test rows were scored, so there is nothing to bin.',
      });
  return `<div class="grid2">${await renderChart(confusionChart(card))}${rel}</div>${await renderChart(perClassChart(card))}`;
}

async function importance(card: ModelCard): Promise<string> {
  const perm = permutationChart(card);
  const permutation = perm
    ? await renderChart(perm)
    : chartUnavailable({
        id: 'chart-importance-permutation',
        title: 'Feature importance: permutation (test rows)',
        reason: 'Permutation importance was not measured for this model (trained with 0 shuffles per feature).',
      });
  return `<div class="grid2">${await renderChart(impurityChart(card))}${permutation}</div>`;
}

/** How the gate judged a score it did not require strictly: non-inferior within its interval, or not at all. */
function judgement(c: ModelCard['gate']['comparisons'][number], s: 'balancedAccuracy' | 'logLoss' | 'brier'): string {
  if (c.judgedOn.includes(s)) return '';
  const i = c.balancedAccuracyInterval;
  if (s === 'balancedAccuracy' && i) {
    const worse = i.upper < 0 ? 'significantly worse' : 'not significantly worse';
    return ` <span class="note">(90 % ${escapeHtml(`${signed(i.lower, 4)} .. ${signed(i.upper, 4)}`)}: ${worse})</span>`;
  }
  return ' <span class="note">(not judged)</span>';
}

function gate(card: ModelCard): string {
  const g = card.gate;
  const judged = (c: ModelCard['gate']['comparisons'][number], s: 'balancedAccuracy' | 'logLoss' | 'brier', i: number): Cell => ({
    value: c[s],
    key: `gate.comparisons.${i}.${s}`,
    html: `${escapeHtml(signed(c[s], 4))}${judgement(c, s)}`,
  });
  const table = dataTable({
    caption: `Each comparison: the challenger's margin (positive: better) on ${g.comparedRows} rows from ${g.comparedFrom || '—'}`,
    columns: [
      { label: 'Against' },
      { label: 'Basis' },
      { label: 'Beaten' },
      { label: 'Balanced accuracy', numeric: true },
      { label: 'Log loss', numeric: true },
      { label: 'Brier', numeric: true },
    ],
    rows: g.comparisons.map((c, i) => [
      c.against,
      c.basis,
      { value: c.beaten ? 'yes' : 'no', format: 'text', html: badge(c.beaten ? 'yes' : 'no', c.beaten) },
      judged(c, 'balancedAccuracy', i),
      judged(c, 'logLoss', i),
      judged(c, 'brier', i),
    ]),
  });
  return (
    `<p>Decision: ${keyed('gate.promote', g.promote, g.promote ? 'promote' : 'do not promote')} — ${escapeHtml(g.reason)}.</p>${table}` +
    '<p class="note">The majority class must be beaten on all three scores; persistence, HAR and the champion on log loss and Brier ' +
    '(the proper scoring rules), strictly. On balanced accuracy the model must not be significantly worse than persistence or HAR ' +
    '(rejected when the whole 90 % interval of the difference is below 0; without an interval, persistence must be beaten strictly), ' +
    'nor than the champion on the rows both were scored on; against its recorded scores (other rows) it is shown, not judged.</p>'
  );
}

function approval(card: ModelCard): string {
  const a = card.approval;
  const source =
    a.source === 'registry'
      ? 'Read from the model registry when this page was made.'
      : 'As known when the card was written (before any approval or promotion).';
  return dataTable({
    caption: `Approval and promotion. ${source}`,
    columns: [{ label: 'Fact' }, { label: 'Value' }],
    rows: [
      ['Status', STATUS_WORDS[a.status]],
      ['Needs a person’s approval', a.requireApproval === null ? 'not known' : a.requireApproval ? 'yes' : 'no'],
      ['Approved by', a.approver ?? '—'],
      ['Approved at', a.approvedAt ?? '—'],
      ['Promoted to champion at', a.promotedAt ?? '—'],
    ],
  });
}

function dataAndModel(card: ModelCard): string {
  const d = card.data;
  const m = card.model;
  const classes = dataTable({
    caption: 'Training rows per class (the refit window)',
    columns: [{ label: 'Class' }, { label: 'Rows', numeric: true }, { label: 'Share', numeric: true }],
    rows: m.classes.map((c) => {
      const n = d.classCounts[c] ?? 0;
      return [
        c,
        { value: n, format: 'count' as const, key: `data.classCounts.${c}` },
        { value: d.rows > 0 ? n / d.rows : null, format: 'percent' as const, digits: 1 },
      ];
    }),
  });
  const facts = dataTable({
    caption: 'Data window, features and training options',
    columns: [{ label: 'Fact' }, { label: 'Value' }],
    rows: [
      ['Rows (refit on all labelled rows)', { value: d.rows, format: 'count', key: 'data.rows' }],
      ['First date', { value: d.from, format: 'text', key: 'data.from' }],
      ['Last date', { value: d.to, format: 'text', key: 'data.to' }],
      ['Fingerprint (SHA-256 of the rows)', { value: d.fingerprint, format: 'text', html: breakable(d.fingerprint) }],
      ['Label rule', labelRuleText(card)],
      [`Features (${m.features.length}, in order)`, m.features.join(', ')],
      [
        'Forest',
        `${m.trees} trees, seed ${m.seed}, max depth ${m.maxDepth ?? 'unlimited'}${m.depthTuned ? ' (tuned)' : ''}, min rows per leaf ${m.minSamplesLeaf}`,
      ],
      [
        'Calibration',
        `${m.calibration.method === 'temperature' ? `temperature ${m.calibration.temperature?.toFixed(3)}` : 'none'} on ${m.calibration.rows} rows; HAR weight ${m.calibration.harWeight.toFixed(3)}`,
      ],
      [
        'Libraries',
        Object.entries(m.libraries)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
    ],
  });
  return facts + classes;
}

/** The card as a complete HTML document. */
export async function renderModelCardHtml(card: ModelCard): Promise<string> {
  const sections: Section[] = [
    { id: 'overview', title: 'Overview', body: overview(card) },
    { id: 'use', title: 'Intended use', body: `<h3>Intended use</h3>${list(card.intendedUse)}<h3>Out of scope</h3>${list(card.outOfScope)}` },
    { id: 'data', title: 'Data and model', body: dataAndModel(card) },
    { id: 'evaluation', title: 'Evaluation vs baselines', body: await evaluation(card) },
    { id: 'diagnostics', title: 'Confusion and calibration', body: await diagnostics(card) },
    { id: 'importance', title: 'Importance', body: await importance(card) },
    { id: 'gate', title: 'Promotion gate', body: gate(card) },
    { id: 'approval', title: 'Approval', body: approval(card) },
    {
      id: 'limitations',
      title: 'Limitations',
      body: list(card.limitations) + (card.evaluation.notes.length > 0 ? `<h3>Notes from the evaluation</h3>${list(card.evaluation.notes)}` : ''),
    },
  ];
  return page({
    title: `Model card${card.version ? `: ${card.version}` : ''}`,
    subtitle: `riskfn risk-level model · ${card.model.classes.join(' / ')} · owner ${card.owner}`,
    facts: [
      ['Card format', `${card.format} v${card.formatVersion}`],
      ['Trained on', `${card.data.rows.toLocaleString('en-US')} rows${card.data.from ? `, ${card.data.from} .. ${card.data.to}` : ''}`],
    ],
    sections,
    footer:
      'Scores are out of sample (walk-forward test rows), fractions except log loss (nats per row); Brier is the multi-class sum (0 to 2); ' +
      'ECE over 10 equal-width confidence bins. Every number on this page is read from the JSON card (model-card.json); ' +
      'cells marked with data-key hold the exact value.',
  });
}
