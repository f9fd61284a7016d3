/**
 * Numbers as spreadsheets export them. The decimal mark is `.` unless the file is separated by
 * `;` and one of its numbers ends in a decimal comma (`1234,5`, `1.234,50`): then `,` is the
 * decimal mark and `.` groups thousands. With the `.` mark, `,` may group thousands — only
 * inside quotes in a comma-separated file (`"1,234.50"`). Grouping must be in threes
 * (`1,234,567`); anything else (`1,23`, `1.5` in a decimal-comma file) is not a number, so a
 * misread can never pass silently.
 */
import type { CsvSeparator } from '../../util/csv.ts';

/** The decimal mark of a file's numbers. */
export type DecimalMark = '.' | ',';

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED_POINT = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const GROUPED_COMMA = /^[+-]?\d{1,3}(\.\d{3})+(,\d*)?([eE][+-]?\d+)?$/;

/**
 * The decimal mark of a file separated by `separator` whose numeric cells are `cells`: `,` for
 * a `;` file in which some number's last mark is a comma, else `.`.
 */
export function decimalMarkOf(separator: CsvSeparator, cells: Iterable<string>): DecimalMark {
  if (separator !== ';') return '.';
  for (const c of cells) if (c.lastIndexOf(',') > c.lastIndexOf('.')) return ',';
  return '.';
}

/** The value of `cell` written with decimal mark `mark`; NaN when it is not a finite number so written. */
export function parseDecimal(cell: string, mark: DecimalMark): number {
  let s = cell;
  if (mark === '.') {
    if (s.includes(',')) s = GROUPED_POINT.test(s) ? s.replaceAll(',', '') : '';
  } else {
    if (s.includes('.')) s = GROUPED_COMMA.test(s) ? s.replaceAll('.', '') : '';
    s = s.replace(',', '.');
  }
  if (!PLAIN.test(s)) return Number.NaN;
  const v = Number(s);
  return Number.isFinite(v) ? v : Number.NaN;
}

/** True when `cell` is a plain number (`.` decimal mark, no grouping), e.g. to tell a header from data. */
export function isPlainNumber(cell: string): boolean {
  return PLAIN.test(cell);
}
