/** Secure defaults for the market-data Kinesis stream (cf. Solutions Constructs' kinesis-streams-defaults.ts). */
import { Duration } from 'aws-cdk-lib';
import { StreamEncryption, StreamMode, type StreamProps } from 'aws-cdk-lib/aws-kinesis';
import { MARKET_DATA_STREAM } from '../../config/resources.ts';

export const KINESIS_STREAM_DEFAULTS: StreamProps = {
  streamName: MARKET_DATA_STREAM.name,
  /**
   * KMS server-side encryption with the AWS-managed `aws/kinesis` key: encrypted at rest, no key
   * policy to maintain, and what cdk-nag AwsSolutions-KDS3 asks for.
   */
  encryption: StreamEncryption.MANAGED,
  /** One shard (1 MB/s or 1000 records/s in): daily bars for a few thousand symbols fit easily. */
  streamMode: StreamMode.PROVISIONED,
  shardCount: MARKET_DATA_STREAM.shardCount,
  /**
   * 7 days (168 h). A batch the event-source mapping gives up on goes to the on-failure queue with its
   * shard and sequence range; `riskfn lake redrive` re-reads it from the stream, which works only while
   * the records are retained. Records are given up on at most maxRecordAge (6 h) after arrival, so a
   * person has at least 6.75 days, a weekend plus holidays, to redrive. Retention beyond 24 h is billed
   * per shard-hour (1 shard).
   */
  retentionPeriod: Duration.hours(MARKET_DATA_STREAM.retentionHours),
};
