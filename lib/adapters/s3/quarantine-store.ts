/**
 * Reading and releasing what ingest and compaction put in quarantine (`quarantine/reason=<CODE>/
 * ingest_date=<YYYY-MM-DD>/…`): the listing behind `riskfn lake quarantine`, and `riskfn lake
 * release`, which applies a held bar (IMPLAUSIBLE_PRICE / SUSPECT_REVISION) after a person
 * checked it: the bar is written as its own staging object (keyed by the held part) with its
 * original provenance and the flag `released`, the partition is compacted, and the quarantine object is rewritten with a `released`
 * note (kept, so the bar stays traceable and `riskfn lake rebuild` knows it was applied).
 */

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { lakeRow, type QuarantineEntry, quarantineBody, RELEASED_FLAG } from '../../domain/ingest/plan-record.ts';
import type { LakeBar } from '../../domain/lake/bar-schema.ts';
import { parseCorruptObjectQuarantineKey, parseQuarantineKey, stagingObjectKey } from '../../domain/lake/keys.ts';
import { PARQUET_CONTENT_TYPE } from '../../domain/lake/parquet-bars.ts';
import { encodeStagingBars } from '../../domain/lake/staging-parquet.ts';
import { isQuarantineReason, type QuarantineReason } from '../../schemas/quarantine-reason.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';
import { compactPartition } from './lake-compactor.ts';
import { getText, listObjects, ObjectMissingError, putText } from './objects.ts';

/** The staging key of a released bar: one object per held part, so releases never touch ingest's objects. */
export function releasedStagingKey(row: LakeBar): string {
  return stagingObjectKey({
    symbol: row.symbol,
    year: Number(row.date.slice(0, 4)),
    shardId: row.shardId,
    sequenceNumber: row.sequenceNumber,
    releasedBarIndex: row.barIndex,
  });
}

/** Reasons whose parts are held (applied on release), not rejected. */
export const HELD_REASONS: readonly QuarantineReason[] = ['IMPLAUSIBLE_PRICE', 'SUSPECT_REVISION'];

/** One line of `riskfn lake quarantine`. */
export interface QuarantineListing {
  key: string;
  reason: QuarantineReason;
  ingestDate: string;
  /** `held` / `released` for held reasons, `rejected` for validation failures, `corrupt` for CORRUPT_OBJECT. */
  status: 'held' | 'released' | 'rejected' | 'corrupt';
  /** The quarantine entry's `detail` (read for held parts only; rejected parts show their key's parts). */
  detail?: string;
  /** Held parts: the bar's symbol and date. */
  symbol?: string;
  date?: string;
}

/** GETs in flight while reading held entries for a listing. */
const READ_CONCURRENCY = 16;

/** The quarantine entry stored under `key`. */
export async function getQuarantineEntry(bucket: string, key: string): Promise<QuarantineEntry> {
  return JSON.parse(await getText(bucket, key)) as QuarantineEntry;
}

/**
 * Quarantined and held parts, oldest ingest date first (then by key). `reason` narrows the
 * listing to one prefix; `since` (`YYYY-MM-DD`) keeps ingest dates on or after it. Held parts are
 * read (one GET each) to show their symbol, date and whether they were released.
 */
export async function listQuarantine(bucket: string, opts: { reason?: QuarantineReason; since?: string } = {}): Promise<QuarantineListing[]> {
  const prefix = `${DATA_LAKE_BUCKET.quarantinePrefix}${opts.reason ? `reason=${opts.reason}/` : ''}`;
  const rows: QuarantineListing[] = [];
  for (const { key } of await listObjects(bucket, prefix)) {
    const parts = parseQuarantineKey(key);
    const corrupt = parts ? null : parseCorruptObjectQuarantineKey(key);
    if (!parts && !corrupt) continue;
    const ingestDate = parts?.ingestDate ?? corrupt!.ingestDate;
    if (opts.since && ingestDate < opts.since) continue;
    const reason: QuarantineReason = parts ? parts.reason : 'CORRUPT_OBJECT';
    rows.push({ key, reason, ingestDate, status: corrupt ? 'corrupt' : HELD_REASONS.includes(reason) ? 'held' : 'rejected' });
  }
  await mapWithConcurrency(
    rows.filter((r) => r.status === 'held'),
    READ_CONCURRENCY,
    async (row) => {
      const entry = await getQuarantineEntry(bucket, row.key);
      row.detail = entry.detail;
      if (entry.held) {
        row.symbol = entry.held.bar.symbol;
        row.date = entry.held.bar.date;
      }
      if (entry.released) row.status = 'released';
    },
  );
  return rows.sort((a, b) => (a.ingestDate !== b.ingestDate ? (a.ingestDate < b.ingestDate ? -1 : 1) : a.key < b.key ? -1 : 1));
}

/** A key that cannot be released, and why (the CLI reports it as a data error). */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

/** What a release did. */
export interface ReleaseResult {
  /** The staging object written for the bar: `<shardId>-<seq>-<YYYY>-released-<barIndex>.parquet`. */
  stagingKey: string;
  /** False when the part had already been released (the bar is written again, identically). */
  firstRelease: boolean;
  entry: QuarantineEntry;
}

/**
 * Applies the held bar stored under `key`: writes it as its own staging object, keyed by the held
 * part (original shard, sequence number, bar index and arrival time; flags `released`), records
 * the release on the quarantine object, and compacts that partition at once — on a second release
 * the key is in the compacted object's watermark from the first fold, and readers skip
 * watermarked staging objects until compaction folds them again. Idempotent: releasing twice
 * writes the same object.
 * @throws ReleaseError when the key is not a held part
 */
export async function releaseHeldPart(bucket: string, key: string, now: Date): Promise<ReleaseResult> {
  const parts = parseQuarantineKey(key);
  if (!parts || !isQuarantineReason(parts.reason) || !HELD_REASONS.includes(parts.reason)) {
    throw new ReleaseError(`${key} is not a held part (quarantine/reason=IMPLAUSIBLE_PRICE|SUSPECT_REVISION/…); only held bars can be released`);
  }
  let entry: QuarantineEntry;
  try {
    entry = await getQuarantineEntry(bucket, key);
  } catch (err) {
    if (err instanceof ObjectMissingError) throw new ReleaseError(`${key} does not exist`);
    throw err;
  }
  if (!entry.held) throw new ReleaseError(`${key} holds no bar to release`);
  const ref = {
    shardId: entry.shardId,
    sequenceNumber: entry.sequenceNumber,
    approximateArrivalTimestamp: Date.parse(entry.approximateArrivalTimestamp) / 1000,
  };
  const row = lakeRow(entry.held.bar, ref, entry.barIndex ?? 0, RELEASED_FLAG);
  const year = Number(row.date.slice(0, 4));
  const stagingKey = releasedStagingKey(row);
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: stagingKey, Body: encodeStagingBars([row]), ContentType: PARQUET_CONTENT_TYPE }));
  const firstRelease = entry.released === undefined;
  if (firstRelease) {
    entry.released = { at: now.toISOString(), stagingKey };
    await putText(bucket, key, quarantineBody(entry));
  }
  await compactPartition(bucket, { symbol: row.symbol, year });
  return { stagingKey, firstRelease, entry };
}
