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
  /** 24 h, the minimum and the free tier of retention; failures go to the on-failure queue anyway. */
  retentionPeriod: Duration.hours(MARKET_DATA_STREAM.retentionHours),
};
