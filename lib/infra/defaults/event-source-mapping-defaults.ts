/**
 * Defaults for the Kinesis → ingest Lambda event-source mapping
 * (cf. Solutions Constructs' lambda-event-source-mapping-defaults.ts).
 */
import { Duration } from 'aws-cdk-lib';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { KinesisEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';

/** Everything except `onFailure`, which the construct wires to its own encrypted queue. */
export const KINESIS_EVENT_SOURCE_DEFAULTS: Omit<KinesisEventSourceProps, 'onFailure'> = {
  /** Read from the oldest record kept, so nothing on the stream is skipped at first deploy. */
  startingPosition: StartingPosition.TRIM_HORIZON,
  /** 100 records per invocation: one object write each, well inside the 30 s timeout. */
  batchSize: 100,
  /** Wait up to 5 s to fill a batch: fewer, fuller invocations; daily data is not latency-critical. */
  maxBatchingWindow: Duration.seconds(5),
  /** The handler returns `batchItemFailures`; only the failed tail of a batch is retried. */
  reportBatchItemFailures: true,
  /** Split a failing batch in two on error, to isolate a poison record. */
  bisectBatchOnError: true,
  /**
   * 3 retries, then the record's metadata goes to the on-failure queue. Writes are idempotent
   * (deterministic keys), so retries are safe; more than a few only delays the shard.
   */
  retryAttempts: 3,
  /**
   * Give up on (send to the on-failure queue) records older than 6 h even if retries remain: a backlog
   * that old means the consumer is broken, and the default (-1) would hold the shard until the records expire.
   * Given up at 6 h, a record stays redrivable for the rest of the stream's 7-day retention.
   */
  maxRecordAge: Duration.hours(6),
  /** One concurrent batch per shard keeps per-shard ordering. */
  parallelizationFactor: 1,
};
