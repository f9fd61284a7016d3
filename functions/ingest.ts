/**
 * Ingest Lambda: Kinesis market-data records → S3 data lake (docs/data-lake.md).
 *
 * For each record: validate and normalise (pure, lib/domain/ingest), then write one curated
 * JSON Lines object per (symbol, month) partition of its valid bars and one quarantine object
 * per rejected part. A record whose writes fail is reported in `batchItemFailures` (the event
 * source mapping runs with ReportBatchItemFailures) and retried from it; keys are derived from
 * shard id + sequence number, so the retry overwrites instead of duplicating.
 *
 * Runs unchanged in AWS and under the local poller (lib/local/kinesis-poller.ts).
 */
import { Buffer } from 'node:buffer';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { requireEnv } from '../lib/adapters/env.ts';
import { writeLakeObjects } from '../lib/adapters/s3/lake-writer.ts';
import { ENV } from '../lib/config/resources.ts';
import { type LakeObject, planRecord } from '../lib/domain/ingest/plan-record.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { type HandlerRuntime, lambdaRuntime } from './kit/runtime.ts';

export interface IngestDependencies extends Pick<HandlerRuntime, 'logger'> {
  /** Writes one record's lake objects; rejects when any write failed (the record is then retried). */
  writeObjects(objects: readonly LakeObject[]): Promise<void>;
}

/** The AWS implementation: objects go to the data bucket named in the environment (read at call time). */
export function awsIngestDependencies(): IngestDependencies {
  return {
    logger: lambdaRuntime('riskfn-ingest').logger,
    writeObjects: (objects) => writeLakeObjects(requireEnv(ENV.dataBucket), objects),
  };
}

export function createIngestHandler(deps: IngestDependencies) {
  const { logger } = deps;
  return lambdaHandler<KinesisStreamEvent, KinesisStreamBatchResponse>(logger).handler(async (event, context) => {
    const totals = { records: event.Records.length, barsAccepted: 0, rejected: {} as Record<string, number> };

    const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
      const { kinesis } = record;
      const plan = planRecord(
        {
          shardId: record.eventID.split(':')[0]!,
          sequenceNumber: kinesis.sequenceNumber,
          approximateArrivalTimestamp: kinesis.approximateArrivalTimestamp,
        },
        Buffer.from(kinesis.data, 'base64'),
      );
      try {
        await deps.writeObjects([...plan.quarantine, ...plan.curated]);
      } catch (err) {
        logger.error('record not stored, will be retried', { sequenceNumber: kinesis.sequenceNumber, error: err as Error });
        throw err;
      }
      totals.barsAccepted += plan.barsAccepted;
      for (const [reason, n] of Object.entries(plan.rejectedByReason)) totals.rejected[reason] = (totals.rejected[reason] ?? 0) + n;
    };

    // A processor per invocation: it holds per-batch state, and the local poller may invoke concurrently.
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    try {
      return await processPartialResponse(event, recordHandler, processor, { context });
    } finally {
      logger.info('batch ingested', { ...totals, failedRecords: processor.failureMessages.length });
    }
  });
}

export const handler = createIngestHandler(awsIngestDependencies());
