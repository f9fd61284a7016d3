/**
 * The training workflow: Lambda tasks and two Map states in a Step Functions state machine (JSONPath
 * only, since the local runner, aws-local-stepfunctions, ignores JSONata and rejects Assign), started
 * daily by EventBridge Scheduler.
 *
 *   BuildDataset → WalkForward (Map over $.walkForward.folds: RunFold) → Summarize
 *     → Train (Map over $.training.shards: TrainShard) → Merge → Drift → Evaluate
 *     → IsChallengerBetter ($.evaluation.promote == true)
 *         ├─ true  → IsApprovalRequired ($.requireApproval == true)
 *         │            ├─ true  → WaitForApproval (callback task token) → Promote → Promoted (Succeed)
 *         │            │            └─ no answer within the approval timeout → NotApproved (Succeed)
 *         │            └─ false → Promote → Promoted (Succeed)
 *         └─ false → Reject (Succeed)
 *   any task error (after retries) → TrainingFailed (Fail)
 *
 * Each task passes its whole input to its Lambda and keeps only the Lambda's return value
 * (`outputPath: '$.Payload'`): every handler returns the accumulated state object. BuildDataset
 * also gets the context object's `Execution` beside the input (`{ state, execution }`), so the run
 * records which execution trained it. A Map item gets a
 * small object (the run id, the dataset summary, the options and its own fold or tree range) and its
 * Lambda returns only the S3 key of its result, so no state nears Step Functions' 256 KiB limit
 * however large the data. With the stack prop `requireApproval`, every run waits for approval.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DATA_LAKE_BUCKET, ENV, TRAINING_STATE_MACHINE, TRAINING_STATES } from '../config/resources.ts';
import { TRAIN_SHARD_FUNCTION_SIZING, TRAIN_SHARD_THREADS, TRAINING_FUNCTION_SIZING } from './defaults/lambda-defaults.ts';
import { STATE_MACHINE_DEFAULTS, TASK_RETRY, TRAINING_SCHEDULE } from './defaults/state-machine-defaults.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { grantLakeRead, grantPrefixRead, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';

/** The workflow's states beyond the ones every version of it has (TRAINING_STATES). */
export const WORKFLOW_STATES = {
  ...TRAINING_STATES,
  walkForward: 'WalkForward',
  runFold: 'RunFold',
  summarize: 'Summarize',
  trainShard: 'TrainShard',
  merge: 'Merge',
  drift: 'Drift',
  approvalChoice: 'IsApprovalRequired',
  waitForApproval: 'WaitForApproval',
  notApproved: 'NotApproved',
  promoted: 'Promoted',
} as const;

/**
 * At most this many walk-forward folds or tree shards run at once: enough to train a forest in
 * the time of a few trees, few enough to stay far below the account's Lambda concurrency.
 */
export const MAP_MAX_CONCURRENCY = 10;

/**
 * How long a run waits for a person's approval before it ends as NotApproved (the challenger
 * stays a version; the next run trains a new one).
 */
export const APPROVAL_TIMEOUT = Duration.days(7);

export interface TrainingWorkflowProps {
  /** The data lake bucket (curated → datasets → models). */
  readonly bucket: IBucket;
  /** The model registry table (champion pointer, model versions). */
  readonly registry: ITable;
  /**
   * Every run waits for a person's approval (`riskfn models approve`) before promoting. Default
   * false: then only an execution whose input has `"requireApproval": true` waits.
   */
  readonly requireApproval?: boolean;
}

/** The task states, each bound to one Lambda entry file (the local runner binds the same files). */
export const TRAINING_TASK_ENTRIES = {
  [WORKFLOW_STATES.buildDataset]: 'functions/training/build-dataset.ts',
  [WORKFLOW_STATES.runFold]: 'functions/training/run-fold.ts',
  [WORKFLOW_STATES.summarize]: 'functions/training/summarize.ts',
  [WORKFLOW_STATES.trainShard]: 'functions/training/train-shard.ts',
  [WORKFLOW_STATES.merge]: 'functions/training/merge.ts',
  [WORKFLOW_STATES.drift]: 'functions/training/drift.ts',
  [WORKFLOW_STATES.evaluate]: 'functions/training/evaluate.ts',
  [WORKFLOW_STATES.waitForApproval]: 'functions/training/request-approval.ts',
  [WORKFLOW_STATES.promote]: 'functions/training/promote.ts',
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
    const S = WORKFLOW_STATES;

    const fn = (state: TrainingTaskState, description: string): RiskfnFunction => {
      // TrainShard builds its trees on two threads, with the memory that buys two vCPUs.
      const shard = state === 'TrainShard';
      return new RiskfnFunction(this, `${state}Function`, {
        entry: TRAINING_TASK_ENTRIES[state],
        serviceName: `riskfn-training-${state.toLowerCase()}`,
        description,
        environment: {
          [ENV.dataBucket]: bucket.bucketName,
          [ENV.modelTable]: registry.tableName,
          ...(shard && { [ENV.forestThreads]: String(TRAIN_SHARD_THREADS) }),
        },
        sizing: shard ? TRAIN_SHARD_FUNCTION_SIZING : TRAINING_FUNCTION_SIZING,
      });
    };

    this.tasks = {
      BuildDataset: fn('BuildDataset', 'Training: builds a feature/label dataset from curated bars'),
      RunFold: fn('RunFold', 'Training: fits, calibrates and scores one walk-forward fold'),
      Summarize: fn('Summarize', 'Training: pools the walk-forward folds and plans the tree shards of the refit'),
      TrainShard: fn('TrainShard', 'Training: trains one shard of trees of the refit forest'),
      Merge: fn('Merge', 'Training: merges the tree shards into the model artifact and registers the candidate'),
      Drift: fn('Drift', "Training: population stability of recent features against the model's training distributions"),
      Evaluate: fn('Evaluate', 'Training: the promotion gate (challenger vs baselines and champion)'),
      WaitForApproval: fn('WaitForApproval', "Training: records the workflow's approval request (task token) in the registry"),
      Promote: fn('Promote', 'Training: makes the challenger the champion in the model registry'),
    };
    const role = (state: TrainingTaskState) => this.tasks[state].role;

    // Least privilege, one prefix at a time. Map items write their results under datasets/<runId>/.
    grantLakeRead(bucket, role('BuildDataset'));
    for (const state of ['BuildDataset', 'RunFold', 'Summarize', 'TrainShard'] as const) {
      grantPrefixWrite(bucket, role(state), datasetsPrefix);
    }
    for (const state of ['RunFold', 'Summarize', 'TrainShard', 'Merge', 'Drift', 'Evaluate'] as const) {
      grantPrefixRead(bucket, role(state), datasetsPrefix);
    }
    grantPrefixWrite(bucket, role('Merge'), modelsPrefix);
    // Drift reads the new artifact and writes its report and the model card beside it.
    grantPrefixRead(bucket, role('Drift'), modelsPrefix);
    grantPrefixWrite(bucket, role('Drift'), modelsPrefix);
    grantPrefixRead(bucket, role('Evaluate'), modelsPrefix);
    // Evaluate writes the model card (JSON and HTML) beside the artifact once the gate has decided.
    grantPrefixWrite(bucket, role('Evaluate'), modelsPrefix);
    // Registry items, exactly the calls the handlers make (lib/adapters/dynamodb/model-registry.ts):
    // Merge records the candidate version; Evaluate reads the champion and records a rejected
    // challenger; WaitForApproval stores the task token on the version; Promote conditionally
    // replaces the champion pointer and records the version.
    registry.grant(role('Merge'), 'dynamodb:PutItem');
    registry.grant(role('Evaluate'), 'dynamodb:GetItem', 'dynamodb:PutItem');
    registry.grant(role('WaitForApproval'), 'dynamodb:UpdateItem');
    // A version approved before the run asked: WaitForApproval resumes the run itself. The ARN is
    // built from the fixed name, not taken from the state machine, which depends on this function.
    role('WaitForApproval').addToPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [
          Stack.of(this).formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: TRAINING_STATE_MACHINE.name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    // PutItem: the champion pointer, the promotion record and the new champion's record; UpdateItem: retire the old one.
    registry.grant(role('Promote'), 'dynamodb:PutItem', 'dynamodb:UpdateItem');

    // The execution fails with the failing task's own error name and message (put at $.error by the Catch).
    const failed = new Fail(this, S.failed, {
      comment: 'A training task failed after its retries',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const retried = <T extends LambdaInvoke | MapState>(state: T): T => {
      // CDK's standard retry of Lambda service errors covers the rest; throttling needs this one.
      state.addRetry({ ...TASK_RETRY, errors: [...TASK_RETRY.errors] });
      return state;
    };
    const invoke = (state: TrainingTaskState, comment: string, payload?: TaskInput) =>
      retried(
        new LambdaInvoke(this, state, {
          lambdaFunction: this.tasks[state].function,
          comment,
          ...(payload ? { payload } : {}),
          // The Lambda returns the accumulated state object (a Map item: its result's key); keep only that.
          outputPath: '$.Payload',
          // CDK's standard retry of Lambda service errors (2 s, ×2, 6 attempts).
          retryOnServiceExceptions: true,
        }),
      );
    const task = (state: TrainingTaskState, comment: string, payload?: TaskInput) =>
      invoke(state, comment, payload).addCatch(failed, { errors: [Errors.ALL], resultPath: '$.error' });

    /** A Map over the array at `itemsPath`; each item gets `item`, its index and the run's small shared fields. */
    const map = (name: string, comment: string, itemsPath: string, resultPath: string, processor: LambdaInvoke) =>
      new MapState(this, name, {
        comment,
        itemsPath,
        itemSelector: {
          item: JsonPath.objectAt('$$.Map.Item.Value'),
          index: JsonPath.numberAt('$$.Map.Item.Index'),
          runId: JsonPath.stringAt('$.runId'),
          dataset: JsonPath.objectAt('$.dataset'),
          options: JsonPath.objectAt('$.options'),
        },
        maxConcurrency: MAP_MAX_CONCURRENCY,
        resultPath,
      })
        .itemProcessor(processor)
        .addCatch(failed, { errors: [Errors.ALL], resultPath: '$.error' });

    const walkForward = map(
      S.walkForward,
      'One walk-forward fold per item: fit on the purged past, calibrate, score on the fold',
      '$.walkForward.folds',
      '$.walkForward.results',
      invoke('RunFold', 'Fit, calibrate and score one fold; store its result'),
    );
    const train = map(
      S.train,
      'One shard of trees of the refit forest per item (same trees as one process, for the same seed)',
      '$.training.shards',
      '$.training.results',
      invoke('TrainShard', 'Train one shard of trees; store it'),
    );

    const promote = task('Promote', 'Point the champion at the challenger').next(
      new Succeed(this, S.promoted, { comment: 'The challenger is the new champion' }),
    );
    const waitForApproval = retried(
      new LambdaInvoke(this, S.waitForApproval, {
        lambdaFunction: this.tasks.WaitForApproval.function,
        comment: 'Record the approval request with its task token; resume when `riskfn models approve` sends the token back',
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({ taskToken: JsonPath.taskToken, state: JsonPath.entirePayload }),
        // What the approver sent back (who, when), beside the rest of the state.
        resultPath: '$.approval',
        taskTimeout: Timeout.duration(APPROVAL_TIMEOUT),
        retryOnServiceExceptions: true,
      }),
    )
      .addCatch(new Succeed(this, S.notApproved, { comment: 'Nobody approved the challenger in time; it stays a version' }), {
        errors: [Errors.TIMEOUT],
        resultPath: '$.error',
      })
      .addCatch(failed, { errors: [Errors.ALL], resultPath: '$.error' })
      .next(promote);
    const approval = props.requireApproval
      ? waitForApproval
      : new Choice(this, S.approvalChoice, { comment: 'Wait for a person only when the execution input asks for it' })
          .when(Condition.booleanEquals('$.requireApproval', true), waitForApproval)
          .otherwise(promote);
    const reject = new Succeed(this, S.reject, { comment: 'The champion stays; the challenger is kept as a version only' });
    const gate = new Choice(this, S.gate, { comment: 'Promote only if the challenger beats the baselines and the champion out of sample' })
      .when(Condition.booleanEquals('$.evaluation.promote', true), approval)
      .otherwise(reject);

    const definition = task(
      'BuildDataset',
      'Curated bars (symbols read in parallel) → features and forward-risk labels; plan the folds',
      // The whole context object's Execution, not its Id alone: a runner without an execution id
      // (aws-local-stepfunctions) fails a path that points at nothing, and the run goes on without one.
      TaskInput.fromObject({ state: JsonPath.entirePayload, execution: JsonPath.objectAt('$$.Execution') }),
    )
      .next(walkForward)
      .next(task('Summarize', 'Pool the folds; plan the refit on all labelled rows in tree shards'))
      .next(train)
      .next(task('Merge', 'Merge the shards into the forest; store the artifact and card; register the candidate'))
      .next(task('Drift', 'PSI per feature of recent data against the training distributions; metric and report'))
      .next(task('Evaluate', 'The promotion gate'))
      .next(gate);

    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy from growing per log group.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/states/${TRAINING_STATE_MACHINE.name}`,
      retention: STATE_MACHINE_DEFAULTS.logRetention,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: TRAINING_STATE_MACHINE.name,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'riskfn: retrain the risk-level random forest and promote it if it beats the baselines and the champion',
      definitionBody: DefinitionBody.fromChainable(definition),
      // The run itself takes minutes; a run waiting for approval may wait the approval timeout.
      timeout: STATE_MACHINE_DEFAULTS.timeout.plus(APPROVAL_TIMEOUT),
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
