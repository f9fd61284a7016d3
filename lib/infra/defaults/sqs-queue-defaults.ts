/** Secure defaults for SQS queues (the event-source mapping's on-failure destination). */
import { Duration } from 'aws-cdk-lib';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

export const SQS_QUEUE_DEFAULTS: QueueProps = {
  /** SSE with SQS-owned keys: encrypted at rest, free, no key policy for the Lambda service to need. */
  encryption: QueueEncryption.SQS_MANAGED,
  /** Deny any request not made over TLS (cdk-nag AwsSolutions-SQS4). */
  enforceSSL: true,
  /** 14 days, the maximum: failed-batch pointers stay long enough for someone to act on them. */
  retentionPeriod: Duration.days(14),
};
