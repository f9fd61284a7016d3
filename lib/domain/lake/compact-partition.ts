/**
 * The pure half of compaction: folds the staging objects of one (symbol, year) partition into
 * its compacted rows. One row per date survives — the latest version by the lake's dedupe rule
 * ({@link compareBarVersions}, the rule readers apply) — and its `revision` counts the changes
 * applied to that date so far. The result depends only on the input rows and keys, never on
 * their order or the clock, so the same input gives the same bytes ({@link encodeCompacted}).
 */
import { utcDateOfEpochMs } from '../../util/calendar-date.ts';
import { compareBarVersions } from './assemble-series.ts';
import type { LakeBar } from './bar-schema.ts';
import { corruptObjectQuarantineKey, parseStagingKey } from './keys.ts';
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

/**
 * What compaction stores in quarantine for an object that does not decode (one JSON line, the
 * shape Athena's quarantine table reads): the decode error, where the object was and its bytes.
 * For a staging object the shard and sequence number of its record (from the key) lead to the
 * raw backup, from which `riskfn lake rebuild` or a redrive restores its bars.
 */
export interface CorruptObjectEntry {
  reason: 'CORRUPT_OBJECT';
  /** The decode error, then what to do about it. */
  detail: string;
  /** Where the object was (a staging or curated key). */
  sourceKey: string;
  /** Its ETag when compaction read it. */
  etag: string;
  /** ISO-8601 UTC time compaction moved it. */
  movedAt: string;
  sizeBytes: number;
  /** Staging objects: the record the bars came from. */
  shardId?: string;
  sequenceNumber?: string;
  payloadBase64: string;
}

/** A quarantine object for a corrupt lake object: its key (under today's UTC date) and its one-line JSON body. */
export function corruptObjectQuarantine(
  sourceKey: string,
  o: { etag: string; bytes: Uint8Array; problem: string; now: Date },
): { key: string; body: string; entry: CorruptObjectEntry } {
  const staging = parseStagingKey(sourceKey);
  const remedy = staging
    ? `the record ${staging.shardId}/${staging.sequenceNumber} is in raw/: rebuild the symbol (riskfn lake rebuild --symbol ${staging.symbol})`
    : 'its bars are gone from the compacted layer until the symbol is rebuilt from raw/ (riskfn lake rebuild --symbol <S>)';
  const entry: CorruptObjectEntry = {
    reason: 'CORRUPT_OBJECT',
    detail: `${o.problem}; ${remedy}`,
    sourceKey,
    etag: o.etag,
    movedAt: o.now.toISOString(),
    sizeBytes: o.bytes.byteLength,
    ...(staging ? { shardId: staging.shardId, sequenceNumber: staging.sequenceNumber } : {}),
    payloadBase64: Buffer.from(o.bytes).toString('base64'),
  };
  const key = corruptObjectQuarantineKey(sourceKey, utcDateOfEpochMs(o.now.getTime()));
  return { key, body: `${JSON.stringify(entry)}\n`, entry };
}
