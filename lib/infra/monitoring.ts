/**
 * What the on-call engineer watches: the alarms beyond the ingest and compaction ones their
 * constructs own (API, training workflow, champion age, drift, ingest function errors), every
 * alarm's notification to the alarm topic, and one CloudWatch dashboard, `riskfn-<region>`, in
 * the order an incident is read: alarm states, then ingest, lake, API, model and training.
 *
 * The functions' own metrics are Powertools EMF metrics in the namespace `riskfn`, selected by
 * their `service` dimension (the function's POWERTOOLS_SERVICE_NAME, {@link SERVICES}). What each
 * alarm means and what to do about it: docs/operations.md.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  type CfnAlarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  GraphWidgetView,
  type IMetric,
  MathExpression,
  Metric,
  type MetricOptions,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PSI_RETRAIN_THRESHOLD } from '../domain/model/drift.ts';
import { API_ROUTES } from '../schemas/api-routes.ts';
import { QUARANTINE_REASON_CODES } from '../schemas/quarantine-reason.ts';
import type { AlarmTopic } from './alarm-topic.ts';
import { METRICS_NAMESPACE } from './defaults/lambda-defaults.ts';
import { type KinesisStreamsToLambda, ALARMS as STREAM_ALARMS } from './kinesis-streams-to-lambda.ts';
import type { LakeCompaction } from './lake-compaction.ts';
import type { TrainingWorkflow } from './training-workflow.ts';

/** Powertools service names of the functions whose metrics are watched (asserted against the functions' environment in test/unit/infra). */
export const SERVICES = {
  ingest: 'riskfn-ingest',
  compact: 'riskfn-compact',
  api: 'riskfn-api',
  buildDataset: 'riskfn-training-builddataset',
  evaluate: 'riskfn-training-evaluate',
  promote: 'riskfn-training-promote',
  drift: 'riskfn-training-drift',
} as const;

/** Alarm thresholds, each with its reason. */
const THRESHOLDS = {
  /** Share of API requests answered 5xx in 5 minutes, in 2 of 3 periods: one bad request is noise, a steady share is an outage. */
  apiServerErrorRate: 0.05,
  /**
   * API p99 latency (ms, API Gateway's, so cold starts and the audit write count) in 3 consecutive
   * 5-minute periods. Warm answers take milliseconds to a few hundred (docs/benchmarks.md) and a
   * cold start about a second; 3 s held for 15 minutes is a slow dependency (S3, DynamoDB, the audit writer), not a cold start.
   */
  apiLatencyP99Ms: 3000,
  /** Days without a successful training run. The schedule runs daily, so this is three missed or failed runs in a row. */
  noSuccessfulRunDays: 3,
  /**
   * Age of the champion (days) when the gate judged the last challenger. The gate may keep a
   * champion for weeks on purpose; a month means every challenger lost and someone should look why.
   */
  championAgeDays: 30,
  /** Largest feature PSI of the latest run: above 0.25 the features drifted and the model should be retrained (docs/model.md). */
  maxFeaturePsi: PSI_RETRAIN_THRESHOLD,
} as const;

export interface MonitoringProps {
  readonly topic: AlarmTopic;
  readonly ingest: KinesisStreamsToLambda;
  readonly ingestFunction: IFunction;
  /** The ingest alarm on its own `recordsFailed` metric (made by the stack). */
  readonly ingestFailuresAlarm: Alarm;
  readonly compaction: LakeCompaction;
  readonly api: RestApi;
  readonly training: TrainingWorkflow;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_DAY = Duration.days(1);

/** A Powertools metric of one riskfn function. */
function serviceMetric(service: string, metricName: string, options: MetricOptions = {}): Metric {
  const { dimensionsMap, ...rest } = options;
  return new Metric({ namespace: METRICS_NAMESPACE, metricName, period: FIVE_MINUTES, ...rest, dimensionsMap: { service, ...dimensionsMap } });
}

/** A CloudWatch SEARCH over one riskfn metric across the values of `dimension` (values unknown at synth: model versions, features). */
function searchByDimension(service: string, metricName: string, dimension: string, statistic: string, period: Duration): MathExpression {
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},service,${dimension}} service="${service}" MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period,
  });
}

export class Monitoring extends Construct {
  readonly apiServerErrorsAlarm: Alarm;
  readonly apiLatencyAlarm: Alarm;
  readonly ingestErrorsAlarm: Alarm;
  readonly workflowFailedAlarm: Alarm;
  readonly noSuccessfulRunAlarm: Alarm;
  readonly noPromotionAlarm: Alarm;
  readonly driftAlarm: Alarm;
  /** Every alarm of the stack, each notifying the alarm topic. */
  readonly alarms: Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { ingest, compaction, training, api } = props;
    const stage = api.deploymentStage;
    const stateMachine = training.stateMachine;

    this.ingestErrorsAlarm = new Alarm(this, 'IngestErrorsAlarm', {
      alarmDescription: 'The ingest function failed whole invocations (the event-source mapping bisects and retries the batch)',
      metric: props.ingestFunction.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.apiServerErrorsAlarm = new Alarm(this, 'ApiServerErrorsAlarm', {
      alarmDescription: `More than ${THRESHOLDS.apiServerErrorRate * 100} % of API requests answered 5xx in 2 of the last 3 five-minute periods`,
      metric: stage.metricServerError({ statistic: 'Average', period: FIVE_MINUTES }),
      threshold: THRESHOLDS.apiServerErrorRate,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.apiLatencyAlarm = new Alarm(this, 'ApiLatencyAlarm', {
      alarmDescription: `API p99 latency above ${THRESHOLDS.apiLatencyP99Ms} ms for 15 minutes`,
      metric: stage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
      threshold: THRESHOLDS.apiLatencyP99Ms,
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.workflowFailedAlarm = new Alarm(this, 'WorkflowFailedAlarm', {
      alarmDescription: 'A training workflow execution failed, timed out or was aborted',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: stateMachine.metricFailed({ statistic: 'Sum' }),
          timedOut: stateMachine.metricTimedOut({ statistic: 'Sum' }),
          aborted: stateMachine.metricAborted({ statistic: 'Sum' }),
        },
        label: 'executions failed, timed out or aborted',
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.noSuccessfulRunAlarm = new Alarm(this, 'NoSuccessfulRunAlarm', {
      alarmDescription: `No training workflow execution succeeded for ${THRESHOLDS.noSuccessfulRunDays} days (the schedule starts one a day)`,
      metric: stateMachine.metricSucceeded({ statistic: 'Sum', period: ONE_DAY }),
      threshold: 1,
      evaluationPeriods: THRESHOLDS.noSuccessfulRunDays,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data is no execution at all: that is exactly what this alarm is for.
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.noPromotionAlarm = new Alarm(this, 'NoPromotionAlarm', {
      alarmDescription: `The champion is older than ${THRESHOLDS.championAgeDays} days: every challenger since lost the gate`,
      metric: serviceMetric(SERVICES.evaluate, 'championAgeDays', { statistic: 'Maximum', period: ONE_DAY }),
      threshold: THRESHOLDS.championAgeDays,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Days without a run are the no-successful-run alarm's business.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.driftAlarm = new Alarm(this, 'DriftAlarm', {
      alarmDescription: `A feature's population stability index exceeded ${THRESHOLDS.maxFeaturePsi}: recent data no longer looks like the champion's training data`,
      metric: serviceMetric(SERVICES.drift, 'maxFeaturePsi', { statistic: 'Maximum', period: ONE_DAY }),
      threshold: THRESHOLDS.maxFeaturePsi,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.alarms = [
      ingest.iteratorAgeAlarm,
      ingest.onFailureAlarm,
      props.ingestFailuresAlarm,
      this.ingestErrorsAlarm,
      ...compaction.alarms,
      this.apiServerErrorsAlarm,
      this.apiLatencyAlarm,
      this.workflowFailedAlarm,
      this.noSuccessfulRunAlarm,
      this.noPromotionAlarm,
      this.driftAlarm,
    ];
    props.topic.notify(...this.alarms);
    // Fixed names: the notification's subject, the runbook's headings and `aws cloudwatch describe-alarms --alarm-names` all use them.
    const names = new Map<Alarm, string>([
      [ingest.iteratorAgeAlarm, 'riskfn-ingest-iterator-age'],
      [ingest.onFailureAlarm, 'riskfn-ingest-failed-batches'],
      [props.ingestFailuresAlarm, 'riskfn-ingest-records-failed'],
      [this.ingestErrorsAlarm, 'riskfn-ingest-errors'],
      [compaction.errorsAlarm, 'riskfn-compaction-errors'],
      [compaction.corruptObjectsAlarm, 'riskfn-compaction-corrupt-objects'],
      [this.apiServerErrorsAlarm, 'riskfn-api-5xx'],
      [this.apiLatencyAlarm, 'riskfn-api-p99-latency'],
      [this.workflowFailedAlarm, 'riskfn-training-failed'],
      [this.noSuccessfulRunAlarm, 'riskfn-training-no-success'],
      [this.noPromotionAlarm, 'riskfn-training-no-promotion'],
      [this.driftAlarm, 'riskfn-model-drift'],
    ]);
    for (const alarm of this.alarms) (alarm.node.defaultChild as CfnAlarm).alarmName = names.get(alarm);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `riskfn-${Stack.of(this).region}`,
      defaultInterval: Duration.days(1),
    });
    const graph = (title: string, left: IMetric[], opts: { right?: IMetric[]; width?: number; stacked?: boolean; threshold?: number; bar?: boolean } = {}) =>
      new GraphWidget({
        title,
        left,
        right: opts.right,
        width: opts.width ?? 8,
        height: 6,
        stacked: opts.stacked,
        view: opts.bar ? GraphWidgetView.BAR : GraphWidgetView.TIME_SERIES,
        leftAnnotations: opts.threshold === undefined ? undefined : [{ value: opts.threshold, label: 'alarm' }],
      });
    const labelled = (m: Metric, label: string) => m.with({ label });
    const perRoute = (metricName: string, statistic: string) =>
      API_ROUTES.map((r) => serviceMetric(SERVICES.api, metricName, { statistic, dimensionsMap: { route: r.operationId }, label: `${r.method} ${r.path}` }));

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# riskfn\nEvery alarm, what it means and what to do: the runbook, `docs/operations.md`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph('Ingest rate (per 5 min)', [
        labelled(serviceMetric(SERVICES.ingest, 'barsAccepted', { statistic: 'Sum' }), 'bars accepted'),
        labelled(serviceMetric(SERVICES.ingest, 'barsHeld', { statistic: 'Sum' }), 'bars held'),
        labelled(ingest.stream.metricIncomingRecords({ statistic: 'Sum', period: FIVE_MINUTES }), 'records in'),
      ]),
      graph(
        'Quarantined parts by reason (per 5 min)',
        QUARANTINE_REASON_CODES.map((reason) =>
          serviceMetric(SERVICES.ingest, 'partsQuarantined', { statistic: 'Sum', dimensionsMap: { reason }, label: reason }),
        ),
        { stacked: true },
      ),
      graph(
        'Iterator age (ms, max)',
        [labelled(ingest.stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: FIVE_MINUTES }), 'oldest unread record')],
        { threshold: STREAM_ALARMS.iteratorAgeMs },
      ),
    );
    this.dashboard.addWidgets(
      graph('Failed records', [
        labelled(serviceMetric(SERVICES.ingest, 'recordsFailed', { statistic: 'Sum' }), 'records failed (retried)'),
        labelled(props.ingestFunction.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }), 'ingest invocation errors'),
        labelled(ingest.onFailureQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }), 'on-failure queue depth (redrive)'),
      ]),
      graph('Compaction lag (s): the oldest staged bar, staging to compacted', [
        labelled(serviceMetric(SERVICES.compact, 'stagingAge', { statistic: 'Maximum', period: Duration.minutes(15) }), 'oldest staged bar waited'),
      ]),
      graph(
        'Compaction runs and failures (per 15 min)',
        [
          labelled(compaction.function.function.metricInvocations({ statistic: 'Sum', period: Duration.minutes(15) }), 'runs'),
          labelled(compaction.function.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(15) }), 'failed runs (staging waits)'),
          labelled(serviceMetric(SERVICES.compact, 'corruptObjects', { statistic: 'Sum', period: Duration.minutes(15) }), 'corrupt objects'),
        ],
        {
          right: [
            labelled(serviceMetric(SERVICES.compact, 'objectsCompacted', { statistic: 'Sum', period: Duration.minutes(15) }), 'staging objects folded'),
            labelled(compaction.function.function.metricDuration({ statistic: 'Maximum', period: Duration.minutes(15) }), 'run time (ms; timeout 5 min)'),
          ],
        },
      ),
    );
    this.dashboard.addWidgets(
      graph('API latency p50 by route (ms)', perRoute('latency', 'p50'), { width: 12 }),
      graph('API latency p99 by route (ms)', perRoute('latency', 'p99'), { width: 12 }),
    );
    this.dashboard.addWidgets(
      graph('API 4xx by route (per 5 min)', perRoute('clientErrors', 'Sum'), { width: 8, stacked: true }),
      graph('API 5xx by route (per 5 min)', perRoute('serverErrors', 'Sum'), { width: 8, stacked: true }),
      graph(
        'API Gateway, all routes (refusals before the function included)',
        [
          labelled(stage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES }), 'requests'),
          labelled(stage.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES }), '4xx'),
          labelled(stage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES }), '5xx'),
        ],
        { right: [labelled(stage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }), 'p99 latency (ms)')], width: 8 },
      ),
    );
    this.dashboard.addWidgets(
      graph('Champion version answering (answers per hour)', [searchByDimension(SERVICES.api, 'modelAnswers', 'modelVersion', 'Sum', Duration.hours(1))]),
      graph(
        'Champion age (days, at each gate) and promotions',
        [labelled(serviceMetric(SERVICES.evaluate, 'championAgeDays', { statistic: 'Maximum', period: ONE_DAY }), 'champion age')],
        {
          right: [labelled(serviceMetric(SERVICES.promote, 'promotions', { statistic: 'Sum', period: ONE_DAY }), 'promotions')],
          threshold: THRESHOLDS.championAgeDays,
        },
      ),
      graph(
        'Last workflow outcomes (per day)',
        [
          labelled(stateMachine.metricSucceeded({ statistic: 'Sum', period: ONE_DAY }), 'succeeded'),
          labelled(stateMachine.metricFailed({ statistic: 'Sum', period: ONE_DAY }), 'failed'),
          labelled(stateMachine.metricTimedOut({ statistic: 'Sum', period: ONE_DAY }), 'timed out'),
          labelled(stateMachine.metricAborted({ statistic: 'Sum', period: ONE_DAY }), 'aborted'),
          labelled(serviceMetric(SERVICES.evaluate, 'gatePassed', { statistic: 'Sum', period: ONE_DAY }), 'gate passed'),
        ],
        { bar: true },
      ),
    );
    this.dashboard.addWidgets(
      graph('Challenger scores at the gate (pooled walk-forward)', [
        labelled(serviceMetric(SERVICES.evaluate, 'challengerLogLoss', { statistic: 'Average', period: ONE_DAY }), 'log loss'),
        labelled(serviceMetric(SERVICES.evaluate, 'challengerBrier', { statistic: 'Average', period: ONE_DAY }), 'Brier'),
        labelled(serviceMetric(SERVICES.evaluate, 'challengerBalancedAccuracy', { statistic: 'Average', period: ONE_DAY }), 'balanced accuracy'),
      ]),
      graph(
        'Training run duration (s, to the gate) and training-set size',
        [labelled(serviceMetric(SERVICES.evaluate, 'trainingDuration', { statistic: 'Maximum', period: ONE_DAY }), 'run duration')],
        {
          right: [
            labelled(serviceMetric(SERVICES.buildDataset, 'datasetRows', { statistic: 'Maximum', period: ONE_DAY }), 'rows'),
            labelled(serviceMetric(SERVICES.buildDataset, 'symbolsSkipped', { statistic: 'Maximum', period: ONE_DAY }), 'instruments left out'),
          ],
        },
      ),
      graph(
        'Drift: PSI per feature (max per day)',
        [
          labelled(serviceMetric(SERVICES.drift, 'maxFeaturePsi', { statistic: 'Maximum', period: ONE_DAY }), 'largest'),
          searchByDimension(SERVICES.drift, 'featurePsi', 'feature', 'Maximum', ONE_DAY),
        ],
        { threshold: THRESHOLDS.maxFeaturePsi },
      ),
    );
  }
}
