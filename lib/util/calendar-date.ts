/**
 * Strict calendar dates as `YYYY-MM-DD` strings (proleptic Gregorian, UTC). `Date.parse` is too
 * lenient (it accepts `2024-02-30` in some forms and reads local time), so the parts are checked
 * by hand. Used by the wire schemas (bar dates and timestamps), the lake layout (months) and the
 * price-file readers (other date notations map their parts through {@link calendarDateProblem}).
 */

/** `YYYY-MM-DD` (4-digit year, zero-padded month and day). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO-8601 date-time with a mandatory UTC offset: `YYYY-MM-DDTHH:mm[:ss[.fff…]](Z|±HH:MM|±HHMM)`; `T` or space. */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** A valid `YYYY-MM-DD` date, or why there is none (a sentence naming the offending text or part). */
export type DateResult = { ok: true; date: string } | { ok: false; problem: string };

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of a year, month (1-12) and day; the parts are not checked (see {@link calendarDateProblem}). */
export function formatIsoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * Why year/month/day (month 1-12) is not a calendar date, e.g. `day 30 does not exist in 2024-02`;
 * undefined when it is one.
 */
export function calendarDateProblem(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${day} does not exist in ${pad(year, 4)}-${pad(month)}`;
  return undefined;
}

/** Validates a `YYYY-MM-DD` calendar date (returned unchanged when valid). */
export function parseIsoDate(s: string): DateResult {
  const m = ISO_DATE.exec(s);
  if (!m) return { ok: false, problem: `"${s}" is not a YYYY-MM-DD date` };
  const problem = calendarDateProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  return problem ? { ok: false, problem } : { ok: true, date: s };
}

/**
 * The UTC calendar date of an ISO-8601 timestamp with an explicit offset, e.g.
 * `2024-03-01T23:30:00-02:00` → `2024-03-02`. A timestamp without offset is refused: its
 * UTC date would depend on the machine's time zone.
 */
export function timestampToUtcDate(s: string): DateResult {
  const m = ISO_TIMESTAMP.exec(s);
  if (!m) return { ok: false, problem: `"${s}" is not an ISO-8601 timestamp with a UTC offset (Z or ±HH:MM)` };
  const [y, mo, d, hh, mm, ss] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const problem = calendarDateProblem(y, mo, d);
  if (problem) return { ok: false, problem };
  if (hh > 23 || mm > 59 || ss > 59) return { ok: false, problem: `"${s}" has an impossible time of day` };
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return { ok: false, problem: `"${s}" has an impossible UTC offset` };
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = new Date(Date.UTC(2000, mo - 1, d, hh, mm, ss));
  local.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  const utc = new Date(local.getTime() - offsetMin * 60_000);
  return { ok: true, date: formatIsoDate(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate()) };
}

/** `YYYY-MM` of a valid `YYYY-MM-DD` date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** UTC `YYYY-MM-DD` of an epoch time in milliseconds. */
export function utcDateOfEpochMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
