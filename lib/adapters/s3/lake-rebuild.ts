/**
 * `riskfn lake rebuild --symbol S`: recomputes a symbol's compacted objects from the source
 * backup alone and compares them with the stored ones, byte for byte.
 *
 * 1. The symbol's pending staging objects are compacted first, so the stored objects hold
 *    everything ingest wrote.
 * 2. Every raw record (`raw/`) is decoded and validated again; its bars of the symbol become lake
 *    rows with the record's provenance (shard, sequence number, bar index, and the arrival time
 *    kept as the raw object's metadata), exactly as planRecord made them. Parts that ingest put in
 *    quarantine stay out — validation failures and held bars — except held bars a person
 *    released, which come back flagged `released` (their quarantine object says so). The
 *    plausibility check is NOT run again: it depended on the lake at the time; the quarantine
 *    holds its decisions.
 * 3. The rows are grouped into staging objects (one per record and year; a released bar on its
 *    own, as release wrote it — the grouping does not change the compacted bytes) and merged per year
 *    with compaction's pure merge (in memory: nothing is written under a scratch prefix), then
 *    encoded with the stored object's watermark (`riskfn.folded`, which records compaction
 *    history, not data) and compared with the stored bytes.
 * With `apply`, a year whose bytes differ or whose object is missing is written (conditional on
 * the stored object's ETag, so a concurrent compaction is never overwritten).
 *
 * Known limit: revision numbers count the changes compaction applied in arrival order. If a
 * correction was redriven after a later version of the same date had already been compacted,
 * compaction ignored it (older), while a rebuild applies all versions in order: the year then
 * reports `differs` in `revision` only.
 */
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import { type KinesisRecordRef, lakeRow, RAW_ARRIVAL_METADATA, RELEASED_FLAG, SPLIT_FLAG } from '../../domain/ingest/plan-record.ts';
import { validateRecordData } from '../../domain/ingest/validate-record.ts';
import type { LakeBar } from '../../domain/lake/bar-schema.ts';
import { encodeCompacted, mergePartition, type StagedBars } from '../../domain/lake/compact-partition.ts';
import {
  curatedObjectKey,
  parseCorruptObjectQuarantineKey,
  parseCuratedKey,
  parseQuarantineKey,
  parseRawKey,
  stagingObjectKey,
} from '../../domain/lake/keys.ts';
import { decodeLakeObject, encodeBars, PARQUET_CONTENT_TYPE } from '../../domain/lake/parquet-bars.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';
import { compactPartitions } from './lake-compactor.ts';
import { getBytesWithEtag, listObjects } from './objects.ts';
import { getQuarantineEntry, HELD_REASONS, releasedStagingKey } from './quarantine-store.ts';

/** Raw objects read at once. */
const READ_CONCURRENCY = 16;
/** Latest bar date for re-validation: none (the date rule depended on the clock at ingest; the quarantine holds its decisions). */
const NO_DATE_LIMIT = '9999-12-31';

export interface RebuildYear {
  year: number;
  key: string;
  /** `same`: identical bytes; `differs`: the rebuilt rows differ; `missing`: no stored object; `extra`: a stored object with no bar in raw/. */
  status: 'same' | 'differs' | 'missing' | 'extra';
  rebuiltBars: number;
  storedBars?: number;
  /** Written (with `apply`, for `differs` and `missing`). */
  written: boolean;
}

export interface RebuildReport {
  symbol: string;
  /** Raw records read (all of raw/: keys do not name symbols). */
  rawRecords: number;
  /** Bars of the symbol found in raw/ and kept (released included). */
  bars: number;
  /** Bars of the symbol left out because they are in quarantine (held, not released). */
  heldOut: number;
  years: RebuildYear[];
}

/** Quarantined parts by `<shard>/<seq>/<barIndex|*>`: `released` (held, released) or `out`. */
async function quarantineIndex(bucket: string): Promise<Map<string, 'released' | 'out'>> {
  const index = new Map<string, 'released' | 'out'>();
  const held: string[] = [];
  for (const { key } of await listObjects(bucket, DATA_LAKE_BUCKET.quarantinePrefix)) {
    const q = parseCorruptObjectQuarantineKey(key) ? null : parseQuarantineKey(key);
    if (!q) continue;
    index.set(`${q.shardId}/${q.sequenceNumber}/${q.barIndex ?? '*'}`, 'out');
    if (HELD_REASONS.includes(q.reason)) held.push(key);
  }
  await mapWithConcurrency(held, READ_CONCURRENCY, async (key) => {
    const entry = await getQuarantineEntry(bucket, key);
    if (entry.released) index.set(`${entry.shardId}/${entry.sequenceNumber}/${entry.barIndex ?? '*'}`, 'released');
  });
  return index;
}

/** One raw record: its bytes (gunzipped) and arrival time (epoch ms, from the object's metadata). */
async function readRaw(bucket: string, key: string): Promise<{ data: Uint8Array; arrivalMs: number }> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const gz = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  const arrival = Number(out.Metadata?.[RAW_ARRIVAL_METADATA]);
  if (!Number.isFinite(arrival)) throw new Error(`${key} has no ${RAW_ARRIVAL_METADATA} metadata: it was not written by ingest`);
  return { data: new Uint8Array(gunzipSync(gz)), arrivalMs: arrival };
}

/** The symbol's staging objects as ingest (and release) wrote them, rebuilt from raw/. */
async function stagedFromRaw(bucket: string, symbol: string, report: RebuildReport): Promise<Map<number, StagedBars[]>> {
  const quarantine = await quarantineIndex(bucket);
  const rawKeys = (await listObjects(bucket, DATA_LAKE_BUCKET.rawPrefix)).map((o) => o.key).filter((k) => parseRawKey(k));
  report.rawRecords = rawKeys.length;
  const objects = new Map<string, { year: number; bars: LakeBar[] }>();
  await mapWithConcurrency(rawKeys, READ_CONCURRENCY, async (key) => {
    const { shardId, sequenceNumber } = parseRawKey(key)!;
    const { data, arrivalMs } = await readRaw(bucket, key);
    const v = validateRecordData(data, NO_DATE_LIMIT);
    const ref: KinesisRecordRef = { shardId, sequenceNumber, approximateArrivalTimestamp: arrivalMs / 1000 };
    for (const a of v.accepted) {
      if (a.bar.symbol !== symbol) continue;
      // A single-bar record is quarantined whole (no bar index in its key).
      const part = quarantine.get(`${shardId}/${sequenceNumber}/${v.kind === 'bar' ? '*' : a.index}`);
      if (part === 'out') {
        report.heldOut += 1;
        continue;
      }
      const row = lakeRow(a.bar, ref, a.index, part === 'released' ? RELEASED_FLAG : v.split ? SPLIT_FLAG : null);
      const year = Number(row.date.slice(0, 4));
      // A released bar has its own staging object (quarantine-store.ts). The grouping of the other
      // rows does not matter: compacted bytes depend on the rows and the stored watermark only.
      const stagingKey = part === 'released' ? releasedStagingKey(row) : stagingObjectKey({ symbol, year, shardId, sequenceNumber });
      const o = objects.get(stagingKey) ?? { year, bars: [] };
      o.bars.push(row);
      objects.set(stagingKey, o);
      report.bars += 1;
    }
  });
  const byYear = new Map<number, StagedBars[]>();
  for (const [key, { year, bars }] of objects) byYear.set(year, [...(byYear.get(year) ?? []), { key, bars }]);
  return byYear;
}

/** Stored compacted objects of the symbol: year → key. */
async function storedYears(bucket: string, symbol: string): Promise<Map<number, string>> {
  const years = new Map<number, string>();
  for (const { key } of await listObjects(bucket, DATA_LAKE_BUCKET.curatedPrefix)) {
    const p = parseCuratedKey(key);
    if (p?.symbol === symbol) years.set(p.year, key);
  }
  return years;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));

/** Rebuilds `symbol` (upper-case) from raw/ and compares; with `apply`, writes the years that differ or are missing. */
export async function rebuildSymbol(bucket: string, symbol: string, opts: { apply?: boolean } = {}): Promise<RebuildReport> {
  await compactPartitions(bucket, { symbol });
  const report: RebuildReport = { symbol, rawRecords: 0, bars: 0, heldOut: 0, years: [] };
  const rebuilt = await stagedFromRaw(bucket, symbol, report);
  const stored = await storedYears(bucket, symbol);
  const years = [...new Set([...rebuilt.keys(), ...stored.keys()])].sort((a, b) => a - b);
  for (const year of years) {
    const key = curatedObjectKey({ symbol, year });
    const staging = rebuilt.get(year);
    if (!staging) {
      report.years.push({ year, key, status: 'extra', rebuiltBars: 0, written: false });
      continue;
    }
    const merged = mergePartition([], staging);
    if (!stored.has(year)) {
      if (opts.apply) await putCompacted(bucket, key, encodeCompacted(merged), undefined);
      report.years.push({ year, key, status: 'missing', rebuiltBars: merged.rows.length, written: opts.apply === true });
      continue;
    }
    const current = await getBytesWithEtag(bucket, key);
    if (!current) {
      // Deleted since the listing: nothing stored to compare with.
      if (opts.apply) await putCompacted(bucket, key, encodeCompacted(merged), undefined);
      report.years.push({ year, key, status: 'missing', rebuiltBars: merged.rows.length, written: opts.apply === true });
      continue;
    }
    let folded: string[] = [];
    let storedBars: number | undefined;
    try {
      const content = await decodeLakeObject(current.bytes);
      folded = content.folded;
      storedBars = content.bars.length;
    } catch {
      // A corrupt stored object: it differs, and rebuilding replaces it.
    }
    const same = sameBytes(encodeBars(merged.rows, { folded }), current.bytes);
    const written = !same && opts.apply === true;
    if (written) await putCompacted(bucket, key, encodeBars(merged.rows, { folded: [...folded, ...merged.folded] }), current.etag);
    report.years.push({
      year,
      key,
      status: same ? 'same' : 'differs',
      rebuiltBars: merged.rows.length,
      ...(storedBars !== undefined ? { storedBars } : {}),
      written,
    });
  }
  return report;
}

/** Writes a compacted object only if it is still the one compared (ETag) or still absent. */
async function putCompacted(bucket: string, key: string, body: Uint8Array, etag: string | undefined): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: PARQUET_CONTENT_TYPE, ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }) }),
  );
}
