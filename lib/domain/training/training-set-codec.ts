/**
 * How a training set is stored, by `riskfn dataset` and by the training workflow alike: a CSV
 * table (`date,symbol,<features...>,<label>`, the table people open in a spreadsheet or pandas)
 * and a small JSON meta file saying how the labels were made. `riskfn dataset -o dataset.csv`
 * writes the two as `dataset.csv` and `dataset.meta.json`; the workflow stores the same meta
 * and rows in a binary columnar object (training-set-binary.ts: a CSV of a 500-symbol set would
 * not fit in one string). Both decode into the same TrainingSet, number for number (tested), so
 * `riskfn train` and the workflow's Train step train on exactly the same thing.
 *
 * A CSV without a meta file (any numeric table with a label column) decodes too: its labels are
 * taken as given.
 */
import * as z from 'zod';
import type { ScoreSummary } from '../../schemas/training-state.ts';
import { formatCsvChunks } from '../../util/csv.ts';
import { LabelRuleSchema } from '../model/artifact.ts';
import { TRAIN_DEFAULTS } from '../model/defaults.ts';
import { TrainingDataError } from '../model/errors.ts';
import { readTable } from '../model/feature-table.ts';
import { type LabelRule, labelColumn, RISK_LEVEL_COLUMN, RISK_LEVELS, type TrainingRow, type TrainingSet } from '../model/types.ts';
import type { WalkForwardReport } from '../model/walk-forward.ts';
import { decodeBinaryTrainingSet, encodeBinaryTrainingSet, isBinaryTrainingSet } from './training-set-binary.ts';

const DATASET_FORMAT = 'riskfn-dataset';
/** Bumped when an older reader would mis-read a dataset's files. */
const DATASET_FORMAT_VERSION = 2;

const DatasetMetaSchema = z.object({
  format: z.literal(DATASET_FORMAT),
  formatVersion: z.literal(DATASET_FORMAT_VERSION),
  labelRule: LabelRuleSchema,
  /** Symbol of the benchmark behind the beta feature, if any. */
  benchmark: z.string().nullable(),
});

/** The meta file of a dataset: how its labels were made. */
export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;

/**
 * Columns after the label of a risk-level dataset: the realised volatilities behind the HAR
 * baseline and the label (RowVolatility). Never features: `forward_vol` is the future the label
 * classes. The decoder always keeps the four apart from the feature columns, with or without a
 * meta file, so a table read as a generic one cannot train on its own answer.
 */
const VOLATILITY_COLUMNS = ['rv_daily', 'rv_weekly', 'rv_monthly', 'forward_vol'] as const;

/** `dataset.csv` → `dataset.meta.json`. */
export function metaPathFor(csvPath: string): string {
  return csvPath.replace(/(\.csv)?$/i, '.meta.json');
}

/**
 * The two texts of a training set: the table (CSV; `date` and `symbol` columns when the rows
 * have them, numbers in shortest round-trip form, so decoding gives back the same numbers)
 * and the meta file (JSON).
 */
export function encodeTrainingSet(set: TrainingSet): { table: string; meta: string } {
  const { table, meta } = encodeTrainingSetChunks(set);
  return { table: table.join(''), meta };
}

/**
 * {@link encodeTrainingSet} with the table in pieces of whole lines, to be written one after
 * another: the table of a few hundred symbols over ten years is longer than one string can be.
 */
export function encodeTrainingSetChunks(set: TrainingSet): { table: string[]; meta: string } {
  const withDate = set.rows.some((r) => r.date !== null);
  const withSymbol = set.rows.some((r) => r.symbol !== null);
  const withVolatility = set.labelRule.kind === 'volatility-bands' && set.rows.length > 0 && set.rows.every((r) => r.volatility !== undefined);
  const header = [
    ...(withDate ? ['date'] : []),
    ...(withSymbol ? ['symbol'] : []),
    ...set.featureNames,
    labelColumn(set.labelRule),
    ...(withVolatility ? VOLATILITY_COLUMNS : []),
  ];
  const rows = set.rows.map((r) => {
    const v = r.volatility;
    return [
      ...(withDate ? [r.date ?? ''] : []),
      ...(withSymbol ? [r.symbol ?? ''] : []),
      ...r.features,
      r.label,
      ...(withVolatility && v ? [v.daily, v.weekly, v.monthly, v.forward] : []),
    ];
  });
  return { table: formatCsvChunks(header, rows), meta: `${JSON.stringify(metaOf(set), null, 2)}\n` };
}

export interface DecodeOptions {
  /** Name of the table in messages (e.g. its path); the meta file is named after it. */
  source?: string;
  /** Label column. With a meta file naming another label column, the meta file does not apply. */
  target?: string;
  /** Columns to ignore. */
  drop?: readonly string[];
  /**
   * Rows a given label looks ahead (0: none): the purge gap and the persistence lag of a table
   * without a meta file (default TRAIN_DEFAULTS.horizon). With a meta file it must agree with it.
   */
  horizon?: number;
}

/**
 * Decodes a table (CSV text, or its pieces of whole lines, the first with the header) and its
 * meta file (JSON text, or null when there is none) into a TrainingSet. Throws TrainingDataError
 * naming the file, row and column at fault.
 */
export function decodeTrainingSet(table: string | readonly string[], meta: string | null, opts: DecodeOptions = {}): TrainingSet {
  const metaSource = opts.source ? metaPathFor(opts.source) : 'the dataset meta file';
  return decode(table, meta === null ? null : parseJson(meta, metaSource), metaSource, opts);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TrainingDataError(`${source} is not valid JSON (corrupt or truncated?): ${(err as Error).message}`, {}, { cause: err });
  }
}

function parseMeta(json: unknown, source: string): DatasetMeta {
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if ((json as { format?: unknown } | null)?.format === DATASET_FORMAT && version !== DATASET_FORMAT_VERSION) {
    throw new TrainingDataError(
      `${source}: dataset format version ${JSON.stringify(version)} is not supported (this riskfn reads ${DATASET_FORMAT_VERSION}); rebuild the dataset`,
    );
  }
  const parsed = DatasetMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainingDataError(`${source} is not a riskfn dataset meta file: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

function decode(table: string | readonly string[], metaJson: unknown | null, metaSource: string, opts: DecodeOptions): TrainingSet {
  const source = opts.source ?? 'dataset';
  const meta = metaJson === null ? null : parseMeta(metaJson, metaSource);
  const applies = meta !== null && (opts.target === undefined || opts.target === labelColumn(meta.labelRule));
  let rule: LabelRule;
  if (applies) {
    rule = meta.labelRule;
    if (opts.horizon !== undefined && opts.horizon !== (rule.horizon ?? 0)) {
      throw new TrainingDataError(
        `${source}: its labels look ${rule.horizon ?? 0} rows ahead (${metaSource}); a horizon of ${opts.horizon} cannot change them: rebuild the dataset instead`,
      );
    }
  } else {
    const horizon = opts.horizon ?? TRAIN_DEFAULTS.horizon;
    if (!Number.isInteger(horizon) || horizon < 0) throw new TrainingDataError(`the label horizon must be an integer >= 0, got ${horizon}`);
    rule = { kind: 'given', target: opts.target ?? RISK_LEVEL_COLUMN, horizon: horizon > 0 ? horizon : null };
  }
  // The header line is enough to know whether the volatility columns are there (riskfn writes them unquoted).
  const header = (typeof table === 'string' ? table : (table[0] ?? ''))
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]
    .split(',')
    .map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const volatilityColumns = VOLATILITY_COLUMNS.every((c) => header.includes(c));
  // One pass over the table: the volatility columns of a risk-level set come back apart from the features; otherwise they are dropped.
  const withVolatility = volatilityColumns && rule.kind === 'volatility-bands';
  const t = readTable(table, {
    source,
    target: labelColumn(rule),
    drop: [...(opts.drop ?? []), ...(volatilityColumns && !withVolatility ? VOLATILITY_COLUMNS : [])],
    ...(withVolatility && { extra: VOLATILITY_COLUMNS }),
  });
  const y = t.y!;
  const vol = withVolatility ? t.extra! : null;
  if (rule.kind === 'volatility-bands') {
    if (!t.dates || !t.symbols) throw new TrainingDataError(`${source}: a risk-level dataset needs its 'date' and 'symbol' columns`);
    checkRiskLevels(y, source);
  }
  const set: TrainingSet = {
    labelRule: rule,
    featureNames: t.featureNames,
    rows: t.X.map((features, i) => {
      const row: TrainingRow = { symbol: t.symbols?.[i] ?? null, date: t.dates?.[i] ?? null, features, label: y[i] };
      if (vol) row.volatility = { daily: vol[i][0], weekly: vol[i][1], monthly: vol[i][2], forward: vol[i][3] };
      return row;
    }),
  };
  if (applies && meta.benchmark !== null) set.benchmark = meta.benchmark;
  return set;
}

/** Every label of a risk-level set is a risk level; else the first row that is not, named. */
function checkRiskLevels(labels: readonly string[], source: string): void {
  const bad = labels.findIndex((v) => !(RISK_LEVELS as readonly string[]).includes(v));
  if (bad >= 0)
    throw new TrainingDataError(`${source}: row ${bad + 1}, column '${RISK_LEVEL_COLUMN}': '${labels[bad]}' is not one of ${RISK_LEVELS.join(', ')}`, {
      row: bad + 1,
      column: RISK_LEVEL_COLUMN,
    });
}

/** The meta of a set, as its meta file holds it. */
function metaOf(set: TrainingSet): DatasetMeta {
  return { format: DATASET_FORMAT, formatVersion: DATASET_FORMAT_VERSION, labelRule: set.labelRule, benchmark: set.benchmark ?? null };
}

/** The training set as the workflow stores it: binary and columnar (training-set-binary.ts), with its meta. */
export function serializeTrainingSet(set: TrainingSet): Uint8Array {
  return encodeBinaryTrainingSet(set, metaOf(set));
}

/**
 * Decodes what {@link serializeTrainingSet} wrote, or the one JSON text (the meta with the CSV
 * table in `table`) that runs before the binary form stored, so the lineage of older models still
 * reads their sets. A truncated or foreign object fails loudly.
 */
export function parseTrainingSet(bytes: Uint8Array): TrainingSet {
  const source = 'stored training set';
  if (!isBinaryTrainingSet(bytes)) {
    const json = parseJson(new TextDecoder().decode(bytes), source);
    const { table, ...meta } = (json ?? {}) as { table?: unknown };
    if (typeof table !== 'string') throw new TrainingDataError(`${source} has no table`);
    return decode(table, meta, source, { source });
  }
  const stored = decodeBinaryTrainingSet(bytes, source);
  const meta = parseMeta(stored.meta, source);
  if (meta.labelRule.kind === 'volatility-bands') {
    const undated = stored.rows.findIndex((r) => r.date === null || r.symbol === null);
    if (undated >= 0) throw new TrainingDataError(`${source}: row ${undated + 1} of a risk-level set has no date or symbol`);
    checkRiskLevels(
      stored.rows.map((r) => r.label),
      source,
    );
  }
  const set: TrainingSet = { labelRule: meta.labelRule, featureNames: stored.featureNames, rows: stored.rows };
  if (meta.benchmark !== null) set.benchmark = meta.benchmark;
  return set;
}

/** What the workflow state records about a training set. */
export function summarizeTrainingSet(set: TrainingSet): { rows: number; symbols: string[]; from: string; to: string } {
  const symbols = [...new Set(set.rows.flatMap((r) => (r.symbol === null ? [] : [r.symbol])))].sort();
  return { rows: set.rows.length, symbols, from: set.rows[0]?.date ?? '', to: set.rows.at(-1)?.date ?? '' };
}

/** The few evaluation numbers that travel in the workflow state and the registry: the pooled out-of-sample scores. */
export function scoreSummary(e: WalkForwardReport): ScoreSummary {
  return {
    accuracy: e.model.accuracy,
    balancedAccuracy: e.model.balancedAccuracy,
    logLoss: e.model.logLoss,
    brier: e.model.brier,
    ece: e.model.ece,
    folds: e.folds.length,
    testRows: e.testRows,
    testFrom: e.testFrom ?? '',
  };
}
