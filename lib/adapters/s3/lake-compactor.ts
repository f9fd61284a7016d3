/**
 * Compaction against S3: folds the staging objects of a (symbol, year) partition into its one
 * compacted object `curated/prices/year=Y/<S>.parquet`, the merge itself being pure
 * (lib/domain/lake/compact-partition.ts).
 *
 * Safe under concurrent runs without a lock: the new object is committed with a conditional PUT
 * on the state it was computed from (`If-Match: <ETag read>`, or `If-None-Match: *` when there
 * was no object). A run that lost the race gets 412 and starts over from the winner's object.
 * Staging objects are deleted only after a commit that contains them, exactly those named in the
 * committed object's `riskfn.folded`, and each only while it is still the version that was read
 * (a DELETE with `If-Match`) — so a bar is always in a staging object, in the compacted object,
 * or in both, and a run that read a since-deleted staging object cannot commit.
 */
import { DeleteObjectCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DATA_LAKE_BUCKET } from '../../config/resources.ts';
import type { LakeBar } from '../../domain/lake/bar-schema.ts';
import { corruptObjectQuarantine, encodeCompacted, mergePartition, type StagedBars } from '../../domain/lake/compact-partition.ts';
import { decodePartitionObject } from '../../domain/lake/decode-partition-object.ts';
import { curatedObjectKey, parseCuratedKey, parseStagingKey, stagingSymbolPrefix } from '../../domain/lake/keys.ts';
import { CorruptLakeObjectError, PARQUET_CONTENT_TYPE } from '../../domain/lake/parquet-bars.ts';
import { backoffMs } from '../../util/backoff.ts';
import { mapWithConcurrency } from '../../util/map-with-concurrency.ts';
import { s3Client } from '../clients.ts';
import { getBytesWithEtag, putText } from './objects.ts';

/** One (symbol, year) partition. */
export interface Partition {
  symbol: string;
  year: number;
}

/** GETs / DELETEs in flight within one partition. */
const OBJECT_CONCURRENCY = 16;
/** Partitions compacted at once by {@link compactPartitions}. */
const PARTITION_CONCURRENCY = 4;
/** Attempts per partition: a lost race (412) starts over; contention is rare (one run per schedule tick), so a few suffice. */
const COMPACTION_ATTEMPTS = 8;
/** Base of the jittered pause before attempt n (uniform in [0, base·2^(n-1)), capped at 1 s). */
const CONFLICT_BACKOFF_MS = 25;

/** The partition lost the conditional commit (or kept changing) {@link COMPACTION_ATTEMPTS} times: nothing was lost; a later run folds it. */
export class CompactionConflictError extends Error {
  override name = 'CompactionConflictError';
  constructor(readonly partition: Partition) {
    super(
      `compaction of ${partition.symbol} ${partition.year} did not settle in ${COMPACTION_ATTEMPTS} attempts (commits lost to concurrent writers); a later run will fold it`,
    );
  }
}

/** Receives a warning per corrupt object moved to quarantine (e.g. the Powertools logger). */
export interface CompactionLogger {
  warn(message: string, details: Record<string, unknown>): void;
}

export interface CompactOptions {
  /** Clock for the quarantine date and entry; defaults to the wall clock. */
  now?: () => Date;
  logger?: CompactionLogger;
}

/** What one partition's compaction did. */
export interface PartitionCompaction extends Partition {
  /** `compacted`: a new object was committed; `unchanged`: the merge gave the stored bytes (only folded staging was deleted); `empty`: nothing to do. */
  status: 'compacted' | 'unchanged' | 'empty';
  /** The compacted object's key. */
  key: string;
  /** Staging objects folded into the object (and then deleted), corrupt ones included. */
  objectsFolded: number;
  /** Rows of the committed object (one per date). */
  bars: number;
  /** Objects moved to quarantine/reason=CORRUPT_OBJECT/ (staging, or the compacted object itself). */
  corruptObjects: string[];
  /** Conditional commits lost before this one succeeded. */
  conflicts: number;
}

interface ReadObject {
  key: string;
  etag: string;
  bytes: Uint8Array;
}

interface CorruptObject extends ReadObject {
  problem: string;
}

/** Decodes `obj`, or returns it as corrupt. */
async function decodeOrCorrupt(obj: ReadObject): Promise<{ bars: LakeBar[] } | { corrupt: CorruptObject }> {
  try {
    return { bars: (await decodePartitionObject(obj.key, obj.bytes)).bars };
  } catch (err) {
    if (err instanceof CorruptLakeObjectError) return { corrupt: { ...obj, problem: err.reason } };
    throw err;
  }
}

/** Keys of the partition's staging objects (every year of the symbol is under one prefix; keep this year's). */
async function listPartitionStaging(bucket: string, p: Partition): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: stagingSymbolPrefix(p.symbol) })) {
    for (const o of page.Contents ?? []) {
      const parts = o.Key ? parseStagingKey(o.Key) : null;
      if (parts && parts.year === p.year) keys.push(o.Key!);
    }
  }
  return keys;
}

/** True for the answers of a conditional PUT whose condition no longer holds. */
function isLostRace(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  // 412: the ETag changed / the key now exists. 409: S3's ConditionalRequestConflict (a concurrent
  // conditional write). 404: the object read was deleted since (If-Match on a missing key).
  return status === 412 || status === 409 || e.name === 'NoSuchKey' || e.name === 'PreconditionFailed' || e.name === 'ConditionalRequestConflict';
}

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, { baseDelayMs: CONFLICT_BACKOFF_MS, maxDelayMs: 1000 })));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** What one attempt did: lost the commit, found nothing to do, or committed (or found the merge already stored). */
type Attempt =
  | { outcome: 'lost' }
  | { outcome: 'empty'; bars: number }
  | { outcome: 'compacted' | 'unchanged'; folded: number; bars: number; corrupt: string[]; changed: string[] };

/** Deletes a folded staging object unless it changed since it was read; true when it changed (so it was kept). */
async function deleteIfUnchanged(bucket: string, key: string, etag: string): Promise<boolean> {
  try {
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
    return false;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.$metadata?.httpStatusCode === 412 || e.name === 'PreconditionFailed') return true;
    // Already gone: a concurrent run folded and deleted it.
    if (e.$metadata?.httpStatusCode === 404 || e.name === 'NoSuchKey') return false;
    throw err;
  }
}

async function attemptCompaction(bucket: string, partition: Partition, key: string, opts: CompactOptions): Promise<Attempt> {
  const now = opts.now ?? (() => new Date());
  // The compacted object first: a staging object missing below was deleted after a commit, so
  // either this ETag already contains it or the conditional commit will fail.
  const current = await getBytesWithEtag(bucket, key);
  const corrupt: CorruptObject[] = [];
  let compacted: LakeBar[] = [];
  if (current) {
    const decoded = await decodeOrCorrupt({ key, etag: current.etag, bytes: current.bytes });
    if ('corrupt' in decoded) corrupt.push(decoded.corrupt);
    else compacted = decoded.bars;
  }
  const stagingKeys = await listPartitionStaging(bucket, partition);
  if (stagingKeys.length === 0 && corrupt.length === 0) return { outcome: 'empty', bars: compacted.length };

  const staged: StagedBars[] = [];
  /** ETag of each staging object as read: it is deleted only while still that version. */
  const etags = new Map<string, string>();
  await mapWithConcurrency(stagingKeys, OBJECT_CONCURRENCY, async (k) => {
    const got = await getBytesWithEtag(bucket, k);
    // Deleted since the listing: a concurrent run committed it (see above).
    if (!got) return;
    etags.set(k, got.etag);
    const decoded = await decodeOrCorrupt({ key: k, etag: got.etag, bytes: got.bytes });
    if ('corrupt' in decoded) {
      corrupt.push(decoded.corrupt);
      // Folded with no bars: deleted after the commit, like every folded key.
      staged.push({ key: k, bars: [] });
    } else {
      staged.push({ key: k, bars: decoded.bars });
    }
  });
  // Quarantine before the commit: the bytes are kept whatever happens next (same key on a retry).
  await mapWithConcurrency(corrupt, OBJECT_CONCURRENCY, async (c) => {
    const q = corruptObjectQuarantine(c.key, { etag: c.etag, bytes: c.bytes, problem: c.problem, now: now() });
    await putText(bucket, q.key, q.body);
    opts.logger?.warn('corrupt lake object moved to quarantine', { key: c.key, quarantineKey: q.key, problem: c.problem });
  });

  const merged = mergePartition(compacted, staged);
  const body = encodeCompacted(merged);
  const unchanged = current !== null && sameBytes(body, current.bytes);
  if (!unchanged) {
    try {
      await s3Client().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: PARQUET_CONTENT_TYPE,
          ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
        }),
      );
    } catch (err) {
      if (isLostRace(err)) return { outcome: 'lost' };
      throw err;
    }
  }
  // Committed (or already stored): the folded staging objects are now redundant — each one as it
  // was read. One rewritten since (e.g. a retried ingest invocation writing its staging key again) is kept.
  const kept = await mapWithConcurrency(merged.folded, OBJECT_CONCURRENCY, (k) => deleteIfUnchanged(bucket, k, etags.get(k)!));
  return {
    outcome: unchanged ? 'unchanged' : 'compacted',
    folded: merged.folded.length,
    bars: merged.rows.length,
    corrupt: corrupt.map((c) => c.key),
    changed: merged.folded.filter((_, i) => kept[i]),
  };
}

/**
 * Folds the staging objects of one partition into its compacted object (see the module comment
 * for why concurrent runs lose nothing). Corrupt objects are copied to quarantine with the decode
 * error before the commit; a corrupt staging object is then deleted with the folded ones, a
 * corrupt compacted object is replaced by the merge of the staging bars. A folded staging object
 * rewritten between its read and its delete is kept and folded again at once (its key is in the
 * new object's watermark, so readers skip it until then).
 * @throws CompactionConflictError after {@link COMPACTION_ATTEMPTS} attempts
 */
export async function compactPartition(bucket: string, partition: Partition, opts: CompactOptions = {}): Promise<PartitionCompaction> {
  const key = curatedObjectKey(partition);
  let status: PartitionCompaction['status'] = 'empty';
  let objectsFolded = 0;
  let bars = 0;
  let conflicts = 0;
  const corruptObjects = new Set<string>();
  for (let attempt = 1; attempt <= COMPACTION_ATTEMPTS; attempt++) {
    if (attempt > 1) await pause(attempt);
    const step = await attemptCompaction(bucket, partition, key, opts);
    if (step.outcome === 'lost') {
      conflicts++;
      continue;
    }
    bars = step.bars;
    if (step.outcome !== 'empty') {
      if (status !== 'compacted') status = step.outcome;
      objectsFolded += step.folded;
      for (const c of step.corrupt) corruptObjects.add(c);
      if (step.changed.length > 0) {
        opts.logger?.warn('staging objects changed while being folded; folding them again', { keys: step.changed });
        continue;
      }
    }
    return { ...partition, status, key, objectsFolded, bars, corruptObjects: [...corruptObjects].sort(), conflicts };
  }
  throw new CompactionConflictError(partition);
}

/**
 * The partitions that have staging objects, sorted by symbol then year: one LIST of
 * `staging/prices/` (or of one symbol's prefix), one request per 1000 staging objects.
 */
export async function stagedPartitions(bucket: string, symbol?: string): Promise<Partition[]> {
  return (await listStaged(bucket, symbol)).partitions;
}

/** {@link stagedPartitions}, and when the oldest staging object listed was written (null when none). */
async function listStaged(bucket: string, symbol?: string): Promise<{ partitions: Partition[]; oldest: Date | null }> {
  const prefix = symbol === undefined ? DATA_LAKE_BUCKET.stagingPrefix : stagingSymbolPrefix(symbol);
  const seen = new Map<string, Partition>();
  let oldest: Date | null = null;
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: prefix })) {
    for (const o of page.Contents ?? []) {
      const parts = o.Key ? parseStagingKey(o.Key) : null;
      if (!parts) continue;
      seen.set(`${parts.symbol}\u0000${parts.year}`, { symbol: parts.symbol, year: parts.year });
      if (o.LastModified && (oldest === null || o.LastModified < oldest)) oldest = o.LastModified;
    }
  }
  const partitions = [...seen.values()].sort((a, b) => (a.symbol !== b.symbol ? (a.symbol < b.symbol ? -1 : 1) : a.year - b.year));
  return { partitions, oldest };
}

/** A partition whose compaction failed, and why. */
export interface FailedPartition extends Partition {
  error: Error;
}

/** Every partition of `symbol`: staged or compacted, sorted by year. */
async function partitionsOf(bucket: string, symbol: string): Promise<Partition[]> {
  const [staged, compacted] = await Promise.all([stagedPartitions(bucket, symbol), compactedPartitionsOf(bucket, symbol)]);
  const years = new Set([...staged, ...compacted].map((p) => p.year));
  return [...years].sort((a, b) => a - b).map((year) => ({ symbol, year }));
}

/**
 * The partitions of one symbol that have a compacted object, sorted by year: one LIST of
 * `curated/prices/` (one request per 1000 compacted objects of all symbols).
 */
async function compactedPartitionsOf(bucket: string, symbol: string): Promise<Partition[]> {
  const out: Partition[] = [];
  for await (const page of paginateListObjectsV2({ client: s3Client() }, { Bucket: bucket, Prefix: DATA_LAKE_BUCKET.curatedPrefix })) {
    for (const o of page.Contents ?? []) {
      const parts = o.Key ? parseCuratedKey(o.Key) : null;
      if (parts?.symbol === symbol) out.push(parts);
    }
  }
  return out.sort((a, b) => a.year - b.year);
}

/** Totals of a compaction run over many partitions. */
export interface CompactionRun {
  partitions: PartitionCompaction[];
  /** Partitions that failed (the others were still compacted); their staging objects stay readable. */
  failed: FailedPartition[];
  /** Staging objects folded into committed objects. */
  objectsCompacted: number;
  /** Rows of the objects committed by this run. */
  barsCompacted: number;
  corruptObjects: number;
  /**
   * When the oldest staging object was written, as the run listed them (ISO 8601; runs over every
   * staged partition only, absent when nothing was staged): the compaction lag is the time from
   * then to the end of the run.
   */
  oldestStagedAt?: string;
}

/**
 * Compacts the given partitions, a few at a time. Default: every partition with staging objects;
 * with `symbol`, every partition of that symbol with staging objects or a compacted object (so a
 * corrupt compacted object is moved to quarantine even when nothing is staged for its year).
 * A partition that fails does not stop the others: it is reported in `failed` and its staging
 * objects wait, readable, for the next run.
 */
export async function compactPartitions(
  bucket: string,
  opts: CompactOptions & { partitions?: readonly Partition[]; symbol?: string } = {},
): Promise<CompactionRun> {
  const staged = opts.partitions || opts.symbol !== undefined ? null : await listStaged(bucket);
  const partitions = opts.partitions ?? staged?.partitions ?? (await partitionsOf(bucket, opts.symbol!));
  const failed: FailedPartition[] = [];
  const settled = await mapWithConcurrency(partitions, PARTITION_CONCURRENCY, async (p) => {
    try {
      return await compactPartition(bucket, p, opts);
    } catch (err) {
      failed.push({ ...p, error: err instanceof Error ? err : new Error(String(err)) });
      return null;
    }
  });
  const results = settled.filter((r): r is PartitionCompaction => r !== null);
  return {
    partitions: results,
    failed,
    objectsCompacted: results.reduce((n, r) => n + r.objectsFolded, 0),
    barsCompacted: results.filter((r) => r.status === 'compacted').reduce((n, r) => n + r.bars, 0),
    corruptObjects: results.reduce((n, r) => n + r.corruptObjects.length, 0),
    ...(staged?.oldest ? { oldestStagedAt: staged.oldest.toISOString() } : {}),
  };
}
