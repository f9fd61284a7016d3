/** Defaults for the training state machine and its task states. */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';

export const STATE_MACHINE_DEFAULTS = {
  /** Log every state transition with its input/output (cdk-nag AwsSolutions-SF1 wants ALL). */
  logLevel: LogLevel.ALL,
  includeExecutionData: true,
  /** X-Ray tracing of executions (cdk-nag AwsSolutions-SF2). */
  tracingEnabled: true,
  /** A whole run is minutes; 1 h stops a stuck execution from lingering for the 1-year default. */
  timeout: Duration.hours(1),
  logRetention: RetentionDays.THREE_MONTHS,
} as const;

/**
 * Retry of Lambda service errors (throttling, 5xx) on every task, on top of CDK's default
 * `retryOnServiceExceptions` retry: errors from our own code are not retried, they go to the Catch.
 */
export const TASK_RETRY = {
  errors: ['Lambda.TooManyRequestsException'],
  /** First retry after 5 s, then 10 s, 20 s: throttles clear within seconds. */
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 3,
} as const;

/** Daily retraining at 06:00 UTC: after US close data (≈21:00 UTC) has been ingested overnight. */
export const TRAINING_SCHEDULE = { hour: '6', minute: '0' } as const;
