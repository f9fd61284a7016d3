/**
 * Parsers for the price and return files users bring (CSV text in, {@link PriceSeries} out).
 *
 * Price layouts, columns found by header name (case-insensitive; spaces, `_` and `-` ignored,
 * other columns ignored, order free): `Date,Close`; `Date,Open,High,Low,Close,Volume`;
 * `Date,Open,High,Low,Close,Adj Close,Volume`. With `Adj Close`, `close` is the adjusted close
 * (the price used for returns) and `rawClose` the unadjusted one.
 *
 * Rules, in order:
 * - Separator: `,` (or `;` / tab when the header has no comma); `"quoted"` fields allowed; blank
 *   lines skipped; a UTF-8 byte-order mark ignored.
 * - Missing values — an empty cell, `NA`, `N/A`, `NaN`, `null`, `-` (any case) in any recognised
 *   column — DROP THE ROW (never zero-filled or carried forward); {@link parsePriceCsvDetailed}
 *   reports which rows were dropped.
 * - Dates are `YYYY-MM-DD` (a `T…`/` …` time part is not accepted); rows are sorted ascending
 *   by date; a date appearing twice is an error naming both rows.
 * - Prices must be finite numbers > 0, volume a finite number ≥ 0. Anything unparseable, or a
 *   row with the wrong number of fields, is a {@link PriceFileError} naming file, row and column.
 */
import type { PriceSeries } from './price-series.ts';
import { PriceFileError } from './price-file-error.ts';

export { PriceFileError } from './price-file-error.ts';

/** Options of the parsers. */
export interface ParseOptions {
  /** File name (or other label) used in error messages; default `<input>`. */
  source?: string;
  /** Instrument identifier stored on the series. */
  symbol?: string;
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
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

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
  date: 'Date', open: 'Open', high: 'High', low: 'Low', close: 'Close', adjClose: 'Adj Close', volume: 'Volume', return: 'Return',
};

interface Line {
  row: number;
  cells: string[];
}

/** Splits one CSV line on `sep`, honouring double quotes ("" inside quotes is a quote). */
function splitLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQ) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQ = false;
      } else cur += ch;
    } else if (ch === '"') inQ = true;
    else if (ch === sep) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function readLines(text: string, source: string): { header: Line; body: Line[] } {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIdx = raw.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) throw new PriceFileError(source, 1, 'file is empty');
  const headerText = raw[headerIdx];
  const sep = headerText.includes(',') ? ',' : headerText.includes(';') ? ';' : headerText.includes('\t') ? '\t' : ',';
  const header = { row: headerIdx + 1, cells: splitLine(headerText, sep) };
  const body: Line[] = [];
  for (let i = headerIdx + 1; i < raw.length; i++) {
    if (raw[i].trim() === '') continue;
    body.push({ row: i + 1, cells: splitLine(raw[i], sep) });
  }
  return { header, body };
}

function normalizeHeader(h: string): string {
  return h.toLowerCase().replace(/[\s_\-.]/g, '');
}

function mapHeader(header: Line, source: string): Partial<Record<Field, number>> {
  const cols: Partial<Record<Field, number>> = {};
  header.cells.forEach((h, i) => {
    const f = HEADER_ALIASES[normalizeHeader(h)];
    if (!f) return;
    if (cols[f] !== undefined) throw new PriceFileError(source, header.row, `column '${h}' appears twice`, h);
    cols[f] = i;
  });
  return cols;
}

function isMissing(cell: string | undefined): boolean {
  return cell === undefined || MISSING.has(cell.toLowerCase());
}

function parseDate(cell: string, source: string, row: number, column: string): string {
  const m = DATE_RE.exec(cell);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return cell;
  }
  throw new PriceFileError(source, row, `unparseable date '${cell}' (expected YYYY-MM-DD)`, column);
}

function parseNumber(cell: string, source: string, row: number, column: string): number {
  const v = NUMBER_RE.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(v)) throw new PriceFileError(source, row, `unparseable number '${cell}'`, column);
  return v;
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
  const { header, body } = readLines(text, source);
  const cols = mapHeader(header, source);
  if (cols.date === undefined) throw new PriceFileError(source, header.row, "no 'Date' column in the header", 'Date');
  if (cols.close === undefined && cols.adjClose === undefined) {
    throw new PriceFileError(source, header.row, "no 'Close' or 'Adj Close' column in the header", 'Close');
  }
  const priceFields = (['open', 'high', 'low', 'close', 'adjClose'] as const).filter((f) => cols[f] !== undefined);
  const used: Field[] = ['date', ...priceFields, ...(cols.volume !== undefined ? (['volume'] as const) : [])];
  const width = header.cells.length;

  const dates: string[] = [];
  const rows: number[] = [];
  const values: Record<string, number[]> = {};
  for (const f of used) if (f !== 'date') values[f] = [];
  const droppedRows: number[] = [];

  for (const line of body) {
    if (line.cells.length !== width) {
      throw new PriceFileError(source, line.row, `expected ${width} fields like the header, found ${line.cells.length}`);
    }
    if (used.some((f) => isMissing(line.cells[cols[f]!]))) {
      droppedRows.push(line.row);
      continue;
    }
    const date = parseDate(line.cells[cols.date], source, line.row, header.cells[cols.date]);
    for (const f of used) {
      if (f === 'date') continue;
      const colName = header.cells[cols[f]!] || DISPLAY[f];
      const v = parseNumber(line.cells[cols[f]!], source, line.row, colName);
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
  const { header, body } = readLines(text, source);
  let lines = body;
  let dateCol: number | undefined;
  let retCol: number;
  const width = header.cells.length;
  let retName = 'Return';
  const headerIsData = width === 1 && NUMBER_RE.test(header.cells[0]);
  if (headerIsData) {
    lines = [header, ...body];
    retCol = 0;
  } else {
    const cols = mapHeader(header, source);
    dateCol = cols.date;
    if (cols.return !== undefined) retCol = cols.return;
    else {
      const others = header.cells.map((_, i) => i).filter((i) => i !== dateCol);
      if (others.length !== 1) {
        throw new PriceFileError(source, header.row, "cannot tell which column holds the returns (name it 'Return')", 'Return');
      }
      retCol = others[0];
    }
    retName = header.cells[retCol] || 'Return';
  }
  const dates: string[] = [];
  const rows: number[] = [];
  const vals: number[] = [];
  const droppedRows: number[] = [];
  for (const line of lines) {
    if (line.cells.length !== width) {
      throw new PriceFileError(source, line.row, `expected ${width} fields like the header, found ${line.cells.length}`);
    }
    if (isMissing(line.cells[retCol]) || (dateCol !== undefined && isMissing(line.cells[dateCol]))) {
      droppedRows.push(line.row);
      continue;
    }
    if (dateCol !== undefined) dates.push(parseDate(line.cells[dateCol], source, line.row, header.cells[dateCol]));
    const v = parseNumber(line.cells[retCol], source, line.row, retName);
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
