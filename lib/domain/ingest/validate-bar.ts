/**
 * Validates one wire bar and maps every problem to a quarantine reason code. The usual bar is
 * accepted by the hand-written fast path (./fast-bar.ts); anything else goes through
 * PriceBarSchema, whose semantic issues carry their code in `params.reason`; for the others a
 * field that is absent (or null) gives SCHEMA_MISSING_FIELD and anything else
 * SCHEMA_INVALID_FIELD. The date range (1900-01-01 … tomorrow UTC) depends on the clock, so it
 * is checked after the schema, on the normalised date.
 */
import type * as z from 'zod';
import { barDateRangeProblem, type PriceBar, PriceBarSchema } from '../../schemas/price-bar.ts';
import { isQuarantineReason, type QuarantineReason, reasonRank } from '../../schemas/quarantine-reason.ts';
import { fastBar } from './fast-bar.ts';

export interface BarIssue {
  /** Dotted path of the field inside the bar (`''` for the bar itself). */
  path: string;
  message: string;
  reason: QuarantineReason;
}

export type BarValidation = { ok: true; bar: PriceBar } | { ok: false; reason: QuarantineReason; detail: string; issues: BarIssue[] };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function reasonOf(issue: z.core.$ZodIssue, input: unknown): QuarantineReason {
  const tagged = (issue as { params?: { reason?: unknown } }).params?.reason;
  if (typeof tagged === 'string' && isQuarantineReason(tagged)) return tagged;
  const v = valueAt(input, issue.path);
  return v === undefined || v === null ? 'SCHEMA_MISSING_FIELD' : 'SCHEMA_INVALID_FIELD';
}

/** Human-readable list of every problem, e.g. `close: close is -1, prices must be > 0`. */
export function formatIssues(issues: readonly BarIssue[], pathPrefix = ''): string {
  return issues
    .map((i) => {
      const path = [pathPrefix, i.path].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

function dateRangeIssue(value: unknown, bar: PriceBar, latestDate: string): BarValidation {
  const problem = barDateRangeProblem(bar.date, latestDate);
  if (problem === undefined) return { ok: true, bar };
  // Name the field the producer sent: `timestamp` when the date was derived from it.
  const sentDate = typeof value === 'object' && value !== null && typeof (value as { date?: unknown }).date === 'string';
  const issues: BarIssue[] = [{ path: sentDate ? 'date' : 'timestamp', message: problem, reason: 'INVALID_DATE' }];
  return { ok: false, reason: 'INVALID_DATE', detail: formatIssues(issues), issues };
}

/**
 * Validates and normalises one wire bar. `latestDate` (`YYYY-MM-DD`, from
 * `latestBarDate(now)`) is the last bar date accepted; dates before 1900-01-01 are always refused.
 */
export function validateBar(value: unknown, latestDate: string): BarValidation {
  const fast = fastBar(value);
  if (fast !== undefined) return dateRangeIssue(value, fast, latestDate);
  const parsed = PriceBarSchema.safeParse(value);
  if (parsed.success) return dateRangeIssue(value, parsed.data, latestDate);
  const issues: BarIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    reason: reasonOf(i, value),
  }));
  // Report the most specific reason first (QUARANTINE_REASONS order), then by field path.
  issues.sort((a, b) => reasonRank(a.reason) - reasonRank(b.reason));
  return { ok: false, reason: issues[0]!.reason, detail: formatIssues(issues), issues };
}
