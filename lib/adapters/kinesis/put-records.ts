/**
 * PutRecords with Kinesis' limits and partial failures handled: entries are sent in calls of at
 * most 500 records and 5 MiB (data plus partition keys), a record's data may be at most 1 MiB,
 * and entries the stream refused (FailedRecordCount > 0, e.g. ProvisionedThroughputExceeded) or
 * that a failed call carried (a network error, a 5xx after the SDK's own retries) are re-sent,
 * in order, after a backoff with full jitter.
 *
 * Retry budget ({@link DEFAULT_RETRY_BUDGET}): at most 8 attempts per entry, first included;
 * before retry k (k = 1..7) a random pause in [0, min(5 s, 100 ms · 2^(k−1))], so at most
 * 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5 = 11.3 s of waiting per call of 500 records. Kinesis
 * throttles per shard and second (1,000 records or 1 MiB), so a budget of several seconds lets a
 * burst drain instead of failing; jitter keeps producers that were throttled together from
 * retrying together. Errors that a retry cannot fix (the stream does not exist, access denied,
 * a malformed request, no credentials or region) end the send at once ({@link isRetryableCallError}).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { backoffMs, type RetryBudget } from '../../util/backoff.ts';
import { kinesisClient } from '../clients.ts';

/** Most records one PutRecords call may carry (a Kinesis limit). */
export const MAX_RECORDS_PER_CALL = 500;
/** Most bytes (data plus partition keys) one PutRecords call may carry: 5 MiB (a Kinesis limit). */
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** Most bytes one record (data plus partition key) may have: 1 MiB (a Kinesis limit). */
export const MAX_BYTES_PER_RECORD = 1024 * 1024;

export interface StreamEntry {
  partitionKey: string;
  data: Uint8Array;
}

/** How long refused entries are retried. */
/** The budget stated in the module comment: 8 attempts, pauses ≤ 100 ms doubling to ≤ 5 s (≤ 11.3 s in all per call). */
export const DEFAULT_RETRY_BUDGET: RetryBudget = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5000 };

export type PutRecordsOptions = Partial<RetryBudget> & {
  /** Called after every PutRecords call with the number of entries settled so far (sent or given up). */
  onProgress?: (settled: number) => void;
};

export interface PutRecordsReport {
  records: number;
  calls: number;
  /** Entries that had to be re-sent at least once. */
  retriedEntries: number;
}

/** An entry that could not be sent within the retry budget, with the last error Kinesis (or the call) gave. */
export interface FailedEntry {
  entry: StreamEntry;
  errorCode?: string;
  errorMessage?: string;
}

/** What {@link sendRecords} did: every entry is either sent or in `failed`. */
export interface SendReport extends PutRecordsReport {
  sent: number;
  failed: FailedEntry[];
  /** The error no retry could fix that stopped the send (`Code: message`), if one did. */
  stoppedBy?: string;
}

export class PutRecordsError extends Error {
  override name = 'PutRecordsError';
  constructor(
    message: string,
    readonly failed: FailedEntry[],
  ) {
    super(message);
  }
}

/** Bytes an entry counts for against the call and record limits: its data plus its partition key (UTF-8). */
export function entryBytes(e: StreamEntry): number {
  return e.data.byteLength + Buffer.byteLength(e.partitionKey);
}

/**
 * Splits entries into calls that respect the count and size limits, in order.
 * @throws RangeError for an entry above {@link MAX_BYTES_PER_RECORD} (Kinesis would refuse the whole call)
 */
export function chunkEntries(entries: readonly StreamEntry[]): StreamEntry[][] {
  const chunks: StreamEntry[][] = [];
  let current: StreamEntry[] = [];
  let bytes = 0;
  for (const [i, e] of entries.entries()) {
    const size = entryBytes(e);
    if (size > MAX_BYTES_PER_RECORD) throw new RangeError(`record ${i} is ${size} bytes, above the Kinesis limit of ${MAX_BYTES_PER_RECORD} bytes per record`);
    if (current.length > 0 && (current.length >= MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Network failures a retry may get past (the request may not have reached the stream). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether a failed PutRecords call is worth retrying: the service answered with a throttle or a
 * 5xx, or the network failed on the way. Anything else — the stream does not exist, access denied,
 * a malformed request, no credentials or region configured — fails the same way every time.
 */
export function isRetryableCallError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || /Throttl|LimitExceeded|ProvisionedThroughputExceeded/.test(e.name ?? '');
  return NETWORK_CODES.has(e?.code ?? '') || e?.name === 'TimeoutError' || e?.$retryable !== undefined;
}

/**
 * Sends every entry, retrying refused ones within the budget, and reports what could not be sent
 * instead of throwing for it. An error no retry can fix (see the module comment) stops the send:
 * the entries not sent yet are reported failed with that error and `stoppedBy` says why.
 */
export async function sendRecords(streamName: string, entries: readonly StreamEntry[], opts: PutRecordsOptions = {}): Promise<SendReport> {
  const budget: RetryBudget = {
    maxAttempts: opts.maxAttempts ?? DEFAULT_RETRY_BUDGET.maxAttempts,
    baseDelayMs: opts.baseDelayMs ?? DEFAULT_RETRY_BUDGET.baseDelayMs,
    maxDelayMs: opts.maxDelayMs ?? DEFAULT_RETRY_BUDGET.maxDelayMs,
  };
  const report: SendReport = { records: entries.length, calls: 0, retriedEntries: 0, sent: 0, failed: [] };
  const retried = new Set<StreamEntry>();
  const chunks = chunkEntries(entries);

  for (const [c, chunk] of chunks.entries()) {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const request: PutRecordsRequestEntry[] = pending.map((e) => ({ PartitionKey: e.partitionKey, Data: e.data }));
      let refused: FailedEntry[];
      report.calls += 1;
      try {
        const out = await kinesisClient().send(new PutRecordsCommand({ StreamName: streamName, Records: request }));
        refused = pending
          .map((entry, i) => ({ entry, result: out.Records?.[i] }))
          .filter(({ result }) => !result?.SequenceNumber)
          .map(({ entry, result }) => ({ entry, errorCode: result?.ErrorCode, errorMessage: result?.ErrorMessage }));
      } catch (err) {
        const e = err as Error & { code?: string };
        const errorCode = e.name === 'Error' ? (e.code ?? 'Error') : e.name;
        if (!isRetryableCallError(err)) {
          const unsent = [...pending, ...chunks.slice(c + 1).flat()];
          report.failed.push(...unsent.map((entry) => ({ entry, errorCode, errorMessage: e.message })));
          report.stoppedBy = `${errorCode}: ${e.message}`;
          report.retriedEntries = retried.size;
          opts.onProgress?.(report.records);
          return report;
        }
        refused = pending.map((entry) => ({ entry, errorCode, errorMessage: e.message }));
      }
      report.sent += pending.length - refused.length;
      const done = refused.length === 0 || attempt >= budget.maxAttempts;
      if (done) report.failed.push(...refused);
      opts.onProgress?.(report.sent + report.failed.length);
      if (done) break;
      pending = refused.map(({ entry }) => entry);
      for (const e of pending) retried.add(e);
      await sleep(backoffMs(attempt, budget));
    }
  }
  report.retriedEntries = retried.size;
  return report;
}

/**
 * {@link sendRecords} for callers that need every entry on the stream.
 * @throws PutRecordsError naming the entries still refused after the retry budget
 */
export async function putRecords(streamName: string, entries: readonly StreamEntry[], opts: PutRecordsOptions = {}): Promise<PutRecordsReport> {
  const r = await sendRecords(streamName, entries, opts);
  if (r.failed.length > 0) {
    const why = r.stoppedBy ?? `still refused after ${opts.maxAttempts ?? DEFAULT_RETRY_BUDGET.maxAttempts} attempts`;
    throw new PutRecordsError(`${r.failed.length} of ${r.records} records not sent: ${why}`, r.failed);
  }
  return { records: r.records, calls: r.calls, retriedEntries: r.retriedEntries };
}
