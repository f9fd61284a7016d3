/**
 * The risk model's walk-forward table on whole data sets, measured the way a user would:
 * `riskfn dataset` then `riskfn train` with their defaults (the CLI itself is run, so nothing
 * here can differ from what the CLI and the workflow train), then the tables read from
 * `evaluation_metrics.json`: per fold and pooled, model vs persistence vs HAR vs majority,
 * balanced accuracy / log loss / Brier / expected calibration error, and the model's pooled
 * differences from persistence and HAR with their block-bootstrap standard error and 90 % interval.
 *
 *   npx tsx scripts/model-experiments.ts                      # eustock (data/sample) and dj30 (data/dj30)
 *   npx tsx scripts/model-experiments.ts --trees 30           # fewer trees while exploring
 *   npx tsx scripts/model-experiments.ts --set mine=path/to/dir   # any directory of price files
 *
 * Options: --set NAME=DIR (repeatable; replaces the default sets), --trees N,
 * --folds K (passed to `riskfn train` only when given), --out DIR (kept datasets and models;
 * default a temporary directory). Prints Markdown.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'riskfn.js');

interface Scores {
  balancedAccuracy: number;
  logLoss: number;
  brier: number;
  ece: number;
}
interface Fold {
  index: number;
  testFrom: string;
  testTo: string;
  trainRows: number;
  testRows: number;
  model: Scores;
  persistence: Scores;
  har: Scores;
  majority: Scores;
}
interface Difference {
  difference: number;
  standardError: number;
  lower: number;
  upper: number;
  probabilityBetter: number;
}
type Differences = Record<(typeof SCORES)[number], Difference> & { dates: number; blockLength: number; resamples: number };
interface Metrics {
  model: Scores;
  baselines: { persistence: Scores; har: Scores; majority: Scores };
  folds: Fold[];
  differences?: { persistence: Differences | null; har: Differences | null };
}

const PREDICTORS = ['model', 'persistence', 'har', 'majority'] as const;
const TITLES: Record<(typeof PREDICTORS)[number], string> = { model: 'model', persistence: 'persistence', har: 'HAR', majority: 'majority' };
const SCORES = ['balancedAccuracy', 'logLoss', 'brier'] as const;

function parseArgs(argv: string[]) {
  const o: { sets: [string, string][]; trees?: string; folds?: string; out?: string } = { sets: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--trees') o.trees = value;
    else if (flag === '--folds') o.folds = value;
    else if (flag === '--out') o.out = value;
    else if (flag === '--set') {
      const eq = value.indexOf('=');
      if (eq < 1) throw new Error(`--set wants NAME=DIR, got '${value}'`);
      o.sets.push([value.slice(0, eq), value.slice(eq + 1)]);
    } else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

const csvFiles = (dir: string, prefix = '') =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.csv') && f.startsWith(prefix))
    .sort()
    .map((f) => join(dir, f));

function riskfn(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`riskfn ${args[0]} failed (exit ${r.status}): ${r.stderr}`);
}

const f3 = (v: number) => v.toFixed(3);
const cell = (s: Scores) => `${f3(s.balancedAccuracy)} / ${f3(s.logLoss)} / ${f3(s.brier)} / ${f3(s.ece)}`;

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;
const diffCell = (d: Difference) =>
  `${signed(d.difference)} ± ${d.standardError.toFixed(4)} (${signed(d.lower)}..${signed(d.upper)}; P ${d.probabilityBetter.toFixed(2)})`;

function table(name: string, files: string[], m: Metrics): string[] {
  const head = `| fold | test period | train rows | test rows | ${PREDICTORS.map((p) => TITLES[p]).join(' | ')} |`;
  const lines = [
    `### ${name} (${files.length} price files)`,
    '',
    'balanced accuracy / log loss / Brier / ECE',
    '',
    head,
    `|${'---|'.repeat(4 + PREDICTORS.length)}`,
  ];
  for (const f of m.folds) {
    lines.push(`| ${f.index} | ${f.testFrom} .. ${f.testTo} | ${f.trainRows} | ${f.testRows} | ${PREDICTORS.map((p) => cell(f[p])).join(' | ')} |`);
  }
  const pooled = { model: m.model, ...m.baselines };
  const rows = m.folds.reduce((a, f) => a + f.testRows, 0);
  lines.push(`| pooled | ${m.folds[0].testFrom} .. ${m.folds.at(-1)!.testTo} | | ${rows} | ${PREDICTORS.map((p) => `**${cell(pooled[p])}**`).join(' | ')} |`);
  const beats = (b: 'persistence' | 'har') =>
    SCORES.map((s) => {
      const better = s === 'balancedAccuracy' ? m.model[s] > m.baselines[b][s] : m.model[s] < m.baselines[b][s];
      return `${s} ${better ? 'yes' : 'NO'}`;
    }).join(', ');
  lines.push('', `Pooled, the model beats persistence: ${beats('persistence')}; HAR: ${beats('har')}.`, '');
  const diffs = m.differences;
  if (diffs) {
    const any = diffs.har ?? diffs.persistence;
    if (any) {
      lines.push(
        `Model minus baseline (positive: the model is better), ± block-bootstrap standard error, 90 % interval, P(better); ` +
          `${any.dates} dates, blocks of ${any.blockLength}, ${any.resamples} resamples:`,
        '',
        '| against | balanced accuracy | log loss | Brier |',
        '|---|---|---|---|',
      );
    }
    for (const b of ['persistence', 'har'] as const) {
      const d = diffs[b];
      if (d) lines.push(`| ${TITLES[b]} | ${SCORES.map((s) => diffCell(d[s])).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const sets: [string, string[]][] =
    o.sets.length > 0
      ? o.sets.map(([name, dir]) => [name, csvFiles(dir)])
      : [
          ['eustock', csvFiles(join(ROOT, 'data', 'sample'), 'eustock_')],
          ['dj30', csvFiles(join(ROOT, 'data', 'dj30'))],
        ];
  const out = o.out ?? mkdtempSync(join(tmpdir(), 'riskfn-experiments-'));
  const trainExtra = [...(o.trees ? ['--trees', o.trees] : []), ...(o.folds ? ['--folds', o.folds] : [])];
  const lines = [`riskfn dataset FILES -o dataset.csv && riskfn train dataset.csv ${trainExtra.join(' ')}`.trimEnd(), ''];
  for (const [name, files] of sets) {
    if (files.length === 0) throw new Error(`no price files (*.csv) for ${name}`);
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    riskfn(['dataset', ...files, '-o', join(dir, 'dataset.csv')]);
    riskfn(['train', join(dir, 'dataset.csv'), '-o', join(dir, 'model'), ...trainExtra]);
    const metrics = JSON.parse(readFileSync(join(dir, 'model', 'evaluation_metrics.json'), 'utf8')) as Metrics;
    lines.push(...table(name, files, metrics));
  }
  lines.push(`(datasets and models in ${out})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
