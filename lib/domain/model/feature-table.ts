/**
 * Feature tables as CSV: writing the dataset a data scientist trains on, and reading any
 * numeric CSV back into a labelled table for training or prediction.
 *
 * Column roles when reading: a column named `date` (any case) holds ISO dates and a column
 * named `symbol` (any case) holds instrument ids; both are identifiers, not features. The
 * target column holds class labels. Every other column (minus `drop`) is a numeric feature.
 */
import { TrainingDataError } from './errors.ts';
import { formatCsv, parseCsv } from '../../util/csv.ts';
import { classifyVolatility } from './labels.ts';
import type { LabeledTable } from './train.ts';
import type { ClassThresholds, TrainingSet } from './types.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dataset CSV: `date,symbol,<features...>,risk_level`, rows in (date, symbol) order. */
export function formatDatasetCsv(set: TrainingSet, thresholds: ClassThresholds, target = 'risk_level'): string {
  const header = ['date', 'symbol', ...set.featureNames, target];
  return formatCsv(
    header,
    set.rows.map((r) => [r.date, r.symbol, ...r.features, classifyVolatility(r.forwardVol, thresholds)]),
  );
}

export interface ReadTableOptions {
  /** Label column (default 'risk_level'). */
  target?: string;
  /** Extra columns to ignore. */
  drop?: readonly string[];
  /** Name of the input for messages. */
  source?: string;
  /** Label horizon in rows, for the persistence baseline from lagged labels (null: no baseline). */
  horizon?: number | null;
  /** When false the target column may be absent (prediction input). */
  requireTarget?: boolean;
  /** Only these feature columns, in this order (prediction input: the model's features). */
  features?: readonly string[];
}

export interface ReadTable extends LabeledTable {
  target: string;
  /** Rows without a target (prediction input) have y = []. */
  hasTarget: boolean;
}

function parseNumber(raw: string, row: number, column: string, source: string): number {
  const s = raw.trim();
  if (s === '' || /^nan$/i.test(s) || /^na$/i.test(s) || /^null$/i.test(s)) {
    throw new TrainingDataError(`${source}: row ${row}, column '${column}': missing value (${s === '' ? 'empty' : s})`, { row, column });
  }
  const v = Number(s);
  if (!Number.isFinite(v)) {
    throw new TrainingDataError(`${source}: row ${row}, column '${column}': '${raw}' is not a finite number`, { row, column });
  }
  return v;
}

/** Reads a CSV into a labelled numeric table; throws TrainingDataError naming the row/column at fault. */
export function readTable(text: string, opts: ReadTableOptions = {}): ReadTable {
  const source = opts.source ?? 'CSV';
  const target = opts.target ?? 'risk_level';
  const csv = parseCsv(text, source);
  const lower = csv.header.map((h) => h.toLowerCase());
  const dateCol = lower.indexOf('date');
  const symbolCol = lower.indexOf('symbol');
  const targetCol = csv.header.indexOf(target);
  const requireTarget = opts.requireTarget ?? true;
  if (targetCol < 0 && requireTarget) {
    throw new TrainingDataError(`${source}: no target column '${target}' (columns: ${csv.header.join(', ')}); choose one with --target`, {
      column: target,
    });
  }
  const drop = new Set(opts.drop ?? []);
  for (const d of drop) if (!csv.header.includes(d)) throw new TrainingDataError(`${source}: cannot drop column '${d}': no such column`, { column: d });
  let featureCols: number[];
  if (opts.features) {
    featureCols = opts.features.map((f) => {
      const j = csv.header.indexOf(f);
      if (j < 0) throw new TrainingDataError(`${source}: the model needs feature column '${f}', which is missing`, { column: f });
      return j;
    });
  } else {
    featureCols = csv.header.map((_, j) => j).filter((j) => j !== dateCol && j !== symbolCol && j !== targetCol && !drop.has(csv.header[j]));
  }
  if (featureCols.length === 0) throw new TrainingDataError(`${source}: no feature columns besides the target and id columns`);
  if (csv.rows.length === 0) throw new TrainingDataError(`${source}: no data rows`);

  const X: number[][] = [];
  const y: string[] = [];
  const dates: string[] = [];
  const symbols: string[] = [];
  csv.rows.forEach((r, i) => {
    const row = i + 1;
    X.push(featureCols.map((j) => parseNumber(r[j], row, csv.header[j], source)));
    if (targetCol >= 0) {
      const label = r[targetCol].trim();
      if (label === '' || /^nan$/i.test(label)) {
        throw new TrainingDataError(`${source}: row ${row}, column '${target}': missing label`, { row, column: target });
      }
      y.push(label);
    }
    if (dateCol >= 0) {
      const d = r[dateCol].trim();
      if (!ISO_DATE.test(d)) throw new TrainingDataError(`${source}: row ${row}, column '${csv.header[dateCol]}': '${d}' is not a YYYY-MM-DD date`, { row, column: csv.header[dateCol] });
      dates.push(d);
    }
    if (symbolCol >= 0) symbols.push(r[symbolCol].trim());
  });
  if (targetCol >= 0 && requireTarget) {
    const classes = [...new Set(y)];
    if (classes.length < 2) {
      throw new TrainingDataError(`${source}: the target column '${target}' has a single class ('${classes[0]}') in all ${y.length} rows; a classifier needs at least two`, {
        column: target,
      });
    }
  }
  const table: ReadTable = {
    target,
    hasTarget: targetCol >= 0,
    featureNames: featureCols.map((j) => csv.header[j]),
    X,
    y,
    dates: dateCol >= 0 ? dates : null,
    symbols: symbolCol >= 0 ? symbols : null,
    persisted: null,
  };
  if (table.hasTarget && opts.horizon) table.persisted = laggedLabels(table, opts.horizon);
  return table;
}

/**
 * Persistence from labels: each row gets the label of the same symbol's row `horizon` rows
 * earlier in date order (the realised level over the last `horizon` days, known today), or null
 * when there is none. Needs dates; without a symbol column the rows must be one instrument
 * (unique dates), else null.
 */
export function laggedLabels(table: LabeledTable, horizon: number): (string | null)[] | null {
  if (!table.dates) return null;
  const dates = table.dates;
  const symbols = table.symbols ?? dates.map(() => '');
  const groups = new Map<string, number[]>();
  symbols.forEach((s, i) => {
    const g = groups.get(s) ?? [];
    g.push(i);
    groups.set(s, g);
  });
  const out: (string | null)[] = table.y.map(() => null);
  for (const g of groups.values()) {
    g.sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : a - b));
    for (let p = 1; p < g.length; p++) if (dates[g[p]] === dates[g[p - 1]]) return null; // duplicate dates: not one series
    for (let p = horizon; p < g.length; p++) out[g[p]] = table.y[g[p - horizon]];
  }
  return out;
}
