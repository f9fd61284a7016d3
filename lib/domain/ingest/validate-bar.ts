/**
 * Validates one wire bar with PriceBarSchema and maps every zod issue to a quarantine
 * reason code: semantic issues carry their code in `params.reason`; for the others a field
 * that is absent (or null) gives SCHEMA_MISSING_FIELD and anything else SCHEMA_INVALID_FIELD.
 */
import type { z } from 'zod';
import { type PriceBar, PriceBarSchema } from '../../schemas/price-bar.ts';
import { isQuarantineReason, type QuarantineReason, reasonRank } from '../../schemas/quarantine-reason.ts';

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

export function validateBar(value: unknown): BarValidation {
  const parsed = PriceBarSchema.safeParse(value);
  if (parsed.success) return { ok: true, bar: parsed.data };
  const issues: BarIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    reason: reasonOf(i, value),
  }));
  // Report the most specific reason first (QUARANTINE_REASONS order), then by field path.
  issues.sort((a, b) => reasonRank(a.reason) - reasonRank(b.reason));
  return { ok: false, reason: issues[0]!.reason, detail: formatIssues(issues), issues };
}
