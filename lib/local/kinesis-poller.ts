/**
 * Local stand-in for Lambda's Kinesis event-source mapping: reads the stream with the real
 * Kinesis API (ListShards, GetShardIterator, GetRecords), hands each batch to the handler as
 * a real-shaped KinesisStreamEvent, and follows the deployed mapping's contract:
 * - ReportBatchItemFailures: records before the lowest failed sequence number are
 *   checkpointed; the next batch starts AT_SEQUENCE_NUMBER of that record. A thrown handler
 *   error (or an unknown/empty itemIdentifier) fails the whole batch;
 * - bounded retries: after `maxRetryAttempts` retries of the same starting record, the
 *   batch's metadata (shaped like Lambda's on-failure destination record) is written to
 *   `failed/` in `failedBucket` (the local on-failure destination, read by `riskfn lake
 *   redrive`) and handed to `onFailure`, and reading continues after the batch. If that write
 *   fails, the checkpoint does not move: the batch is read and tried again, never skipped.
 * Checkpoints are kept in memory (a restart re-reads from `startingPosition`). Shards are
 * listed once per start; resharding and the Lambda timeout are not emulated. Shards are
 * polled in parallel, each one batch at a time.
 */

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { _Record } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { describeStream, getRecords, getShardIterator, type RecordsPage, type StreamInfo, toKinesisStreamEvent } from '../adapters/kinesis/shard-reader.ts';
import { putFailureRecord } from '../adapters/s3/failure-records.ts';
import type { OnFailureRecord } from '../schemas/on-failure-record.ts';
import { createLambdaContext } from './lambda-context.ts';

export type { OnFailureRecord };

export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse | undefined>;

export interface KinesisPollerOptions {
  streamName: string;
  handler: KinesisHandler;
  /** Records per invocation (GetRecords Limit); Lambda's default for Kinesis is 100. */
  batchSize?: number;
  /** Where to start reading a shard with no checkpoint (default TRIM_HORIZON). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Retries of a failing batch before it is handed to onFailure (default 3, as the stack's event-source mapping). */
  maxRetryAttempts?: number;
  /** Pause before a retry (default 50 ms). */
  retryDelayMs?: number;
  /** Pause between polls of the background loop started by start() (default 250 ms). */
  pollIntervalMs?: number;
  functionName?: string;
  /** Bucket whose `failed/` prefix receives the failure record of every batch given up on (the local on-failure destination). */
  failedBucket?: string;
  /** Also called with each failure record (after it was written to `failedBucket`). */
  onFailure?: (record: OnFailureRecord) => void | Promise<void>;
  /** Errors of the background loop (e.g. the stream is gone); default: logged to stderr. */
  onError?: (err: unknown) => void;
}

export interface PollerStats {
  invocations: number;
  /** Records handed to the handler, re-deliveries included. */
  recordsDelivered: number;
  /** Invocations that reported failures or threw. */
  failedInvocations: number;
  /** Batches given up after the retries and sent to onFailure. */
  discardedBatches: number;
}

export interface KinesisPoller {
  /** Starts polling in the background until stop(). */
  start(): void;
  /** Reads every shard up to its tip (retries included) and resolves; safe alongside start(). */
  drain(): Promise<PollerStats>;
  /** Stops the background loop and waits for the batch in flight. */
  stop(): Promise<void>;
  stats(): PollerStats;
  /** Last processed sequence number per shard. */
  checkpoints(): ReadonlyMap<string, string>;
}

interface ShardState {
  shardId: string;
  checkpoint?: string;
  iterator?: string | null;
  /** The failing record being retried and how many times it failed so far. */
  retry?: { sequenceNumber: string; failures: number };
}

export function createKinesisPoller(opts: KinesisPollerOptions): KinesisPoller {
  const batchSize = opts.batchSize ?? 100;
  const maxRetryAttempts = opts.maxRetryAttempts ?? 3;
  const retryDelayMs = opts.retryDelayMs ?? 50;
  const pollIntervalMs = opts.pollIntervalMs ?? 250;
  const functionName = opts.functionName ?? 'riskfn-ingest-local';
  const onError = opts.onError ?? ((err: unknown) => console.error('kinesis poller:', err));
  const stats: PollerStats = { invocations: 0, recordsDelivered: 0, failedInvocations: 0, discardedBatches: 0 };

  let stream: StreamInfo | undefined;
  const shards = new Map<string, ShardState>();
  let queue: Promise<unknown> = Promise.resolve();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const arnParts = (): { region: string; account: string } => {
    const [, , , region = 'us-east-1', account = '000000000000'] = stream!.streamArn.split(':');
    return { region, account };
  };

  function toEvent(shardId: string, records: _Record[]): KinesisStreamEvent {
    return toKinesisStreamEvent(stream!.streamArn, shardId, records, functionName);
  }

  function context(): Context {
    return createLambdaContext({ functionName, timeoutMs: 60_000, memoryMb: 512, ...arnParts() });
  }

  /** Index of the first record to retry, or -1 when the batch succeeded. */
  async function invoke(shardId: string, records: _Record[]): Promise<{ failedAt: number; error?: string }> {
    stats.invocations += 1;
    stats.recordsDelivered += records.length;
    let response: KinesisStreamBatchResponse | undefined;
    try {
      response = await opts.handler(toEvent(shardId, records), context());
    } catch {
      // Like Lambda: a function error fails the whole batch (the error itself is the handler's to log).
      stats.failedInvocations += 1;
      return { failedAt: 0, error: 'Unhandled' };
    }
    const failures = response?.batchItemFailures ?? [];
    if (failures.length === 0) return { failedAt: -1 };
    stats.failedInvocations += 1;
    const positions = failures.map((f) => records.findIndex((r) => r.SequenceNumber === f.itemIdentifier));
    // Like Lambda: an identifier that is empty or not in the batch fails the whole batch.
    return { failedAt: positions.some((p) => p < 0) ? 0 : Math.min(...positions) };
  }

  async function sendToOnFailure(shardId: string, failed: _Record[], invokeCount: number, functionError?: string): Promise<void> {
    const { region, account } = arnParts();
    const first = failed[0]!;
    const last = failed[failed.length - 1]!;
    const record: OnFailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: invokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError } : {}) },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber!,
        endSequenceNumber: last.SequenceNumber!,
        approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        batchSize: failed.length,
        streamArn: stream!.streamArn,
      },
    };
    if (opts.failedBucket) await putFailureRecord(opts.failedBucket, record);
    await opts.onFailure?.(record);
    stats.discardedBatches += 1;
  }

  /** Processes one shard until GetRecords reports the tip. */
  async function pumpShard(s: ShardState): Promise<void> {
    for (;;) {
      if (s.iterator === null) return; // closed shard, fully read
      s.iterator ??= await getShardIterator(
        opts.streamName,
        s.shardId,
        s.checkpoint ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: s.checkpoint } : { type: opts.startingPosition ?? 'TRIM_HORIZON' },
      );
      let page: RecordsPage;
      try {
        page = await getRecords(s.iterator, batchSize);
      } catch (err) {
        s.iterator = undefined; // e.g. an expired iterator: start again from the checkpoint next time
        throw err;
      }
      if (page.records.length === 0) {
        s.iterator = page.nextIterator;
        if (page.millisBehindLatest > 0) continue;
        // At the tip: the next poll asks for a fresh iterator after the checkpoint rather than keeping
        // this one (iterators expire after 5 min, and kinesalite dates an empty read's iterator "now").
        // With LATEST and nothing read yet, the iterator is the only marker of the start, so it is kept.
        if (s.iterator !== null && (s.checkpoint || (opts.startingPosition ?? 'TRIM_HORIZON') === 'TRIM_HORIZON')) {
          s.iterator = undefined;
        }
        return;
      }
      const records = page.records;
      const { failedAt, error } = await invoke(s.shardId, records);
      if (failedAt < 0) {
        s.checkpoint = records[records.length - 1]!.SequenceNumber!;
        s.iterator = page.nextIterator;
        s.retry = undefined;
        continue;
      }
      const failedSeq = records[failedAt]!.SequenceNumber!;
      if (failedAt > 0) s.checkpoint = records[failedAt - 1]!.SequenceNumber!;
      const failures = s.retry?.sequenceNumber === failedSeq ? s.retry.failures + 1 : 1;
      if (failures > maxRetryAttempts) {
        await sendToOnFailure(s.shardId, records.slice(failedAt), failures, error);
        s.checkpoint = records[records.length - 1]!.SequenceNumber!;
        s.iterator = page.nextIterator;
        s.retry = undefined;
        continue;
      }
      s.retry = { sequenceNumber: failedSeq, failures };
      s.iterator = await getShardIterator(opts.streamName, s.shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: failedSeq });
      await sleep(retryDelayMs);
    }
  }

  async function pumpAll(): Promise<void> {
    if (!stream) {
      stream = await describeStream(opts.streamName);
      for (const shardId of stream.shardIds) shards.set(shardId, { shardId });
    }
    await Promise.all([...shards.values()].map(pumpShard));
  }

  /** Runs pumps one after another, so a shard is never read by two pumps at once. */
  function enqueue(): Promise<void> {
    const run = queue.then(pumpAll);
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await enqueue();
          } catch (err) {
            if (running) onError(err);
          }
          if (!running) break;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, pollIntervalMs);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          wake = undefined;
        }
      })();
    },
    async drain() {
      await enqueue();
      return { ...stats };
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await queue;
    },
    stats: () => ({ ...stats }),
    checkpoints: () => new Map([...shards.values()].filter((s) => s.checkpoint).map((s) => [s.shardId, s.checkpoint!])),
  };
}
