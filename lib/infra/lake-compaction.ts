/**
 * Compaction in AWS: the compaction function, started every 15 minutes by EventBridge Scheduler with
 * input `{}` (fold every partition that has staging objects), and an alarm on its errors.
 *
 * Why a schedule rather than a trigger per ingest batch: one run folds everything staged since the
 * last, so a burst of one-bar records costs one rewrite per touched (symbol, year) per quarter hour
 * instead of one per record, and runs of the same partition rarely overlap (when they do, the
 * conditional PUT makes the loser start over; no bar is lost). Readers see staging objects until they
 * are folded, so the delay costs read latency (at most one run's worth of extra objects per symbol), never data.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DATA_LAKE_BUCKET, ENV } from '../config/resources.ts';
import { COMPACTION_FUNCTION_SIZING, METRICS_NAMESPACE } from './defaults/lambda-defaults.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { grantLakeRead, grantPrefixDelete, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';

/** How often compaction runs. 15 min: staged bars reach the compacted layer (and Athena) within a quarter hour. */
const COMPACTION_INTERVAL = Duration.minutes(15);

/** Lambda entry of the compaction handler, relative to the repository root. */
const COMPACTION_ENTRY = 'functions/compact.ts';

/** Powertools service name of the compaction function (the `service` dimension of its metrics). */
const COMPACTION_SERVICE = 'riskfn-compact';

export interface LakeCompactionProps {
  /** The data-lake bucket. */
  readonly bucket: IBucket;
}

export class LakeCompaction extends Construct {
  readonly function: RiskfnFunction;
  readonly schedule: Schedule;
  /** The role EventBridge Scheduler assumes to invoke the function. */
  readonly scheduleRole: Role;
  /** A run failed: the handler throws when any partition could not be compacted. */
  readonly errorsAlarm: Alarm;
  /** A run moved a corrupt lake object to quarantine: a person should look at it. */
  readonly corruptObjectsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: LakeCompactionProps) {
    super(scope, id);
    const { bucket } = props;
    const { stagingPrefix, curatedPrefix, quarantinePrefix } = DATA_LAKE_BUCKET;

    this.function = new RiskfnFunction(this, 'Compact', {
      entry: COMPACTION_ENTRY,
      serviceName: COMPACTION_SERVICE,
      description: 'Folds staged Parquet bars into one curated object per (symbol, year)',
      environment: { [ENV.dataBucket]: bucket.bucketName },
      sizing: COMPACTION_FUNCTION_SIZING,
    });
    const role = this.function.role;
    // Reads the staging objects and the current compacted object (and its ETag; 404 when the partition
    // is new), commits the merged object with a conditional PUT, then deletes exactly the folded staging objects.
    grantLakeRead(bucket, role);
    grantPrefixWrite(bucket, role, curatedPrefix);
    grantPrefixDelete(bucket, role, stagingPrefix);
    // Moves an object that no longer decodes aside, under quarantine/reason=CORRUPT_OBJECT/.
    grantPrefixWrite(bucket, role, quarantinePrefix);

    // A failed run is not retried by Lambda's async invoke: the next scheduled run (which folds the same
    // staging objects) is the retry.
    this.function.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: COMPACTION_INTERVAL });

    // Our own role (instead of the stack-wide one the target would create): assumable by Scheduler for
    // this account only, and allowed to invoke this one function.
    this.scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'riskfn-compact: EventBridge Scheduler invokes the compaction function',
    });
    acknowledgeWildcardResources(
      this.scheduleRole,
      [`${this.function.function.functionArn}:*`],
      'CDK grants lambda:InvokeFunction on the function ARN and its qualified ARNs (versions/aliases) ' +
        'of exactly the compaction function; the wildcard covers only qualifiers of that one function.',
    );

    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Starts lake compaction every 15 minutes',
      schedule: ScheduleExpression.rate(COMPACTION_INTERVAL),
      target: new LambdaInvoke(this.function.function, {
        role: this.scheduleRole,
        input: ScheduleTargetInput.fromObject({}),
        // Delivery retries only (throttling, service errors), and never past the next run.
        retryAttempts: 3,
        maxEventAge: COMPACTION_INTERVAL,
      }),
    });

    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'A lake compaction run failed (staged bars stay readable; they are folded by a later run)',
      metric: this.function.function.metricErrors({ statistic: 'Sum', period: COMPACTION_INTERVAL }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.corruptObjectsAlarm = new Alarm(this, 'CorruptObjectsAlarm', {
      alarmDescription: 'Compaction moved a corrupt lake object to quarantine/reason=CORRUPT_OBJECT/ (readers skip such objects; check the writer)',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'corruptObjects',
        dimensionsMap: { service: COMPACTION_SERVICE },
        statistic: 'Sum',
        period: COMPACTION_INTERVAL,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Every alarm of compaction. */
  get alarms(): Alarm[] {
    return [this.errorsAlarm, this.corruptObjectsAlarm];
  }
}
