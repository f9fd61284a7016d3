/**
 * Reading a numeric feature table from CSV: a training set's table (training-set-codec.ts)
 * or the rows to predict.
 *
 * Column roles: a column named `date` (any case) holds ISO dates and a column named `symbol`
 * (any case) holds instrument ids; both are identifiers, not features. The target column holds
 * class labels. Every other column (minus `drop`) is a numeric feature. Errors are
 * TrainingDataErrors naming the 1-based data row and the column.
 */
import { CsvError, type CsvTable, parseCsvPieces } from '../../util/csv.ts';
import { TrainingDataError } from './errors.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ReadTableOptions {
  /** Label column; null when the rows have no labels (prediction input). */
  target: string | null;
  /** Columns to ignore. */
  drop?: readonly string[];
  /** Name of the input in messages. */
  source?: string;
  /** Only these feature columns, in this order (prediction input: the model's features). */
  features?: readonly string[];
  /** Numeric columns read apart from the features (never features), in this order: `extra`. */
  extra?: readonly string[];
}

export interface FeatureTable {
  featureNames: string[];
  X: number[][];
  /** Labels; null when read without a target. */
  y: string[] | null;
  /** Row dates (ISO), or null when the table has no date column. */
  dates: string[] | null;
  symbols: string[] | null;
  /** The `extra` columns' values per row, when asked for. */
  extra?: number[][];
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

/**
 * Reads a CSV into a numeric table; throws TrainingDataError naming the row/column at fault. The
 * text may come in pieces of whole lines (the first with the header), for files longer than one
 * string can be: each piece's text fields become numbers before the next is parsed, so the
 * strings of only one piece are held at a time.
 */
export function readTable(text: string | readonly string[], opts: ReadTableOptions): FeatureTable {
  const source = opts.source ?? 'CSV';
  const { target } = opts;
  const pieces = tablePieces(typeof text === 'string' ? [text] : text, source);
  const first = pieces.next().value as CsvTable;
  const header = first.header;
  const lower = header.map((h) => h.toLowerCase());
  const dateCol = lower.indexOf('date');
  const symbolCol = lower.indexOf('symbol');
  const targetCol = target === null ? -1 : header.indexOf(target);
  if (target !== null && targetCol < 0) {
    throw new TrainingDataError(`${source}: no target column '${target}' (columns: ${header.join(', ')}); choose one with --target`, { column: target });
  }
  const drop = new Set(opts.drop ?? []);
  for (const d of drop) if (!header.includes(d)) throw new TrainingDataError(`${source}: cannot drop column '${d}': no such column`, { column: d });
  const extraCols = (opts.extra ?? []).map((c) => {
    const j = header.indexOf(c);
    if (j < 0) throw new TrainingDataError(`${source}: no column '${c}'`, { column: c });
    return j;
  });
  const featureCols = opts.features
    ? opts.features.map((f) => {
        const j = header.indexOf(f);
        if (j < 0) throw new TrainingDataError(`${source}: the model needs feature column '${f}', which is missing`, { column: f });
        return j;
      })
    : header.map((_, j) => j).filter((j) => j !== dateCol && j !== symbolCol && j !== targetCol && !drop.has(header[j]) && !extraCols.includes(j));
  if (featureCols.length === 0) throw new TrainingDataError(`${source}: no feature columns besides the target and id columns`);

  const X: number[][] = [];
  const extra: number[][] = [];
  const y: string[] = [];
  const dates: string[] = [];
  const symbols: string[] = [];
  const add = (rows: readonly string[][]) => {
    for (const r of rows) {
      const row = X.length + 1;
      X.push(featureCols.map((j) => parseNumber(r[j], row, header[j], source)));
      if (extraCols.length > 0) extra.push(extraCols.map((j) => parseNumber(r[j], row, header[j], source)));
      if (targetCol >= 0) {
        const label = r[targetCol].trim();
        if (label === '' || /^nan$/i.test(label))
          throw new TrainingDataError(`${source}: row ${row}, column '${target}': missing label`, { row, column: target! });
        y.push(label);
      }
      if (dateCol >= 0) {
        const d = r[dateCol].trim();
        if (!ISO_DATE.test(d))
          throw new TrainingDataError(`${source}: row ${row}, column '${header[dateCol]}': '${d}' is not a YYYY-MM-DD date`, {
            row,
            column: header[dateCol],
          });
        dates.push(d);
      }
      if (symbolCol >= 0) symbols.push(r[symbolCol].trim());
    }
  };
  add(first.rows);
  for (const piece of pieces) add(piece.rows);
  if (X.length === 0) throw new TrainingDataError(`${source}: no data rows`);
  const classes = [...new Set(y)];
  if (target !== null && classes.length < 2) {
    throw new TrainingDataError(
      `${source}: the target column '${target}' has a single class ('${classes[0]}') in all ${y.length} rows; a classifier needs at least two`,
      {
        column: target,
      },
    );
  }
  return {
    featureNames: featureCols.map((j) => header[j]),
    X,
    y: target === null ? null : y,
    dates: dateCol >= 0 ? dates : null,
    symbols: symbolCol >= 0 ? symbols : null,
    ...(extraCols.length > 0 && { extra }),
  };
}

/** The tables of the pieces (parseCsvPieces yields at least one), CSV errors as TrainingDataErrors. */
function* tablePieces(pieces: readonly string[], source: string): Generator<CsvTable> {
  try {
    yield* parseCsvPieces(pieces, source);
  } catch (err) {
    if (err instanceof CsvError) throw new TrainingDataError(err.message, {}, { cause: err });
    throw err;
  }
}
