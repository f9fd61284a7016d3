/**
 * The one CSV reader and writer (RFC 4180): fields separated by one character (`,` by default;
 * `;` or tab when asked or sniffed), optional double quotes around a field (`""` inside quotes is
 * one quote; a quoted field may hold separators and line breaks), LF, CRLF or CR line ends, a
 * UTF-8 byte-order mark ignored, blank lines skipped. Fields are returned as written (not
 * trimmed): what a value means is the caller's business.
 *
 * Line numbers are 1-based file lines (the header is line 1); a record spanning lines (a quoted
 * line break) is numbered by its first line.
 */

/** A field separator this module reads and writes. */
export type CsvSeparator = ',' | ';' | '\t';

/** One record (row) of the file with the file line it starts on. */
export interface CsvRecord {
  fields: string[];
  /** 1-based file line the record starts on. */
  line: number;
}

/** A malformed CSV text (unterminated quote, ragged row, bad header). The message names the line. */
export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    message: string,
    /** 1-based file line at fault. */
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The separator of a CSV text, from its first non-blank line outside quotes: the most frequent
 * of `,`, `;` and tab; `,` when there is none (a one-column file) or on a tie.
 */
export function sniffSeparator(text: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let started = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (started) break;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
    if (ch.trim() !== '') started = true;
  }
  let best: CsvSeparator = ',';
  for (const sep of [';', '\t'] as const) if (counts[sep] > counts[best]) best = sep;
  return best;
}

/**
 * Splits CSV text into records. Blank lines (nothing, or only spaces, outside quotes) are
 * skipped; records may have different lengths (checking that is the caller's business).
 * @throws CsvError for a quoted field that is never closed
 */
export function tokenizeCsv(text: string, separator: CsvSeparator = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    // A line with nothing but spaces (and no quotes) is blank, not a record of one empty field.
    if (quoted || fields.length > 1 || fields[0].trim() !== '') records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    quoted = false;
  };
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n' || (ch === '\r' && s[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      quoted = true;
    } else if (ch === separator) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) throw new CsvError(`unterminated quoted field starting on line ${recordLine}`, recordLine);
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return records;
}

/** A CSV file as a header and rectangular data rows. */
export interface CsvTable {
  /** Column names, trimmed, unique and non-empty. */
  header: string[];
  /** Data rows, each with `header.length` fields. */
  rows: string[][];
  /** 1-based file line of each data row. */
  lines: number[];
}

/**
 * Reads a CSV with a header row into a {@link CsvTable}. Row numbers in errors are 1-based data
 * rows (the header is not counted), with the file line beside them.
 * @param source name of the input in error messages
 * @throws CsvError for an empty file, a header with an empty or repeated name, or a row whose
 *   field count differs from the header's
 */
export function parseCsv(text: string, source = 'CSV', separator: CsvSeparator = ','): CsvTable {
  let records: CsvRecord[];
  try {
    records = tokenizeCsv(text, separator);
  } catch (err) {
    if (err instanceof CsvError) throw new CsvError(`${source}: ${err.message}`, err.line, { cause: err });
    throw err;
  }
  if (records.length === 0) throw new CsvError(`${source}: the file is empty (no header row)`, 1);
  const head = records[0];
  const header = head.fields.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new CsvError(`${source}: column ${j + 1} of the header has no name`, head.line);
    if (seen.has(h)) throw new CsvError(`${source}: the header names column '${h}' twice`, head.line);
    seen.add(h);
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  records.slice(1).forEach((r, i) => {
    if (r.fields.length !== header.length) {
      throw new CsvError(`${source}: row ${i + 1} (line ${r.line}) has ${r.fields.length} fields, the header has ${header.length}`, r.line);
    }
    rows.push(r.fields);
    lines.push(r.line);
  });
  return { header, rows, lines };
}

function quote(v: string, separator: CsvSeparator): string {
  return v.includes(separator) || /["\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** CSV text with LF line ends and a final newline; numbers in shortest round-trip form. */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[], separator: CsvSeparator = ','): string {
  return formatCsvChunks(header, rows, separator).join('');
}

/** Rows per piece of {@link formatCsvChunks}: a few MB of text each. */
const ROWS_PER_CHUNK = 50_000;

/**
 * The text of {@link formatCsv} in pieces of whole lines (the first starts with the header), to be
 * written one after another: a table of a million rows or more is longer than one JavaScript
 * string can be (V8: 2^29 − 24 characters).
 */
export function formatCsvChunks(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  separator: CsvSeparator = ',',
  rowsPerChunk = ROWS_PER_CHUNK,
): string[] {
  const line = (r: readonly (string | number)[]) => r.map((v) => (typeof v === 'number' ? String(v) : quote(v, separator))).join(separator);
  const chunks = [`${header.map((h) => quote(h, separator)).join(separator)}\n`];
  for (let i = 0; i < rows.length; i += rowsPerChunk) {
    const text = `${rows
      .slice(i, i + rowsPerChunk)
      .map(line)
      .join('\n')}\n`;
    if (i === 0) chunks[0] += text;
    else chunks.push(text);
  }
  return chunks;
}

/**
 * Parses a CSV given in pieces of whole lines (the first starting with the header, as
 * {@link formatCsvChunks} or a line-aligned split of a file gives them) one piece at a time: each
 * yielded table has the header and that piece's rows, with their file lines counted over all
 * pieces, so a reader can convert a piece and drop its strings before the next is parsed. A
 * quoted field must not span two pieces.
 */
export function* parseCsvPieces(chunks: readonly string[], source = 'CSV', separator: CsvSeparator = ','): Generator<CsvTable> {
  const first = parseCsv(chunks[0] ?? '', source, separator);
  yield first;
  const headerLine = chunks[0].slice(0, chunks[0].indexOf('\n') + 1);
  let lineOffset = first.lines.at(-1) ?? 1;
  for (const chunk of chunks.slice(1)) {
    let part: CsvTable;
    try {
      part = parseCsv(headerLine + chunk, source, separator);
    } catch (err) {
      // Its row and line are counted from the piece's start: say where that is.
      if (err instanceof CsvError)
        throw new CsvError(`${err.message} (counting from line ${lineOffset + 1} of the file)`, err.line + lineOffset - 1, { cause: err });
      throw err;
    }
    const lines = part.lines.map((l) => l - 1 + lineOffset);
    yield { header: part.header, rows: part.rows, lines };
    lineOffset = lines.at(-1) ?? lineOffset;
  }
}
