/**
 * PutRecords with Kinesis' limits and partial failures handled: entries are sent in calls
 * of at most 500 records and 5 MiB, and entries the stream refused (FailedRecordCount > 0,
 * e.g. throughput exceeded) are re-sent, in order, with exponential backoff.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../clients.ts';

export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

export interface StreamEntry {
  partitionKey: string;
  data: Uint8Array;
}

export interface PutRecordsOptions {
  /** Attempts per entry, first try included (default 5). */
  maxAttempts?: number;
  /** Backoff before the first retry, doubled per retry (default 100 ms). */
  baseDelayMs?: number;
}

export interface PutRecordsReport {
  records: number;
  calls: number;
  /** Entries that had to be re-sent at least once. */
  retriedEntries: number;
}

export class PutRecordsError extends Error {
  override name = 'PutRecordsError';
  constructor(
    message: string,
    readonly failed: Array<{ entry: StreamEntry; errorCode?: string; errorMessage?: string }>,
  ) {
    super(message);
  }
}

/** Splits entries into calls that respect the count and size limits (partition key bytes count too). */
export function chunkEntries(entries: readonly StreamEntry[]): StreamEntry[][] {
  const chunks: StreamEntry[][] = [];
  let current: StreamEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = e.data.byteLength + Buffer.byteLength(e.partitionKey);
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

export async function putRecords(streamName: string, entries: readonly StreamEntry[], opts: PutRecordsOptions = {}): Promise<PutRecordsReport> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const baseDelayMs = opts.baseDelayMs ?? 100;
  const report: PutRecordsReport = { records: entries.length, calls: 0, retriedEntries: 0 };
  const retried = new Set<StreamEntry>();

  for (const chunk of chunkEntries(entries)) {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const request: PutRecordsRequestEntry[] = pending.map((e) => ({ PartitionKey: e.partitionKey, Data: e.data }));
      const out = await kinesisClient().send(new PutRecordsCommand({ StreamName: streamName, Records: request }));
      report.calls += 1;
      if (!out.FailedRecordCount) break;
      const failed = pending.map((entry, i) => ({ entry, result: out.Records?.[i] })).filter(({ result }) => !result?.SequenceNumber);
      if (attempt >= maxAttempts) {
        throw new PutRecordsError(
          `${failed.length} of ${pending.length} records still refused after ${attempt} attempts`,
          failed.map(({ entry, result }) => ({ entry, errorCode: result?.ErrorCode, errorMessage: result?.ErrorMessage })),
        );
      }
      pending = failed.map(({ entry }) => entry);
      for (const e of pending) retried.add(e);
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
  report.retriedEntries = retried.size;
  return report;
}
