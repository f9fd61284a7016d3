/**
 * Parsers for the price and return files users bring (CSV text in, {@link PriceSeries} out).
 *
 * Price layouts, columns found by header name (case-insensitive; spaces, `_` and `-` ignored,
 * other columns ignored, order free): `Date,Close`; `Date,Open,High,Low,Close,Volume`;
 * `Date,Open,High,Low,Close,Adj Close,Volume`. With `Adj Close`, `close` is the adjusted close
 * (the price used for returns) and `rawClose` the unadjusted one.
 *
 * Other column names can be mapped with {@link ParseOptions.dateColumn} and
 * {@link ParseOptions.closeColumn}; a missing column's error lists the columns found.
 *
 * Rules, in order:
 * - CSV as lib/util/csv.ts reads it: the separator is sniffed from the header (`,`, `;` or tab,
 *   the most frequent); `"quoted"` fields; blank lines skipped; a UTF-8 byte-order mark ignored.
 *   Cells are trimmed.
 * - Missing values — an empty cell, `NA`, `N/A`, `NaN`, `null`, `-` (any case) in any recognised
 *   column — DROP THE ROW (never zero-filled or carried forward); {@link parsePriceCsvDetailed}
 *   reports which rows were dropped.
 * - Dates: `YYYY-MM-DD` (a time part after it is allowed; the date part is kept), `MM/DD/YYYY`,
 *   `DD/MM/YYYY` or `DD.MM.YYYY` — see ./date-column.ts for how a column's notation is decided
 *   and {@link ParseOptions.dateFormat} to impose one. Rows are sorted ascending by date; a date
 *   appearing twice is an error naming both rows.
 * - Numbers: decimal point, or decimal comma in `;`-separated files; thousands grouping in
 *   threes (see ./decimal-numbers.ts).
 * - Prices must be finite numbers > 0, volume a finite number ≥ 0. Anything unparseable, or a
 *   row with the wrong number of fields, is a {@link PriceFileError} naming file, row and column.
 */
import { CsvError, type CsvRecord, type CsvSeparator, sniffSeparator, tokenizeCsv } from '../../util/csv.ts';
import { type DateCell, type DateFormat, dateColumnReader } from './date-column.ts';
import { type DecimalMark, decimalMarkOf, isPlainNumber, parseDecimal } from './decimal-numbers.ts';
import { PriceFileError } from './price-file-error.ts';
import type { PriceSeries } from './price-series.ts';

export { DATE_FORMATS, type DateFormat } from './date-column.ts';
export { PriceFileError } from './price-file-error.ts';

/** Options of the parsers. */
export interface ParseOptions {
  /** File name (or other label) used in error messages; default `<input>`. */
  source?: string;
  /** Instrument identifier stored on the series. */
  symbol?: string;
  /** How the dates are written; default: decided from the date column (see ./date-column.ts). */
  dateFormat?: DateFormat;
  /** Header of the date column when it is not `Date` (matched like the known names: any case, spaces/`_`/`-` ignored). */
  dateColumn?: string;
  /** Header of the price column when it is not `Close`/`Adj Close`; it is then the price used for returns. */
  closeColumn?: string;
}

/** A parsed price series plus the rows that were dropped for missing values. */
export interface ParsedPriceFile {
  series: PriceSeries;
  /** 1-based line numbers of rows dropped because a value was missing. */
  droppedRows: number[];
}

/** A plain return series (simple per-period returns, as fractions). */
export interface ReturnSeries {
  symbol?: string;
  /** ISO dates (ascending) when the file had a date column, else null. */
  dates: string[] | null;
  returns: Float64Array;
}

/** A parsed return series plus the rows dropped for missing values. */
export interface ParsedReturnFile {
  series: ReturnSeries;
  droppedRows: number[];
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', '-', '#n/a']);

type Field = 'date' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume' | 'return';

const HEADER_ALIASES: Record<string, Field> = {
  date: 'date',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  adjclose: 'adjClose',
  adjustedclose: 'adjClose',
  volume: 'volume',
  return: 'return',
  returns: 'return',
  ret: 'return',
};

const DISPLAY: Record<Field, string> = {
  date: 'Date',
  open: 'Open',
  high: 'High',
  low: 'Low',
  close: 'Close',
  adjClose: 'Adj Close',
  volume: 'Volume',
  return: 'Return',
};

interface Line {
  row: number;
  cells: string[];
}

interface Lines {
  header: Line;
  body: Line[];
  separator: CsvSeparator;
}

function readLines(text: string, source: string): Lines {
  const separator = sniffSeparator(text);
  let records: CsvRecord[];
  try {
    records = tokenizeCsv(text, separator);
  } catch (err) {
    if (err instanceof CsvError) throw new PriceFileError(source, err.line, err.message, undefined, { cause: err });
    throw err;
  }
  if (records.length === 0) throw new PriceFileError(source, 1, 'file is empty');
  const [header, ...body] = records.map((r) => ({ row: r.line, cells: r.fields.map((c) => c.trim()) }));
  return { header, body, separator };
}

function normalizeHeader(h: string): string {
  return h.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** The header's columns by field, with the caller's date/close column names applied. */
function mapHeader(header: Line, source: string, opts?: ParseOptions): Partial<Record<Field, number>> {
  const cols: Partial<Record<Field, number>> = {};
  header.cells.forEach((h, i) => {
    const f = HEADER_ALIASES[normalizeHeader(h)];
    if (!f) return;
    if (cols[f] !== undefined) throw new PriceFileError(source, header.row, `column '${h}' appears twice`, h);
    cols[f] = i;
  });
  const named = (name: string): number => {
    const i = header.cells.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
    if (i < 0) throw new PriceFileError(source, header.row, `no column '${name}' in the header ${columnsFound(header)}`, name);
    return i;
  };
  if (opts?.dateColumn !== undefined) cols.date = named(opts.dateColumn);
  if (opts?.closeColumn !== undefined) {
    // The named column is the price; an Adj Close beside it must not take over.
    cols.close = named(opts.closeColumn);
    delete cols.adjClose;
  }
  return cols;
}

/** `(columns: a, b, c)`, for errors about a missing column. */
function columnsFound(header: Line): string {
  return `(columns: ${header.cells.join(', ')})`;
}

function isMissing(cell: string | undefined): boolean {
  return cell === undefined || MISSING.has(cell.toLowerCase());
}

/** The decimal mark of the file, from the cells of the numeric columns of the rows kept. */
function fileDecimalMark(lines: Lines, rows: readonly Line[], numericCols: readonly number[]): DecimalMark {
  return decimalMarkOf(
    lines.separator,
    (function* () {
      for (const line of rows) for (const j of numericCols) yield line.cells[j];
    })(),
  );
}

function parseNumber(cell: string, mark: DecimalMark, source: string, row: number, column: string): number {
  const v = parseDecimal(cell, mark);
  if (Number.isNaN(v)) {
    const hint = mark === ',' ? ' (this file writes decimals with a comma: 1.234,5)' : '';
    throw new PriceFileError(source, row, `unparseable number '${cell}'${hint}`, column);
  }
  return v;
}

/** The reader of the date column over the rows kept (their notation decided together). */
function datesOf(rows: readonly Line[], col: number, header: Line, source: string, opts?: ParseOptions): (line: Line) => string {
  const cellOf = (line: Line): DateCell => ({ text: line.cells[col], row: line.row });
  const read = dateColumnReader(rows.map(cellOf), { source, column: header.cells[col] || 'Date', format: opts?.dateFormat });
  return (line) => read(cellOf(line));
}

/** Sorts rows by date and rejects duplicates (naming both rows). Returns the permutation. */
function sortByDate(dates: string[], rows: number[], source: string): number[] {
  const order = dates.map((_, i) => i);
  order.sort((a, b) => (dates[a] < dates[b] ? -1 : dates[a] > dates[b] ? 1 : rows[a] - rows[b]));
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1];
    const b = order[k];
    if (dates[a] === dates[b]) {
      throw new PriceFileError(source, rows[b], `duplicate date ${dates[b]} (also on row ${rows[a]})`, 'Date');
    }
  }
  return order;
}

/** Parses a price file and reports the rows dropped for missing values. */
export function parsePriceCsvDetailed(text: string, opts?: ParseOptions): ParsedPriceFile {
  const source = opts?.source ?? '<input>';
  const lines = readLines(text, source);
  const { header, body } = lines;
  const cols = mapHeader(header, source, opts);
  if (cols.date === undefined) throw new PriceFileError(source, header.row, `no 'Date' column in the header ${columnsFound(header)}`, 'Date');
  if (cols.close === undefined && cols.adjClose === undefined) {
    throw new PriceFileError(source, header.row, `no 'Close' or 'Adj Close' column in the header ${columnsFound(header)}`, 'Close');
  }
  const priceFields = (['open', 'high', 'low', 'close', 'adjClose'] as const).filter((f) => cols[f] !== undefined);
  const numericFields = [...priceFields, ...(cols.volume !== undefined ? (['volume'] as const) : [])];
  const used: Field[] = ['date', ...numericFields];
  const width = header.cells.length;

  const kept: Line[] = [];
  const droppedRows: number[] = [];
  for (const line of body) {
    if (line.cells.length !== width) {
      throw new PriceFileError(source, line.row, `expected ${width} fields like the header, found ${line.cells.length}`);
    }
    if (used.some((f) => isMissing(line.cells[cols[f]!]))) droppedRows.push(line.row);
    else kept.push(line);
  }
  const readDate = datesOf(kept, cols.date, header, source, opts);
  const mark = fileDecimalMark(
    lines,
    kept,
    numericFields.map((f) => cols[f]!),
  );

  const dates: string[] = [];
  const rows: number[] = [];
  const values: Record<string, number[]> = {};
  for (const f of numericFields) values[f] = [];
  for (const line of kept) {
    const date = readDate(line);
    for (const f of numericFields) {
      const colName = header.cells[cols[f]!] || DISPLAY[f];
      const v = parseNumber(line.cells[cols[f]!], mark, source, line.row, colName);
      if (f === 'volume') {
        if (v < 0) throw new PriceFileError(source, line.row, `negative volume ${v}`, colName);
      } else if (!(v > 0)) {
        throw new PriceFileError(source, line.row, `price must be > 0, got ${v}`, colName);
      }
      values[f].push(v);
    }
    dates.push(date);
    rows.push(line.row);
  }
  if (dates.length === 0) throw new PriceFileError(source, header.row, 'no data rows with complete values');

  const order = sortByDate(dates, rows, source);
  const take = (f: string) => {
    const src = values[f];
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) out[k] = src[order[k]];
    return out;
  };
  const series: PriceSeries = {
    dates: order.map((i) => dates[i]),
    close: take(cols.adjClose !== undefined ? 'adjClose' : 'close'),
  };
  if (opts?.symbol !== undefined) series.symbol = opts.symbol;
  if (cols.adjClose !== undefined && cols.close !== undefined) series.rawClose = take('close');
  if (cols.open !== undefined) series.open = take('open');
  if (cols.high !== undefined) series.high = take('high');
  if (cols.low !== undefined) series.low = take('low');
  if (cols.volume !== undefined) series.volume = take('volume');
  return { series, droppedRows };
}

/**
 * Parses a price CSV (see the module doc for layouts and rules) into a {@link PriceSeries}.
 * @throws PriceFileError naming file, row and column
 * @example parsePriceCsv('Date,Close\n2024-01-03,101\n2024-01-02,100\n', { source: 'x.csv' }).dates // ['2024-01-02', '2024-01-03']
 */
export function parsePriceCsv(text: string, opts?: ParseOptions): PriceSeries {
  return parsePriceCsvDetailed(text, opts).series;
}

/**
 * Parses a plain return series: `Date,Return` (the return column may have any name when it is
 * the only other column), or a single column of returns with or without a header. Returns are
 * simple per-period fractions and must be ≥ −1. Missing values drop the row; dated rows are sorted
 * and duplicate dates rejected, as for prices.
 */
export function parseReturnsCsvDetailed(text: string, opts?: ParseOptions): ParsedReturnFile {
  const source = opts?.source ?? '<input>';
  const lines = readLines(text, source);
  const { header, body } = lines;
  let all = body;
  let dateCol: number | undefined;
  let retCol: number;
  const width = header.cells.length;
  let retName = 'Return';
  const headerIsData = width === 1 && isPlainNumber(header.cells[0]);
  if (headerIsData) {
    all = [header, ...body];
    retCol = 0;
  } else {
    const cols = mapHeader(header, source, opts);
    dateCol = cols.date;
    if (cols.return !== undefined) retCol = cols.return;
    else {
      const others = header.cells.map((_, i) => i).filter((i) => i !== dateCol);
      if (others.length !== 1) {
        throw new PriceFileError(source, header.row, `cannot tell which column holds the returns (name it 'Return') ${columnsFound(header)}`, 'Return');
      }
      retCol = others[0];
    }
    retName = header.cells[retCol] || 'Return';
  }
  const kept: Line[] = [];
  const droppedRows: number[] = [];
  for (const line of all) {
    if (line.cells.length !== width) {
      throw new PriceFileError(source, line.row, `expected ${width} fields like the header, found ${line.cells.length}`);
    }
    if (isMissing(line.cells[retCol]) || (dateCol !== undefined && isMissing(line.cells[dateCol]))) droppedRows.push(line.row);
    else kept.push(line);
  }
  const readDate = dateCol !== undefined ? datesOf(kept, dateCol, header, source, opts) : undefined;
  const mark = fileDecimalMark(lines, kept, [retCol]);
  const dates: string[] = [];
  const rows: number[] = [];
  const vals: number[] = [];
  for (const line of kept) {
    if (readDate) dates.push(readDate(line));
    const v = parseNumber(line.cells[retCol], mark, source, line.row, retName);
    if (v < -1) throw new PriceFileError(source, line.row, `return ${v} is below −100%`, retName);
    vals.push(v);
    rows.push(line.row);
  }
  if (vals.length === 0) throw new PriceFileError(source, header.row, 'no data rows with complete values');
  let returns: Float64Array;
  let outDates: string[] | null = null;
  if (dateCol !== undefined) {
    const order = sortByDate(dates, rows, source);
    returns = Float64Array.from(order, (i) => vals[i]);
    outDates = order.map((i) => dates[i]);
  } else returns = Float64Array.from(vals);
  const series: ReturnSeries = { dates: outDates, returns };
  if (opts?.symbol !== undefined) series.symbol = opts.symbol;
  return { series, droppedRows };
}

/** Parses a plain return series; see {@link parseReturnsCsvDetailed}. */
export function parseReturnsCsv(text: string, opts?: ParseOptions): ReturnSeries {
  return parseReturnsCsvDetailed(text, opts).series;
}
