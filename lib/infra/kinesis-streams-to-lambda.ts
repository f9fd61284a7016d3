/**
 * Kinesis stream → Lambda with secure defaults, after AWS Solutions Constructs' `KinesisStreamsToLambda`:
 * 1. build the (encrypted) stream, 2. build the encrypted, TLS-only on-failure queue,
 * 3. attach the event source (partial batch responses, bisect, bounded retries, max record age),
 *    which also grants the function read access to the stream and send access to the queue,
 * 4. add alarms on iterator age and on the on-failure queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Stream } from 'aws-cdk-lib/aws-kinesis';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KINESIS_EVENT_SOURCE_DEFAULTS } from './defaults/event-source-mapping-defaults.ts';
import { KINESIS_STREAM_DEFAULTS } from './defaults/kinesis-stream-defaults.ts';
import { SQS_QUEUE_DEFAULTS } from './defaults/sqs-queue-defaults.ts';

export interface KinesisStreamsToLambdaProps {
  /** The consumer function. */
  readonly function: IFunction;
}

/** Alarm thresholds (the dashboard draws them too). */
export const ALARMS = {
  /**
   * Oldest unread record older than 1 h: the consumer is stuck or failing. Records are dropped to the
   * on-failure queue at maxRecordAge (6 h), so this fires well before any data is given up on.
   */
  iteratorAgeMs: Duration.hours(1).toMilliseconds(),
  /** Any message on the on-failure queue means a batch was given up on: someone must look. */
  onFailureMessages: 1,
} as const;

export class KinesisStreamsToLambda extends Construct {
  readonly stream: Stream;
  readonly onFailureQueue: Queue;
  readonly eventSource: KinesisEventSource;
  readonly iteratorAgeAlarm: Alarm;
  readonly onFailureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: KinesisStreamsToLambdaProps) {
    super(scope, id);

    this.stream = new Stream(this, 'Stream', KINESIS_STREAM_DEFAULTS);

    this.onFailureQueue = new Queue(this, 'OnFailureQueue', SQS_QUEUE_DEFAULTS);
    Validations.of(this.onFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the last stop: the on-failure destination of the Kinesis event-source mapping ' +
        '(it receives pointers to batches given up on). A DLQ behind it would only move the same messages again.',
    });

    this.eventSource = new KinesisEventSource(this.stream, {
      ...KINESIS_EVENT_SOURCE_DEFAULTS,
      onFailure: new SqsDlq(this.onFailureQueue),
    });
    props.function.addEventSource(this.eventSource);

    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: 'Oldest unread market-data record is older than 1 hour',
      metric: this.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: ALARMS.iteratorAgeMs,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.onFailureAlarm = new Alarm(this, 'OnFailureAlarm', {
      alarmDescription: 'A Kinesis batch was given up on and sent to the on-failure queue',
      metric: this.onFailureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: ALARMS.onFailureMessages,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
