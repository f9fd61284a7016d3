/**
 * Ingest Lambda: Kinesis market-data records → S3 data lake (docs/data-lake.md).
 *
 * Per invocation: validate and normalise every record (pure, lib/domain/ingest), load the closes
 * the lake already holds for the batch's symbols (once per symbol, concurrently, through the lake
 * reader), plan the whole batch in stream order (plausibility against the stored closes plus the
 * bars accepted from earlier records; one staging Parquet object per (symbol, year) for all the
 * records), then write all raw backups concurrently FIRST (so everything stored can be traced to
 * its raw record), then all staging and quarantine objects concurrently. Every S3 call is retried
 * with backoff and jitter within {@link INGEST_S3_RETRY_BUDGET}.
 *
 * Failure: an object that still fails marks the first record depending on it (its own record for
 * a raw or quarantine object; the first record with rows in it for a staging object), and that
 * record and every later one are reported in `batchItemFailures` (the event source mapping runs
 * with ReportBatchItemFailures and retries from the lowest one; after its retries the records go
 * to the on-failure destination, from which `riskfn lake redrive` ingests them again). Raw and
 * quarantine keys come from shard id + sequence number, so a retry overwrites them; a retried
 * batch writes staging rows already stored under another key (the key names its first and last
 * record), with the same provenance, and compaction keeps one row per provenance.
 *
 * Runs unchanged in AWS and under the local poller (lib/local/kinesis-poller.ts).
 */
import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { requireEnv } from '../lib/adapters/env.ts';
import { createLakeObjectCache, readSeries } from '../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../lib/adapters/s3/lake-writer.ts';
import { ENV } from '../lib/config/resources.ts';
import { type BatchRecord, planBatch, stagingOfFirst } from '../lib/domain/ingest/plan-batch.ts';
import type { LakeObject } from '../lib/domain/ingest/plan-record.ts';
import { CloseHistory } from '../lib/domain/ingest/plausibility.ts';
import { type RecordValidation, validateRecordData } from '../lib/domain/ingest/validate-record.ts';
import { latestBarDate } from '../lib/schemas/price-bar.ts';
import type { QuarantineReason } from '../lib/schemas/quarantine-reason.ts';
import { backoffMs, type RetryBudget } from '../lib/util/backoff.ts';
import { mapWithConcurrency } from '../lib/util/map-with-concurrency.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { powertoolsMetrics } from './kit/metrics.ts';
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

/** S3 calls in flight per invocation (the source backups first, then staging and quarantine). */
const WRITE_CONCURRENCY = 16;

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
  const metrics = powertoolsMetrics(serviceName);
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

/** Thrown for the records from the first failed one on: they are retried together. */
class RecordNotStoredError extends Error {
  override name = 'RecordNotStoredError';
}

/** An object to write and the index of the first record that depends on it. */
interface PendingWrite {
  object: LakeObject;
  record: number;
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

  /**
   * Writes every object concurrently, each within the retry budget, and returns the lowest index
   * of a record whose object could not be written (`stop` when none). Every write is attempted —
   * the first failure does not stop the others — except writes for records at or after a failure
   * already known: they will be retried anyway.
   */
  async function writeAll(writes: readonly PendingWrite[], stop: number): Promise<number> {
    let failedAt = stop;
    await mapWithConcurrency(writes, WRITE_CONCURRENCY, async ({ object, record }) => {
      if (record >= failedAt) return;
      try {
        await withRetries(object.key, () => deps.writeObjects([object]));
      } catch (err) {
        logger.error('object not stored, its records will be retried', { key: object.key, record, error: err as Error });
        failedAt = Math.min(failedAt, record);
      }
    });
    return failedAt;
  }

  /** Loads the closes of every symbol of the batch; returns the index of the first record whose symbol could not be read (`n` when none). */
  async function loadHistories(validations: readonly RecordValidation[], histories: Map<string, CloseHistory>): Promise<number> {
    const firstUse = new Map<string, number>();
    validations.forEach((v, i) => {
      for (const { bar } of v.accepted) if (!firstUse.has(bar.symbol)) firstUse.set(bar.symbol, i);
    });
    let failedAt = validations.length;
    await mapWithConcurrency([...firstUse], WRITE_CONCURRENCY, async ([symbol, record]) => {
      try {
        histories.set(symbol, await withRetries(`closes of ${symbol}`, () => deps.readCloses(symbol)));
      } catch (err) {
        logger.error('closes not read, records from the first with the symbol will be retried', { symbol, record, error: err as Error });
        failedAt = Math.min(failedAt, record);
      }
    });
    return failedAt;
  }

  return lambdaHandler<KinesisStreamEvent, KinesisStreamBatchResponse>(logger).handler(async (event, context) => {
    const latestDate = latestBarDate(deps.now());
    const records: BatchRecord[] = event.Records.map(({ eventID, kinesis }) => {
      const data = Buffer.from(kinesis.data, 'base64');
      return {
        ref: { shardId: eventID.split(':')[0]!, sequenceNumber: kinesis.sequenceNumber, approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp },
        data,
        validation: validateRecordData(data, latestDate),
      };
    });
    const histories = new Map<string, CloseHistory>();
    // Records from `failedAt` on are reported failed (the event source mapping retries from the lowest one).
    let failedAt = await loadHistories(
      records.map((r) => r.validation!),
      histories,
    );
    const plan = planBatch(records.slice(0, failedAt), { latestDate, histories });
    // The source backups first, so everything stored can be traced to its raw record.
    failedAt = await writeAll(
      plan.records.map((p, record) => ({ object: p.raw, record })),
      failedAt,
    );
    const staging = failedAt < plan.records.length ? stagingOfFirst(plan, failedAt) : plan.staging;
    failedAt = await writeAll(
      [
        ...plan.records.slice(0, failedAt).flatMap((p, record) => p.quarantine.map((object) => ({ object, record }))),
        ...staging.map(({ firstRecord, ...object }) => ({ object, record: firstRecord })),
      ],
      failedAt,
    );

    const totals = { records: records.length, barsAccepted: 0, barsHeld: 0, quarantined: {} as Partial<Record<QuarantineReason, number>> };
    for (const p of plan.records.slice(0, failedAt)) {
      totals.barsAccepted += p.barsAccepted;
      totals.barsHeld += p.held.length;
      for (const [reason, n] of Object.entries(p.quarantinedByReason) as [QuarantineReason, number][]) {
        totals.quarantined[reason] = (totals.quarantined[reason] ?? 0) + n;
      }
    }
    const failedSeq = records[failedAt]?.ref.sequenceNumber;
    const indexOf = new Map(records.map((r, i) => [r.ref.sequenceNumber, i]));
    const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
      if (indexOf.get(record.kinesis.sequenceNumber)! >= failedAt) {
        throw new RecordNotStoredError(`record ${failedSeq} of this batch was not stored; retried from it`);
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
      logger.info('batch ingested', { ...totals, stagingObjects: staging.length, failedRecords });
    }
  });
}

export const handler = createIngestHandler(awsIngestDependencies());
