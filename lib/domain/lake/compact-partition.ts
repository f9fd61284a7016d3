/**
 * The pure half of compaction: folds the staging objects of one (symbol, year) partition into
 * its compacted rows. One row per date survives — the latest version by the lake's dedupe rule
 * ({@link compareBarVersions}, the rule readers apply) — and its `revision` counts the changes
 * applied to that date so far. The result depends only on the input rows and keys, never on
 * their order or the clock, so the same input gives the same bytes ({@link encodeCompacted}).
 */
import { compareBarVersions } from './assemble-series.ts';
import type { LakeBar } from './bar-schema.ts';
import { compareLakeRows, encodeBars } from './parquet-bars.ts';

/** One staging object read for compaction: its key (the watermark entry) and its bars. */
export interface StagedBars {
  key: string;
  bars: readonly LakeBar[];
}

/** A merged partition: the rows of the new compacted object and the staging keys folded into it. */
export interface MergedPartition {
  /** One row per date, sorted as written ({@link compareLakeRows}). */
  rows: LakeBar[];
  /** Sorted, distinct keys of the staging objects folded in this run (the object's `riskfn.folded`). */
  folded: string[];
}

/** Rows of more than one symbol handed to one merge: a caller bug (the adapter checks each object's partition). */
export class CompactionInputError extends Error {
  override name = 'CompactionInputError';
}

/** The fields whose change is a revision of the bar; provenance, source and flags alone are not. */
const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const satisfies readonly (keyof LakeBar)[];

/** True when `b` changes the prices or volume of `a`. */
function changesValues(a: LakeBar, b: LakeBar): boolean {
  return VALUE_FIELDS.some((f) => a[f] !== b[f]);
}

/**
 * Version order with a total tie-break: two rows with the same provenance are the same bar (a
 * retried batch rewrites identical rows), but should they ever differ, the choice between them
 * must still not depend on input order.
 */
function compareVersionsTotal(a: LakeBar, b: LakeBar): number {
  return compareBarVersions(a, b) || compareLakeRows(a, b) || compareValues(a, b);
}

function compareValues(a: LakeBar, b: LakeBar): number {
  for (const f of [...VALUE_FIELDS, 'source', 'flags'] as const) {
    const x = a[f];
    const y = b[f];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Merges a partition's compacted rows with its staging objects.
 *
 * Per date: the compacted row (if any) is the current version with its revision; the staging
 * versions of that date are applied in version order, each one later than the current version
 * becoming current, and each one that changes the prices or volume adding 1 to the revision.
 * Versions not later than the current one (a staging object folded before, written again by a
 * retried batch; a correction that arrived after a later one was already compacted) change
 * nothing. A date first seen in staging starts at revision 0 (its earliest version).
 *
 * @param compacted rows of the current compacted object (empty when there is none)
 * @param staging the partition's staging objects; every key is folded, even an empty object's
 * @throws CompactionInputError when the rows name more than one symbol
 */
export function mergePartition(compacted: readonly LakeBar[], staging: readonly StagedBars[]): MergedPartition {
  const symbols = new Set([...compacted, ...staging.flatMap((s) => s.bars)].map((b) => b.symbol));
  if (symbols.size > 1) throw new CompactionInputError(`one partition holds one symbol, got ${[...symbols].sort().join(', ')}`);

  const current = new Map<string, LakeBar>();
  // Compacted rows hold one row per date; should an object hold several, the latest is current.
  for (const row of [...compacted].sort(compareVersionsTotal)) current.set(row.date, row);

  const staged = staging.flatMap((s) => s.bars).sort(compareVersionsTotal);
  for (const bar of staged) {
    const cur = current.get(bar.date);
    if (!cur) {
      current.set(bar.date, { ...bar, revision: 0 });
    } else if (compareBarVersions(bar, cur) > 0) {
      current.set(bar.date, { ...bar, revision: cur.revision + (changesValues(cur, bar) ? 1 : 0) });
    }
  }
  return {
    rows: [...current.values()].sort(compareLakeRows),
    folded: [...new Set(staging.map((s) => s.key))].sort(),
  };
}

/** The bytes of the compacted object of a merge: its rows, with the folded keys as `riskfn.folded`. */
export function encodeCompacted(merged: MergedPartition): Uint8Array {
  return encodeBars(merged.rows, { folded: merged.folded });
}
