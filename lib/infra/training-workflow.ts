/**
 * The training workflow: four Lambda tasks chained in a Step Functions state machine (JSONPath only,
 * since the local runner, aws-local-stepfunctions, ignores JSONata and rejects Assign), started daily
 * by EventBridge Scheduler.
 *
 *   BuildDataset → Train → Evaluate → IsChallengerBetter ($.evaluation.promote == true)
 *     ├─ true  → Promote → Promoted (Succeed)
 *     └─ false → Reject (Succeed)
 *   any task error (after retries) → TrainingFailed (Fail)
 *
 * Each task passes its whole input to its Lambda and keeps only the Lambda's return value
 * (`outputPath: '$.Payload'`): every handler returns the accumulated state object.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Choice, Condition, DefinitionBody, Errors, Fail, StateMachine, StateMachineType, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DATA_LAKE_BUCKET, ENV, TRAINING_STATE_MACHINE, TRAINING_STATES } from '../config/resources.ts';
import { TRAINING_FUNCTION_SIZING } from './defaults/lambda-defaults.ts';
import { STATE_MACHINE_DEFAULTS, TASK_RETRY, TRAINING_SCHEDULE } from './defaults/state-machine-defaults.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { grantLakeRead, grantPrefixRead, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';

export interface TrainingWorkflowProps {
  /** The data lake bucket (curated → datasets → models). */
  readonly bucket: IBucket;
  /** The model registry table (champion pointer, model versions). */
  readonly registry: ITable;
}

/** The four task states, each bound to one Lambda entry file (the local runner binds the same files). */
export const TRAINING_TASK_ENTRIES = {
  [TRAINING_STATES.buildDataset]: 'functions/training/build-dataset.ts',
  [TRAINING_STATES.train]: 'functions/training/train.ts',
  [TRAINING_STATES.evaluate]: 'functions/training/evaluate.ts',
  [TRAINING_STATES.promote]: 'functions/training/promote.ts',
} as const;

export type TrainingTaskState = keyof typeof TRAINING_TASK_ENTRIES;

export class TrainingWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly schedule: Schedule;
  /** The function behind each task state. */
  readonly tasks: Record<TrainingTaskState, RiskfnFunction>;

  constructor(scope: Construct, id: string, props: TrainingWorkflowProps) {
    super(scope, id);
    const { bucket, registry } = props;
    const { datasetsPrefix, modelsPrefix } = DATA_LAKE_BUCKET;

    const fn = (state: TrainingTaskState, description: string): RiskfnFunction =>
      new RiskfnFunction(this, `${state}Function`, {
        entry: TRAINING_TASK_ENTRIES[state],
        serviceName: `riskfn-training-${state.toLowerCase()}`,
        description,
        environment: { [ENV.dataBucket]: bucket.bucketName, [ENV.modelTable]: registry.tableName },
        sizing: TRAINING_FUNCTION_SIZING,
      });

    this.tasks = {
      BuildDataset: fn('BuildDataset', 'Training: builds a feature/label dataset from curated bars'),
      Train: fn('Train', 'Training: fits a random forest on the dataset and stores the model artifact'),
      Evaluate: fn('Evaluate', 'Training: scores challenger and champion out of sample'),
      Promote: fn('Promote', 'Training: makes the challenger the champion in the model registry'),
    };

    // Least privilege, one prefix at a time.
    grantLakeRead(bucket, this.tasks.BuildDataset.role);
    grantPrefixWrite(bucket, this.tasks.BuildDataset.role, datasetsPrefix);
    grantPrefixRead(bucket, this.tasks.Train.role, datasetsPrefix);
    grantPrefixWrite(bucket, this.tasks.Train.role, modelsPrefix);
    grantPrefixRead(bucket, this.tasks.Evaluate.role, modelsPrefix);
    grantPrefixRead(bucket, this.tasks.Evaluate.role, datasetsPrefix);
    // Registry items, exactly the calls the handlers make (lib/adapters/dynamodb/model-registry.ts):
    // Train records the candidate version; Evaluate reads the champion and records a rejected
    // challenger; Promote conditionally replaces the champion pointer and records the version.
    registry.grant(this.tasks.Train.role, 'dynamodb:PutItem');
    registry.grant(this.tasks.Evaluate.role, 'dynamodb:GetItem', 'dynamodb:PutItem');
    // PutItem: the champion pointer and the new champion's record; UpdateItem: retire the old one.
    registry.grant(this.tasks.Promote.role, 'dynamodb:PutItem', 'dynamodb:UpdateItem');

    // The execution fails with the failing task's own error name and message (put at $.error by the Catch).
    const failed = new Fail(this, TRAINING_STATES.failed, {
      comment: 'A training task failed after its retries',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const task = (state: TrainingTaskState, comment: string) =>
      new LambdaInvoke(this, state, {
        lambdaFunction: this.tasks[state].function,
        comment,
        // The Lambda returns the accumulated state object; keep only that.
        outputPath: '$.Payload',
        // CDK's standard retry of Lambda service errors (2 s, ×2, 6 attempts)…
        retryOnServiceExceptions: true,
      })
        // …plus throttling, which that retry does not cover.
        .addRetry({ ...TASK_RETRY, errors: [...TASK_RETRY.errors] })
        .addCatch(failed, { errors: [Errors.ALL], resultPath: '$.error' });

    const promote = task('Promote', 'Point the champion at the challenger').next(
      new Succeed(this, 'Promoted', { comment: 'The challenger is the new champion' }),
    );
    const reject = new Succeed(this, TRAINING_STATES.reject, { comment: 'The champion stays; the challenger is kept as a version only' });
    const gate = new Choice(this, TRAINING_STATES.gate, { comment: 'Promote only if the challenger beats the champion out of sample' })
      .when(Condition.booleanEquals('$.evaluation.promote', true), promote)
      .otherwise(reject);

    const definition = task('BuildDataset', 'Curated bars → features and forward-risk labels')
      .next(task('Train', 'Fit the challenger'))
      .next(task('Evaluate', 'Out-of-sample score of challenger vs champion'))
      .next(gate);

    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy from growing per log group.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/states/${TRAINING_STATE_MACHINE.name}`,
      retention: STATE_MACHINE_DEFAULTS.logRetention,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: TRAINING_STATE_MACHINE.name,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'riskfn: retrain the risk-level random forest and promote it if it beats the champion',
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: STATE_MACHINE_DEFAULTS.timeout,
      tracingEnabled: STATE_MACHINE_DEFAULTS.tracingEnabled,
      logs: {
        destination: this.logGroup,
        level: STATE_MACHINE_DEFAULTS.logLevel,
        includeExecutionData: STATE_MACHINE_DEFAULTS.includeExecutionData,
      },
    });
    acknowledgeWildcardResources(
      this.stateMachine,
      ['*'],
      'Step Functions log delivery (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) ' +
        'do not support resource-level permissions; AWS documents Resource "*" for them.',
    );
    acknowledgeWildcardResources(
      this.stateMachine,
      Object.values(this.tasks).map((t) => `${t.function.functionArn}:*`),
      'CDK grants lambda:InvokeFunction on the function ARN and its qualified ARNs (versions/aliases) ' +
        'of exactly this task function; the wildcard covers only qualifiers of that one function.',
    );

    this.schedule = new Schedule(this, 'DailySchedule', {
      description: 'Starts the riskfn training workflow once a day',
      schedule: ScheduleExpression.cron({ ...TRAINING_SCHEDULE }),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        // Default options; BuildDataset derives the run id from the start time (lib/schemas/training-state.ts).
        input: ScheduleTargetInput.fromObject({}),
        // A missed day is not worth 185 retries over 24 h: retry a few times within an hour.
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
