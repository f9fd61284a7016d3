/**
 * The date notations price files carry, read into ISO `YYYY-MM-DD`:
 * - `YYYY-MM-DD`, optionally followed by a time (`T` or a space, `HH:MM[:SS[.fff]]`, optional `Z`
 *   or `±HH:MM`): the DATE PART AS WRITTEN is kept. A daily bar stamped
 *   `2024-01-02T00:00:00+01:00` is the 2 January session; converting to UTC would move it to
 *   1 January.
 * - `MM/DD/YYYY` (US) or `DD/MM/YYYY` (most other places), one or two digits for day and month.
 *   Which one is decided from the whole column: a first part above 12 means day first, a
 *   second part above 12 means month first; when no part is above 12 the column is ambiguous and
 *   refused unless the format is given.
 * - `DD.MM.YYYY` (German-style; always day first).
 * Every date of a column uses the same notation. Calendar checks (no 30 February) are the shared
 * ones of lib/util/calendar-date.ts.
 */
import { calendarDateProblem, formatIsoDate } from '../../util/calendar-date.ts';
import { PriceFileError } from './price-file-error.ts';

/** The date formats a caller can impose (`YYYY-MM-DD` also admits a time part). */
export const DATE_FORMATS = ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOT = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

type Notation = 'iso' | 'slash' | 'dot';
const PATTERN: Record<Notation, RegExp> = { iso: ISO, slash: SLASH, dot: DOT };
const LABEL: Record<Notation, string> = { iso: 'YYYY-MM-DD', slash: 'MM/DD/YYYY or DD/MM/YYYY', dot: 'DD.MM.YYYY' };

const notationOf = (text: string): Notation | undefined => (['iso', 'slash', 'dot'] as const).find((n) => PATTERN[n].test(text));

/** One date cell and the file line it is on. */
export interface DateCell {
  text: string;
  row: number;
}

/** Where the column is, for error messages. */
interface ColumnContext {
  source: string;
  column: string;
}

/**
 * Decides how a date column is written (from `format`, else from its cells) and returns the
 * reader of its cells. Whole-column problems (mixed day-first and month-first dates, or
 * ambiguous ones without a format) are thrown here; a cell in another notation, or not a
 * calendar date, is thrown by the reader.
 * @throws PriceFileError naming file, row and column
 */
export function dateColumnReader(cells: readonly DateCell[], ctx: ColumnContext & { format?: DateFormat }): (cell: DateCell) => string {
  const { source, column } = ctx;
  const fail = (cell: DateCell, problem: string): never => {
    throw new PriceFileError(source, cell.row, problem, column);
  };
  const unparseable = (cell: DateCell, expected: string): never => fail(cell, `unparseable date '${cell.text}' (expected ${expected})`);

  let notation: Notation | undefined;
  let dayFirst = false;
  if (ctx.format) {
    notation = ctx.format === 'YYYY-MM-DD' ? 'iso' : ctx.format === 'DD.MM.YYYY' ? 'dot' : 'slash';
    dayFirst = ctx.format !== 'MM/DD/YYYY';
  } else if (cells.length > 0) {
    notation = notationOf(cells[0].text) ?? unparseable(cells[0], 'YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY or DD.MM.YYYY');
    dayFirst = notation === 'dot' || (notation === 'slash' && slashOrder(cells, fail));
  }
  const expected = ctx.format ?? (notation ? LABEL[notation] : '');
  const order = notation === 'slash' ? (dayFirst ? 'DD/MM/YYYY' : 'MM/DD/YYYY') : undefined;

  return (cell) => {
    const m = notation ? PATTERN[notation].exec(cell.text) : null;
    if (!m) return unparseable(cell, expected);
    const [y, a, b] = notation === 'iso' ? [m[1], m[2], m[3]] : [m[3], m[1], m[2]];
    const year = Number(y);
    const month = Number(dayFirst ? b : a);
    const day = Number(dayFirst ? a : b);
    const problem = calendarDateProblem(year, month, day);
    if (problem) return fail(cell, `unparseable date '${cell.text}' (${order ? `read as ${order}: ` : ''}${problem})`);
    return formatIsoDate(year, month, day);
  };
}

/** True when the slash dates of the column are day first (DD/MM/YYYY), from the parts above 12. */
function slashOrder(cells: readonly DateCell[], fail: (cell: DateCell, problem: string) => never): boolean {
  let dayFirstCell: DateCell | undefined;
  let monthFirstCell: DateCell | undefined;
  for (const cell of cells) {
    const m = SLASH.exec(cell.text);
    if (!m) continue;
    if (!dayFirstCell && Number(m[1]) > 12) dayFirstCell = cell;
    if (!monthFirstCell && Number(m[2]) > 12) monthFirstCell = cell;
  }
  if (dayFirstCell && monthFirstCell) {
    const later = dayFirstCell.row > monthFirstCell.row ? dayFirstCell : monthFirstCell;
    return fail(
      later,
      `the column mixes day-first and month-first dates ('${dayFirstCell.text}' on row ${dayFirstCell.row}, '${monthFirstCell.text}' on row ${monthFirstCell.row})`,
    );
  }
  if (dayFirstCell) return true;
  if (monthFirstCell) return false;
  return fail(
    cells[0],
    `ambiguous dates: '${cells[0].text}' can be MM/DD/YYYY or DD/MM/YYYY, and no date in the column has a part above 12; ` +
      'say which with --date-format MM/DD/YYYY or --date-format DD/MM/YYYY',
  );
}
