/**
 * Alarms and where they go: every alarm notifies the one SNS topic, which is KMS-encrypted with a
 * rotated customer-managed key that CloudWatch may use, publish-over-TLS only, with an optional
 * e-mail subscription from the `alarmEmail` context value. Each alarm's metric and threshold, and
 * the operations dashboard's widgets.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PSI_RETRAIN_THRESHOLD } from '../../../lib/domain/model/drift.ts';
import { ALARM_EMAIL_CONTEXT } from '../../../lib/infra/alarm-topic.ts';
import { FEATURE_FLAGS, SKIP_BUNDLING_CONTEXT } from '../../../lib/infra/feature-flags.ts';
import { SERVICES } from '../../../lib/infra/monitoring.ts';
import { flattenCfnReference } from '../../../lib/infra/nag-acknowledgements.ts';
import { RiskfnStack } from '../../../lib/infra/riskfn-stack.ts';
import { API_ROUTES } from '../../../lib/schemas/api-routes.ts';
import { QUARANTINE_REASON_CODES } from '../../../lib/schemas/quarantine-reason.ts';
import { logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const resources = template.toJSON().Resources as Record<string, any>;
const topicId = logicalId(stack.alarms.topic);
const keyId = logicalId(stack.alarms.key);
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));

describe('alarms', () => {
  test('there are twelve: ingest (iterator age, on-failure queue, failed records, errors), compaction (errors, corrupt objects), API (5xx, p99), training (failed run, no successful run, no promotion, drift)', () => {
    const m = stack.monitoring;
    const ids = [
      stack.ingest.iteratorAgeAlarm,
      stack.ingest.onFailureAlarm,
      stack.ingestFailuresAlarm,
      m.ingestErrorsAlarm,
      stack.compaction.errorsAlarm,
      stack.compaction.corruptObjectsAlarm,
      m.apiServerErrorsAlarm,
      m.apiLatencyAlarm,
      m.workflowFailedAlarm,
      m.noSuccessfulRunAlarm,
      m.noPromotionAlarm,
      m.driftAlarm,
    ].map(logicalId);
    assert.deepEqual(alarms.map(([id]) => id).sort(), ids.sort());
    assert.deepEqual(m.alarms.map(logicalId).sort(), ids.sort());
  });
  test('each has the fixed name the runbook (docs/operations.md) uses', () => {
    const names = alarms.map(([, a]) => a.Properties.AlarmName).sort();
    assert.deepEqual(names, [
      'riskfn-api-5xx',
      'riskfn-api-p99-latency',
      'riskfn-compaction-corrupt-objects',
      'riskfn-compaction-errors',
      'riskfn-ingest-errors',
      'riskfn-ingest-failed-batches',
      'riskfn-ingest-iterator-age',
      'riskfn-ingest-records-failed',
      'riskfn-model-drift',
      'riskfn-training-failed',
      'riskfn-training-no-promotion',
      'riskfn-training-no-success',
    ]);
  });
  test('the runbook has a section for each, under its name', () => {
    const runbook = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    for (const [, a] of alarms) assert.match(runbook, new RegExp(`^### ${a.Properties.AlarmName}$`, 'm'), a.Properties.AlarmName);
  });
  test('every alarm notifies the alarm topic', () => {
    for (const [id, alarm] of alarms) assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: topicId }], id);
  });
  test('ingest failures: Powertools recordsFailed of riskfn-ingest, sum ≥ 1 in 5 min', () => {
    const p = resources[logicalId(stack.ingestFailuresAlarm)].Properties;
    assert.equal(p.Namespace, 'riskfn');
    assert.equal(p.MetricName, 'recordsFailed');
    assert.deepEqual(p.Dimensions, [{ Name: 'service', Value: 'riskfn-ingest' }]);
    assert.equal(p.Statistic, 'Sum');
    assert.equal(p.Period, 300);
    assert.equal(p.Threshold, 1);
    assert.equal(p.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
    // The metric namespace is the one the functions' Powertools environment sets.
    const env = resources[logicalId(stack.ingestFunction.function)].Properties.Environment.Variables;
    assert.equal(env.POWERTOOLS_METRICS_NAMESPACE, p.Namespace);
    assert.equal(env.POWERTOOLS_SERVICE_NAME, 'riskfn-ingest');
  });
  test('compaction errors: AWS/Lambda Errors of the compaction function ≥ 1 per run interval', () => {
    const p = resources[logicalId(stack.compaction.errorsAlarm)].Properties;
    assert.equal(p.Namespace, 'AWS/Lambda');
    assert.equal(p.MetricName, 'Errors');
    assert.deepEqual(p.Dimensions, [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.compaction.function.function) } }]);
    assert.equal(p.Period, 900);
    assert.equal(p.Threshold, 1);
  });
  test('corrupt objects: Powertools corruptObjects of riskfn-compact, sum ≥ 1 per run interval', () => {
    const p = resources[logicalId(stack.compaction.corruptObjectsAlarm)].Properties;
    assert.equal(p.Namespace, 'riskfn');
    assert.equal(p.MetricName, 'corruptObjects');
    assert.deepEqual(p.Dimensions, [{ Name: 'service', Value: 'riskfn-compact' }]);
    assert.equal(p.Statistic, 'Sum');
    assert.equal(p.Period, 900);
    assert.equal(p.Threshold, 1);
  });
  test('a quiet period is not an alarm (missing data is not breaching), except for the one that watches for a missing run', () => {
    const noRun = logicalId(stack.monitoring.noSuccessfulRunAlarm);
    for (const [id, alarm] of alarms) assert.equal(alarm.Properties.TreatMissingData, id === noRun ? 'breaching' : 'notBreaching', id);
  });
});

describe('alarm topic', () => {
  test('is encrypted with the customer-managed key', () => {
    assert.deepEqual(resources[topicId].Properties.KmsMasterKeyId, { 'Fn::GetAtt': [keyId, 'Arn'] });
  });
  test('the key rotates and is retained', () => {
    assert.equal(resources[keyId].Properties.EnableKeyRotation, true);
    assert.equal(resources[keyId].DeletionPolicy, 'Retain');
  });
  test('the key lets CloudWatch encrypt notifications (the statement AWS documents for alarms)', () => {
    const statements = resources[keyId].Properties.KeyPolicy.Statement as any[];
    const cw = statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    assert.equal(cw.length, 1);
    assert.equal(cw[0].Effect, 'Allow');
    assert.deepEqual(cw[0].Action, ['kms:Decrypt', 'kms:GenerateDataKey*']);
  });
  test('the topic policy admits CloudWatch alarms of this account only', () => {
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).filter((p: any) => p.Properties.Topics[0].Ref === topicId);
    assert.equal(policies.length, 1);
    const allows = (policies[0] as any).Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    assert.deepEqual(allows, [
      {
        Sid: 'AllowThisAccountsAlarms',
        Action: 'sns:Publish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Resource: { Ref: topicId },
        Condition: {
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
            },
          },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      },
    ]);
  });
  test('denies publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
  test('has no subscription unless alarmEmail is given', () => {
    assert.equal(Object.keys(template.findResources('AWS::SNS::Subscription')).length, 0);
  });
  test('subscribes the alarmEmail context address by e-mail', () => {
    const app = new App({
      builtinCloudFormationValidation: false,
      context: { ...FEATURE_FLAGS, ...SKIP_BUNDLING_CONTEXT, [ALARM_EMAIL_CONTEXT]: 'ops@example.com' },
    });
    const withEmail = new RiskfnStack(app, 'WithEmail');
    Template.fromStack(withEmail).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(withEmail.alarms.topic) },
    });
  });
});

describe('alarms of the API, the training workflow and drift', () => {
  const m = stack.monitoring;
  const props = (alarm: Parameters<typeof logicalId>[0]) => resources[logicalId(alarm)].Properties;
  const apiId = logicalId(stack.scoringApi.api);
  const stateMachineId = logicalId(stack.training.stateMachine);

  test('API 5xx: API Gateway 5XXError average (the share of requests) above 5 % in 2 of 3 five-minute periods', () => {
    const p = props(m.apiServerErrorsAlarm);
    assert.equal(p.Namespace, 'AWS/ApiGateway');
    assert.equal(p.MetricName, '5XXError');
    assert.deepEqual(p.Dimensions, [
      { Name: 'ApiName', Value: resources[apiId].Properties.Name },
      { Name: 'Stage', Value: { Ref: logicalId(stack.scoringApi.api.deploymentStage) } },
    ]);
    assert.equal(p.Statistic, 'Average');
    assert.deepEqual([p.Period, p.EvaluationPeriods, p.DatapointsToAlarm, p.Threshold], [300, 3, 2, 0.05]);
    assert.equal(p.ComparisonOperator, 'GreaterThanThreshold');
  });
  test('API p99: API Gateway Latency p99 above 3 s for three five-minute periods', () => {
    const p = props(m.apiLatencyAlarm);
    assert.equal(p.MetricName, 'Latency');
    assert.equal(p.ExtendedStatistic, 'p99');
    assert.deepEqual([p.Period, p.EvaluationPeriods, p.Threshold], [300, 3, 3000]);
  });
  test('workflow failure: failed + timed out + aborted executions of the state machine ≥ 1', () => {
    const p = props(m.workflowFailedAlarm);
    const expression = p.Metrics.find((x: any) => x.Expression);
    assert.equal(expression.Expression, 'failed + timedOut + aborted');
    const stats = p.Metrics.filter((x: any) => x.MetricStat).map((x: any) => [x.Id, x.MetricStat.Metric.MetricName, x.MetricStat.Stat]);
    assert.deepEqual(stats.sort(), [
      ['aborted', 'ExecutionsAborted', 'Sum'],
      ['failed', 'ExecutionsFailed', 'Sum'],
      ['timedOut', 'ExecutionsTimedOut', 'Sum'],
    ]);
    for (const x of p.Metrics.filter((y: any) => y.MetricStat)) {
      assert.deepEqual(x.MetricStat.Metric.Dimensions, [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }]);
    }
    assert.deepEqual([p.Threshold, p.ComparisonOperator], [1, 'GreaterThanOrEqualToThreshold']);
  });
  test('no successful run: ExecutionsSucceeded below 1 on each of 3 days, no data counting as none', () => {
    const p = props(m.noSuccessfulRunAlarm);
    assert.equal(p.MetricName, 'ExecutionsSucceeded');
    assert.deepEqual([p.Statistic, p.Period, p.EvaluationPeriods, p.Threshold, p.ComparisonOperator], ['Sum', 86400, 3, 1, 'LessThanThreshold']);
    // CloudWatch evaluates at most 7 days of periods of an hour or more.
    assert.ok(p.Period * p.EvaluationPeriods <= 7 * 86400);
  });
  test('no promotion: the champion age Evaluate reports above 30 days', () => {
    const p = props(m.noPromotionAlarm);
    assert.deepEqual([p.Namespace, p.MetricName, p.Statistic, p.Period, p.Threshold], ['riskfn', 'championAgeDays', 'Maximum', 86400, 30]);
    assert.deepEqual(p.Dimensions, [{ Name: 'service', Value: 'riskfn-training-evaluate' }]);
  });
  test('drift: the largest feature PSI of a run above the retrain threshold of docs/model.md', () => {
    const p = props(m.driftAlarm);
    assert.deepEqual([p.Namespace, p.MetricName, p.Statistic, p.Threshold], ['riskfn', 'maxFeaturePsi', 'Maximum', PSI_RETRAIN_THRESHOLD]);
    assert.equal(PSI_RETRAIN_THRESHOLD, 0.25);
    assert.deepEqual(p.Dimensions, [{ Name: 'service', Value: 'riskfn-training-drift' }]);
  });
  test('ingest errors: AWS/Lambda Errors of the ingest function ≥ 1 in 5 min', () => {
    const p = props(m.ingestErrorsAlarm);
    assert.deepEqual([p.Namespace, p.MetricName, p.Threshold, p.Period], ['AWS/Lambda', 'Errors', 1, 300]);
    assert.deepEqual(p.Dimensions, [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.ingestFunction.function) } }]);
  });
  test("the services alarms and dashboard select are the functions' POWERTOOLS_SERVICE_NAME", () => {
    const service = (fn: Parameters<typeof logicalId>[0]) => resources[logicalId(fn)].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
    assert.deepEqual(SERVICES, {
      ingest: service(stack.ingestFunction.function),
      compact: service(stack.compaction.function.function),
      api: service(stack.apiFunction.function),
      buildDataset: service(stack.training.tasks.BuildDataset.function),
      evaluate: service(stack.training.tasks.Evaluate.function),
      promote: service(stack.training.tasks.Promote.function),
      drift: service(stack.training.tasks.Drift.function),
    });
  });
});

describe('dashboard', () => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const dashboard = dashboards[0]!.Properties;
  // The body is a Fn::Join of JSON text and references; each reference becomes `<Id.Attr>` (as cdk-nag flattens them).
  const [, pieces] = dashboard.DashboardBody['Fn::Join'] as [string, unknown[]];
  const widgets = JSON.parse(pieces.map((p) => (typeof p === 'string' ? p : flattenCfnReference(p))).join('')).widgets as any[];
  const metricWidget = (title: string) => {
    const w = widgets.find((x) => x.properties.title === title);
    assert.ok(w, `no widget "${title}"`);
    return w.properties;
  };
  /** The [namespace, name, ...dimensions] of each metric line, without its options. */
  const lines = (title: string): string[][] => metricWidget(title).metrics.map((l: unknown[]) => l.filter((x) => typeof x === 'string'));
  const expressions = (title: string): string[] =>
    metricWidget(title)
      .metrics.map((l: any[]) => l.find((x) => typeof x === 'object')?.expression)
      .filter(Boolean);

  test('one, named riskfn-<region>', () => {
    assert.equal(dashboards.length, 1);
    assert.deepEqual(dashboard.DashboardName, { 'Fn::Join': ['', ['riskfn-', { Ref: 'AWS::Region' }]] });
  });
  test('opens with the state of every alarm', () => {
    const alarmWidget = widgets.find((w) => w.type === 'alarm');
    assert.deepEqual(alarmWidget.properties.alarms.sort(), stack.monitoring.alarms.map((a) => `<${logicalId(a)}.Arn>`).sort());
    assert.ok(widgets.indexOf(alarmWidget) <= 1);
  });
  test('ingest rate, and quarantine with one line per reason code', () => {
    assert.deepEqual(
      lines('Ingest rate (per 5 min)').map((l) => l[1]),
      ['barsAccepted', 'barsHeld', 'IncomingRecords'],
    );
    assert.deepEqual(
      lines('Quarantined parts by reason (per 5 min)'),
      QUARANTINE_REASON_CODES.map((reason) => ['riskfn', 'partsQuarantined', 'reason', reason, 'service', 'riskfn-ingest']),
    );
  });
  test('iterator age, failed records with the on-failure queue depth, compaction runs and failures', () => {
    assert.deepEqual(lines('Iterator age (ms, max)')[0]!.slice(0, 2), ['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds']);
    assert.deepEqual(
      lines('Failed records').map((l) => l[1]),
      ['recordsFailed', 'Errors', 'ApproximateNumberOfMessagesVisible'],
    );
    assert.deepEqual(lines('Compaction lag (s): the oldest staged bar, staging to compacted'), [['riskfn', 'stagingAge', 'service', 'riskfn-compact']]);
    assert.deepEqual(
      lines('Compaction runs and failures (per 15 min)').map((l) => l[1]),
      ['Invocations', 'Errors', 'corruptObjects', 'objectsCompacted', 'Duration'],
    );
  });
  test('API p50 and p99 latency, 4xx and 5xx: one line per route of the route table', () => {
    for (const [title, metric, stat] of [
      ['API latency p50 by route (ms)', 'latency', 'p50'],
      ['API latency p99 by route (ms)', 'latency', 'p99'],
      ['API 4xx by route (per 5 min)', 'clientErrors', 'Sum'],
      ['API 5xx by route (per 5 min)', 'serverErrors', 'Sum'],
    ] as const) {
      const w = metricWidget(title);
      assert.deepEqual(
        lines(title),
        API_ROUTES.map((r) => ['riskfn', metric, 'route', r.operationId, 'service', 'riskfn-api']),
      );
      for (const l of w.metrics) assert.equal(l.at(-1).stat, stat);
    }
  });
  test('champion version answering (a search over model versions), champion age, workflow outcomes, drift per feature', () => {
    assert.deepEqual(expressions('Champion version answering (answers per hour)'), [
      `SEARCH('{riskfn,service,modelVersion} service="riskfn-api" MetricName="modelAnswers"', 'Sum', 3600)`,
    ]);
    assert.deepEqual(
      lines('Champion age (days, at each gate) and promotions').map((l) => l[1]),
      ['championAgeDays', 'promotions'],
    );
    assert.deepEqual(
      lines('Last workflow outcomes (per day)').map((l) => l[1]),
      ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'gatePassed'],
    );
    assert.deepEqual(
      lines('Training run duration (s, to the gate) and training-set size').map((l) => `${l[1]} ${l[3]}`),
      ['trainingDuration riskfn-training-evaluate', 'datasetRows riskfn-training-builddataset', 'symbolsSkipped riskfn-training-builddataset'],
    );
    const drift = 'Drift: PSI per feature (max per day)';
    assert.deepEqual(expressions(drift), [`SEARCH('{riskfn,service,feature} service="riskfn-training-drift" MetricName="featurePsi"', 'Maximum', 86400)`]);
    assert.equal(metricWidget(drift).annotations.horizontal[0].value, PSI_RETRAIN_THRESHOLD);
  });
});
