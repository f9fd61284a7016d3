/**
 * Minimal RFC 4180 CSV reading and writing for feature tables: comma separator, optional
 * double-quoted fields ("" escapes a quote), LF or CRLF line ends, a header row. Blank lines
 * are skipped. Row numbers in errors are 1-based data rows (the header is not counted); the
 * file line is given too.
 */
import { TrainingDataError } from './errors.ts';

export interface CsvTable {
  header: string[];
  /** Data rows, each with `header.length` fields. */
  rows: string[][];
  /** 1-based file line of each data row. */
  lines: number[];
}

export function parseCsv(text: string, source = 'CSV'): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let sawContent = false;
  const endRecord = () => {
    fields.push(field);
    if (sawContent || fields.length > 1 || fields[0] !== '') records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    sawContent = false;
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
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      sawContent = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      sawContent = true;
    }
  }
  if (inQuotes) throw new TrainingDataError(`${source}: unterminated quoted field starting on line ${recordLine}`, { row: records.length + 1 });
  if (field !== '' || fields.length > 0 || sawContent) endRecord();
  if (records.length === 0) throw new TrainingDataError(`${source}: the file is empty (no header row)`);
  const header = records[0].fields.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((h, j) => {
    if (h === '') throw new TrainingDataError(`${source}: column ${j + 1} of the header has no name`);
    if (seen.has(h)) throw new TrainingDataError(`${source}: the header names column '${h}' twice`, { column: h });
    seen.add(h);
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  records.slice(1).forEach((r, i) => {
    if (r.fields.length !== header.length) {
      throw new TrainingDataError(`${source}: row ${i + 1} (line ${r.line}) has ${r.fields.length} fields, the header has ${header.length}`, {
        row: i + 1,
      });
    }
    rows.push(r.fields);
    lines.push(r.line);
  });
  return { header, rows, lines };
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** CSV text with LF line ends and a final newline; numbers in shortest round-trip form. */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const out = [header.map(quote).join(',')];
  for (const r of rows) out.push(r.map((v) => (typeof v === 'number' ? String(v) : quote(v))).join(','));
  return `${out.join('\n')}\n`;
}
