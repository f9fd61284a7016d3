/**
 * Alarms and where they go: every alarm notifies the one SNS topic, which is KMS-encrypted with a
 * rotated customer-managed key that CloudWatch may use, publish-over-TLS only, with an optional
 * e-mail subscription from the `alarmEmail` context value.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ALARM_EMAIL_CONTEXT } from '../../../lib/infra/alarm-topic.ts';
import { FEATURE_FLAGS, SKIP_BUNDLING_CONTEXT } from '../../../lib/infra/feature-flags.ts';
import { RiskfnStack } from '../../../lib/infra/riskfn-stack.ts';
import { logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const resources = template.toJSON().Resources as Record<string, any>;
const topicId = logicalId(stack.alarms.topic);
const keyId = logicalId(stack.alarms.key);
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));

describe('alarms', () => {
  test('there are five: iterator age, on-failure queue, ingest failures, compaction errors, corrupt objects', () => {
    const ids = [
      stack.ingest.iteratorAgeAlarm,
      stack.ingest.onFailureAlarm,
      stack.ingestFailuresAlarm,
      stack.compaction.errorsAlarm,
      stack.compaction.corruptObjectsAlarm,
    ].map(logicalId);
    assert.deepEqual(alarms.map(([id]) => id).sort(), ids.sort());
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
  test('a quiet period is not an alarm (missing data is not breaching)', () => {
    for (const [id, alarm] of alarms) assert.equal(alarm.Properties.TreatMissingData, 'notBreaching', id);
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
