/**
 * Ingest Lambda: Kinesis market-data records → S3 data lake (docs/data-lake.md).
 *
 * For each record, in stream order: validate and normalise (pure, lib/domain/ingest), load the
 * closes the lake already holds for the record's symbols (once per symbol per invocation, through
 * the lake reader), check plausibility, then write the raw backup FIRST (so everything stored can
 * be traced to it), then the staging Parquet objects and the quarantine objects. Every S3 call is
 * retried with backoff and jitter within {@link INGEST_S3_RETRY_BUDGET}; a record that still fails
 * is reported in `batchItemFailures` (the event source mapping runs with ReportBatchItemFailures),
 * retried by the mapping and, after its retries, sent to the on-failure destination, from which
 * `riskfn lake redrive` ingests it again. Keys are derived from shard id + sequence number, so
 * every retry overwrites instead of duplicating.
 *
 * Records are processed one after another, not in parallel: a record's bars are checked against
 * the bars of the records before it. Once a record fails, the rest of the batch is failed without
 * being processed — the mapping retries from the lowest failed record anyway, and checking later
 * records against bars that were never stored would decide them on a state that does not exist.
 *
 * Runs unchanged in AWS and under the local poller (lib/local/kinesis-poller.ts).
 */
import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { requireEnv } from '../lib/adapters/env.ts';
import { backoffMs, type RetryBudget } from '../lib/adapters/kinesis/put-records.ts';
import { createLakeObjectCache, readSeries } from '../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../lib/adapters/s3/lake-writer.ts';
import { ENV } from '../lib/config/resources.ts';
import { type LakeObject, planRecord } from '../lib/domain/ingest/plan-record.ts';
import { CloseHistory } from '../lib/domain/ingest/plausibility.ts';
import { validateRecordData } from '../lib/domain/ingest/validate-record.ts';
import { latestBarDate } from '../lib/schemas/price-bar.ts';
import type { QuarantineReason } from '../lib/schemas/quarantine-reason.ts';
import { mapWithConcurrency } from '../lib/util/map-with-concurrency.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { type HandlerRuntime, lambdaRuntime } from './kit/runtime.ts';

/**
 * Retry budget of every S3 call the handler makes (each attempt is itself one SDK call with the
 * SDK's own quick retries): 6 attempts, pauses uniform in [0, 100 ms · 2^(n−1)] capped at 1.6 s,
 * i.e. at most 3.1 s of pauses per call. Long enough to ride out an S3 throttling burst or a
 * partition being briefly unavailable; short enough that a batch of 100 records stays far inside
 * the 30 s timeout. Beyond it the record fails and the event source mapping's retries (3) and
 * on-failure destination take over, so no record is lost when the budget runs out.
 */
export const INGEST_S3_RETRY_BUDGET: RetryBudget = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1600 };

/** PUTs in flight per record (raw backup first, then the rest). */
const WRITE_CONCURRENCY = 8;

/** The counts the handler reports, as CloudWatch metrics in AWS (EMF). */
export interface IngestMetrics {
  /** Bars written to staging. */
  barsAccepted(n: number): void;
  /** Bars held by the plausibility check (IMPLAUSIBLE_PRICE, SUSPECT_REVISION). */
  barsHeld(n: number): void;
  /** Quarantined parts (held bars included) of one reason. */
  partsQuarantined(reason: QuarantineReason, n: number): void;
  /** Records reported failed (retried by the event source mapping). */
  recordsFailed(n: number): void;
  /** Flushes the invocation's metrics. */
  publish(): void;
}

export interface IngestDependencies extends HandlerRuntime {
  /** Writes lake objects; rejects when any write failed. The handler retries it per object. */
  writeObjects(objects: readonly LakeObject[]): Promise<void>;
  /** The closes the lake holds for an (upper-case) symbol; an empty history for a new symbol. */
  readCloses(symbol: string): Promise<CloseHistory>;
  metrics: IngestMetrics;
  /** Pause between retries (default: a real timer); tests pass a fast one. */
  sleep?: (ms: number) => Promise<unknown>;
  /** Retry budget of the S3 calls (default {@link INGEST_S3_RETRY_BUDGET}). */
  retryBudget?: RetryBudget;
}

/** Powertools Metrics (EMF on stdout, namespace from POWERTOOLS_METRICS_NAMESPACE, default `riskfn`). */
export function powertoolsIngestMetrics(serviceName: string): IngestMetrics {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'riskfn', serviceName });
  return {
    barsAccepted: (n) => metrics.addMetric('barsAccepted', MetricUnit.Count, n),
    barsHeld: (n) => metrics.addMetric('barsHeld', MetricUnit.Count, n),
    partsQuarantined: (reason, n) => {
      const single = metrics.singleMetric();
      single.addDimension('reason', reason);
      single.addMetric('partsQuarantined', MetricUnit.Count, n);
    },
    recordsFailed: (n) => metrics.addMetric('recordsFailed', MetricUnit.Count, n),
    publish: () => metrics.publishStoredMetrics(),
  };
}

/**
 * The AWS implementation: the data bucket named in the environment (read at call time). Lake
 * objects read for the plausibility check are cached by ETag for the container's life, so a warm
 * container re-reads a symbol's compacted years with conditional GETs (304) only.
 */
export function awsIngestDependencies(): IngestDependencies {
  const runtime = lambdaRuntime('riskfn-ingest');
  // ~1000 symbol-years (a compacted year decodes to ~260 rows, ~50 KB): well inside the function's memory.
  const cache = createLakeObjectCache(1_000);
  return {
    ...runtime,
    writeObjects: (objects) => writeLakeObjects(requireEnv(ENV.dataBucket), objects),
    async readCloses(symbol) {
      const { series } = await readSeries(requireEnv(ENV.dataBucket), symbol, { cache, logger: runtime.logger });
      return series ? new CloseHistory(series.dates, series.close) : new CloseHistory();
    },
    metrics: powertoolsIngestMetrics(process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-ingest'),
  };
}

/** Thrown for the records after a failed one: they are retried with it, unprocessed. */
class EarlierRecordFailedError extends Error {
  override name = 'EarlierRecordFailedError';
}

export function createIngestHandler(deps: IngestDependencies) {
  const { logger, metrics } = deps;
  const budget = deps.retryBudget ?? INGEST_S3_RETRY_BUDGET;
  const pause = deps.sleep ?? ((ms: number) => sleep(ms));

  async function withRetries<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= budget.maxAttempts) throw err;
        const delayMs = backoffMs(attempt, budget);
        logger.warn('S3 call failed, retrying', { what, attempt, delayMs: Math.round(delayMs), error: (err as Error).message });
        await pause(delayMs);
      }
    }
  }

  const writeAll = (objects: readonly LakeObject[]) => mapWithConcurrency(objects, WRITE_CONCURRENCY, (o) => withRetries(o.key, () => deps.writeObjects([o])));

  return lambdaHandler<KinesisStreamEvent, KinesisStreamBatchResponse>(logger).handler(async (event, context) => {
    const latestDate = latestBarDate(deps.now());
    const histories = new Map<string, CloseHistory>();
    const totals = { records: event.Records.length, barsAccepted: 0, barsHeld: 0, quarantined: {} as Partial<Record<QuarantineReason, number>> };
    let failedAt: string | undefined;

    const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
      const { kinesis } = record;
      if (failedAt !== undefined) throw new EarlierRecordFailedError(`record ${failedAt} of this batch failed; retried from it`);
      try {
        const data = Buffer.from(kinesis.data, 'base64');
        const validation = validateRecordData(data, latestDate);
        for (const { bar } of validation.accepted) {
          if (!histories.has(bar.symbol)) histories.set(bar.symbol, await withRetries(`closes of ${bar.symbol}`, () => deps.readCloses(bar.symbol)));
        }
        const ref = {
          shardId: record.eventID.split(':')[0]!,
          sequenceNumber: kinesis.sequenceNumber,
          approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp,
        };
        const plan = planRecord(ref, data, { latestDate, histories }, validation);
        await writeAll([plan.raw]);
        await writeAll([...plan.quarantine, ...plan.staging]);
        totals.barsAccepted += plan.barsAccepted;
        totals.barsHeld += plan.held.length;
        for (const [reason, n] of Object.entries(plan.quarantinedByReason) as [QuarantineReason, number][]) {
          totals.quarantined[reason] = (totals.quarantined[reason] ?? 0) + n;
        }
      } catch (err) {
        failedAt = kinesis.sequenceNumber;
        logger.error('record not stored, will be retried', { sequenceNumber: kinesis.sequenceNumber, error: err as Error });
        throw err;
      }
    };

    // A processor per invocation: it holds per-batch state, and the local poller may invoke concurrently.
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    try {
      return await processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
    } finally {
      const failedRecords = processor.failureMessages.length;
      metrics.barsAccepted(totals.barsAccepted);
      metrics.barsHeld(totals.barsHeld);
      for (const [reason, n] of Object.entries(totals.quarantined) as [QuarantineReason, number][]) metrics.partsQuarantined(reason, n);
      metrics.recordsFailed(failedRecords);
      metrics.publish();
      logger.info('batch ingested', { ...totals, failedRecords });
    }
  });
}

export const handler = createIngestHandler(awsIngestDependencies());
