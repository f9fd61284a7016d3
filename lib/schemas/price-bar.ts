/**
 * One daily price bar as producers put it on the market-data stream, and its normalised form
 * (which ingest turns into a lake row, see docs/data-lake.md).
 *
 * Wire format (a JSON object):
 * - `symbol`: 1-32 of `A-Z a-z 0-9 . _ ^ -`, not `.` or `..`; normalised to upper case (`dax` → `DAX`);
 * - `date` (`YYYY-MM-DD`) or `timestamp` (ISO-8601 with `Z` or `±HH:MM`, normalised to its UTC
 *   date); if both are given they must name the same UTC date. The date must lie in
 *   1900-01-01 … tomorrow (UTC): that rule depends on the clock, so it is a separate check
 *   ({@link barDateRangeProblem}) applied after the schema;
 * - `close` required; `open`/`high`/`low` optional but all three or none; `volume` optional.
 *   Numbers may be JSON numbers or decimal numeric strings (`"101.5"`, `"1e3"`), converted to
 *   numbers; prices must be finite and > 0, volume finite and >= 0; with OHLC, low <= open,
 *   close <= high;
 * - `source`: free text naming the producer (1-256 chars), e.g. `sample:eustock_DAX.csv`.
 * A `null` field counts as absent. Unknown fields are ignored (not copied to the lake).
 *
 * Semantic failures carry `params.reason` (a QuarantineReason) so the ingest domain can map
 * every zod issue to a quarantine reason code.
 */
import * as z from 'zod';
import { parseIsoDate, timestampToUtcDate } from '../util/calendar-date.ts';
import type { QuarantineReason } from './quarantine-reason.ts';

/** Characters allowed in a symbol; `^` is kept for index tickers such as `^GDAXI`. `.` and `..` are refused on top (see {@link isReservedSymbol}). */
export const SYMBOL_PATTERN = /^[A-Za-z0-9._^-]{1,32}$/;

/** `.` and `..` match SYMBOL_PATTERN but would name the current / parent folder in a lake key. */
export function isReservedSymbol(symbol: string): boolean {
  return symbol === '.' || symbol === '..';
}

/** Earliest bar date ingest accepts: older dates are typing errors (`0024-…`), not history. */
const EARLIEST_BAR_DATE = '1900-01-01';

/**
 * Latest bar date ingest accepts at `now`: tomorrow's UTC date. One day of slack because a
 * producer east of UTC legitimately sends "today" while it is still yesterday in UTC; a bar
 * further ahead is a typing error (`2042-…`) that would poison every return computed after it.
 */
export function latestBarDate(now: Date): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/** Why a valid calendar date is outside [EARLIEST_BAR_DATE, latest], or undefined when it is inside. */
export function barDateRangeProblem(date: string, latest: string): string | undefined {
  if (date < EARLIEST_BAR_DATE) return `date ${date} is before ${EARLIEST_BAR_DATE}`;
  if (date > latest) return `date ${date} is after ${latest} (tomorrow, UTC)`;
  return undefined;
}
/** Decimal text accepted where a number is expected (no spaces, no hex, no thousands separators). */
const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Text that converts to a non-finite number: quarantined as NON_FINITE_PRICE, not as a type error. */
const NON_FINITE_TEXT = /^[+-]?(?:Infinity|NaN)$/;

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
const OHL = ['open', 'high', 'low'] as const;

function numericText(v: unknown): unknown {
  return typeof v === 'string' && (NUMERIC_TEXT.test(v) || NON_FINITE_TEXT.test(v)) ? Number(v) : v;
}

/** A number (possibly NaN/±Infinity, checked later) or numeric text. */
const numberLike = (field: string) =>
  z.preprocess(
    numericText,
    z.custom<number>((v) => typeof v === 'number', `${field} must be a number or a numeric string`),
  );

function dropNulls(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
}

const BarFieldsSchema = z.object({
  symbol: z
    .string()
    .regex(SYMBOL_PATTERN, 'symbol must be 1-32 of A-Z a-z 0-9 . _ ^ -')
    .refine((s) => !isReservedSymbol(s), 'symbol must not be "." or ".."'),
  date: z.string().optional(),
  timestamp: z.string().optional(),
  open: numberLike('open').optional(),
  high: numberLike('high').optional(),
  low: numberLike('low').optional(),
  close: numberLike('close'),
  volume: numberLike('volume').optional(),
  source: z.string().min(1, 'source must not be empty').max(256, 'source must be at most 256 characters'),
});
type BarFields = z.infer<typeof BarFieldsSchema>;

type Ctx = z.core.$RefinementCtx<BarFields>;
const fail = (ctx: Ctx, reason: QuarantineReason, path: string[], message: string): void => ctx.addIssue({ code: 'custom', path, message, params: { reason } });

/** The UTC date the bar is for, or undefined after reporting why there is none. */
function resolveDate(v: BarFields, ctx: Ctx): string | undefined {
  if (v.date === undefined && v.timestamp === undefined) {
    fail(ctx, 'SCHEMA_MISSING_FIELD', ['date'], 'date (YYYY-MM-DD) or timestamp (ISO-8601) is required');
    return undefined;
  }
  const fromDate = v.date === undefined ? undefined : parseIsoDate(v.date);
  const fromTs = v.timestamp === undefined ? undefined : timestampToUtcDate(v.timestamp);
  if (fromDate && !fromDate.ok) fail(ctx, 'INVALID_DATE', ['date'], fromDate.problem);
  if (fromTs && !fromTs.ok) fail(ctx, 'INVALID_DATE', ['timestamp'], fromTs.problem);
  if (fromDate?.ok === false || fromTs?.ok === false) return undefined;
  if (fromDate?.ok && fromTs?.ok && fromDate.date !== fromTs.date) {
    fail(ctx, 'INVALID_DATE', ['timestamp'], `timestamp is on ${fromTs.date} (UTC) but date says ${fromDate.date}`);
    return undefined;
  }
  return fromDate?.ok ? fromDate.date : fromTs?.ok ? fromTs.date : undefined;
}

function checkBar(v: BarFields, ctx: Ctx): void {
  resolveDate(v, ctx);
  const given = OHL.filter((f) => v[f] !== undefined);
  if (given.length > 0 && given.length < OHL.length) {
    for (const f of OHL.filter((f) => v[f] === undefined)) {
      fail(ctx, 'SCHEMA_MISSING_FIELD', [f], `${f} is required when ${given.join('/')} is given (open/high/low: all or none)`);
    }
  }
  let pricesOk = true;
  for (const f of PRICE_FIELDS) {
    const p = v[f];
    if (p === undefined) continue;
    if (!Number.isFinite(p)) {
      fail(ctx, 'NON_FINITE_PRICE', [f], `${f} is ${p}, not a finite number`);
      pricesOk = false;
    } else if (p <= 0) {
      fail(ctx, 'NON_POSITIVE_PRICE', [f], `${f} is ${p}, prices must be > 0`);
      pricesOk = false;
    }
  }
  if (v.volume !== undefined && !(Number.isFinite(v.volume) && v.volume >= 0)) {
    fail(ctx, 'INVALID_VOLUME', ['volume'], `volume is ${v.volume}, must be finite and >= 0`);
  }
  if (!pricesOk || v.open === undefined || v.high === undefined || v.low === undefined) return;
  if (v.high < v.low) {
    fail(ctx, 'HIGH_BELOW_LOW', ['high'], `high ${v.high} is below low ${v.low}`);
    return;
  }
  for (const f of ['open', 'close'] as const) {
    const p = v[f]!;
    if (p < v.low || p > v.high) fail(ctx, 'OHLC_INCONSISTENT', [f], `${f} ${p} is outside [low ${v.low}, high ${v.high}]`);
  }
}

function normalise(v: BarFields) {
  const date = v.date !== undefined ? v.date : (timestampToUtcDate(v.timestamp!) as { date: string }).date;
  const ohl = v.open !== undefined ? { open: v.open, high: v.high!, low: v.low! } : {};
  return {
    symbol: v.symbol.toUpperCase(),
    date,
    ...ohl,
    close: v.close,
    ...(v.volume !== undefined ? { volume: v.volume } : {}),
    source: v.source,
  };
}

/** Parses one wire bar into its normalised form (see the module comment for the rules). */
export const PriceBarSchema = z.preprocess(dropNulls, BarFieldsSchema.superRefine(checkBar).transform(normalise));

/** What a producer may send. */
export type PriceBarInput = z.input<typeof BarFieldsSchema>;
/** A validated, normalised bar: upper-case symbol, UTC `YYYY-MM-DD` date, numbers as numbers. */
export type PriceBar = z.infer<typeof PriceBarSchema>;
