/**
 * Template assertions: one test per secure default of the riskfn stack. One in-process synth
 * (bundling skipped) is shared by every test in this file.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, MARKET_DATA_STREAM, MODEL_REGISTRY_TABLE, TRAINING_STATE_MACHINE } from '../../../lib/config/resources.ts';
import { secureDataBucketTests, tlsOnlyStatement } from './secure-bucket.ts';
import { type Grant, grantsOfRole, logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const bucketId = logicalId(stack.dataLake.bucket);
const logsBucketId = logicalId(stack.dataLake.logsBucket);
const objects = (prefix: string): string => `<${bucketId}.Arn>/${prefix}*`;
const { rawPrefix, stagingPrefix, curatedPrefix, quarantinePrefix } = DATA_LAKE_BUCKET;

const resourcesOf = (type: string) => Object.entries(template.findResources(type));
const only = (type: string) => {
  const all = resourcesOf(type);
  assert.equal(all.length, 1, `expected exactly one ${type}`);
  return all[0]![1].Properties as Record<string, any>;
};
/** S3 and DynamoDB grants of a role, as sorted `action resource` strings (logs/X-Ray/Kinesis/SQS left out). */
const dataGrants = (roleId: string): string[] =>
  grantsOfRole(template, roleId)
    .filter((g: Grant) => g.action.startsWith('s3:') || g.action.startsWith('dynamodb:'))
    .map((g) => `${g.action} ${g.resource}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''}`)
    .sort();
/**
 * What the lake reader needs: GET compacted and staging objects, and an unconditional bucket list so
 * that S3 answers a missing key with 404 (which the reader and compactor expect), not 403.
 */
const lakeReads: string[] = [`s3:GetObject ${objects(curatedPrefix)}`, `s3:GetObject ${objects(stagingPrefix)}`, `s3:ListBucket <${bucketId}.Arn>`];
const writes = (prefix: string): string => `s3:PutObject ${objects(prefix)}`;

describe('Kinesis stream', () => {
  test('is encrypted with KMS (aws/kinesis key)', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });
  test('has the name, shard count and retention of lib/config', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: MARKET_DATA_STREAM.name,
      ShardCount: MARKET_DATA_STREAM.shardCount,
      RetentionPeriodHours: MARKET_DATA_STREAM.retentionHours,
    });
  });
});

describe('event-source mapping (Kinesis → ingest)', () => {
  const esm = only('AWS::Lambda::EventSourceMapping');
  test('reads the stream into the ingest function', () => {
    assert.deepEqual(esm.EventSourceArn, { 'Fn::GetAtt': [logicalId(stack.ingest.stream), 'Arn'] });
    assert.deepEqual(esm.FunctionName, { Ref: logicalId(stack.ingestFunction.function) });
  });
  test('reports batch item failures', () => assert.deepEqual(esm.FunctionResponseTypes, ['ReportBatchItemFailures']));
  test('bisects a failing batch', () => assert.equal(esm.BisectBatchOnFunctionError, true));
  test('bounds retries', () => {
    assert.equal(typeof esm.MaximumRetryAttempts, 'number');
    assert.ok(esm.MaximumRetryAttempts >= 0 && esm.MaximumRetryAttempts <= 10, String(esm.MaximumRetryAttempts));
  });
  test('bounds record age below the stream retention', () => {
    assert.ok(esm.MaximumRecordAgeInSeconds > 0);
    assert.ok(esm.MaximumRecordAgeInSeconds < MARKET_DATA_STREAM.retentionHours * 3600);
  });
  test('leaves at least 6 days to redrive a record given up on at its maximum age', () => {
    const redriveWindowH = MARKET_DATA_STREAM.retentionHours - esm.MaximumRecordAgeInSeconds / 3600;
    assert.equal(MARKET_DATA_STREAM.retentionHours, 168);
    assert.ok(redriveWindowH >= 6 * 24, `${redriveWindowH} h`);
  });
  test('sends given-up batches to the on-failure queue', () => {
    assert.deepEqual(esm.DestinationConfig, {
      OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.ingest.onFailureQueue), 'Arn'] } },
    });
  });
  test('starts at TRIM_HORIZON', () => assert.equal(esm.StartingPosition, 'TRIM_HORIZON'));
});

describe('on-failure SQS queue', () => {
  test('is encrypted at rest', () => template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true }));
  test('denies requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(stack.ingest.onFailureQueue) }],
      PolicyDocument: { Statement: Match.arrayWith([tlsOnlyStatement]) },
    });
  });
  test('keeps messages for the 14-day maximum', () => template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600 }));
  test('is watched by an alarm on visible messages', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });
  test('stream iterator age is watched by an alarm', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds' });
  });
});

describe('Lambda functions', () => {
  const functions = resourcesOf('AWS::Lambda::Function');
  test('there are thirteen: ingest, compaction, API, audit writer and nine training tasks', () => assert.equal(functions.length, 13));
  test('run on Node.js 22 or later', () => {
    for (const [id, f] of functions) {
      const m = /^nodejs(\d+)\.x$/.exec(f.Properties.Runtime);
      assert.ok(m && Number(m[1]) >= 22, `${id}: ${f.Properties.Runtime}`);
    }
  });
  test('have X-Ray active tracing', () => {
    for (const [id, f] of functions) assert.deepEqual(f.Properties.TracingConfig, { Mode: 'Active' }, id);
  });
  test('have Powertools environment variables', () => {
    for (const [id, f] of functions) {
      const env = f.Properties.Environment.Variables;
      assert.match(env.POWERTOOLS_SERVICE_NAME, /^riskfn-/, id);
      assert.ok(env.POWERTOOLS_LOG_LEVEL, id);
      assert.equal(env.POWERTOOLS_METRICS_NAMESPACE, 'riskfn', id);
    }
  });
  test('log to their own log group with a retention', () => {
    const groups = template.findResources('AWS::Logs::LogGroup');
    for (const [id, f] of functions) {
      const groupId = f.Properties.LoggingConfig.LogGroup.Ref as string;
      assert.ok(groups[groupId]?.Properties.RetentionInDays > 0, `${id} → ${groupId}`);
    }
    const used = functions.map(([, f]) => f.Properties.LoggingConfig.LogGroup.Ref);
    assert.equal(new Set(used).size, functions.length);
  });
  test('roles carry no AWS-managed policy', () => {
    for (const [, f] of functions) {
      const roleId = f.Properties.Role['Fn::GetAtt'][0] as string;
      assert.equal(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns, undefined, roleId);
    }
  });
  test('roles may write only to their own log group', () => {
    for (const [id, f] of functions) {
      const roleId = f.Properties.Role['Fn::GetAtt'][0] as string;
      const logs = grantsOfRole(template, roleId).filter((g) => g.action.startsWith('logs:'));
      const groupId = f.Properties.LoggingConfig.LogGroup.Ref as string;
      assert.deepEqual(
        logs.map((g) => `${g.action} ${g.resource}`).sort(),
        [`logs:CreateLogStream <${groupId}.Arn>`, `logs:PutLogEvents <${groupId}.Arn>`],
        id,
      );
    }
  });
  test('training tasks get more memory and time than request handlers', () => {
    const props = (fn: { function: Parameters<typeof logicalId>[0] }) => template.toJSON().Resources[logicalId(fn.function)].Properties;
    for (const [state, t] of Object.entries(stack.training.tasks)) {
      // TrainShard trains on two threads (FOREST_THREADS) with the memory of two vCPUs; the others on one.
      const shard = state === 'TrainShard';
      assert.equal(props(t).MemorySize, shard ? 3584 : 3008, state);
      // Lambda's maximum: measured at 500 symbols, the largest fold needs about 8 minutes of one core.
      assert.equal(props(t).Timeout, 900, state);
      assert.equal(props(t).Environment.Variables.FOREST_THREADS, shard ? '2' : undefined, state);
    }
    for (const fn of [stack.ingestFunction, stack.apiFunction]) {
      assert.equal(props(fn).MemorySize, 512);
      assert.equal(props(fn).Timeout, 30);
    }
    assert.equal(props(stack.compaction.function).MemorySize, 1024);
    assert.equal(props(stack.compaction.function).Timeout, 300);
  });
  test('get the resource names through the ENV variables of lib/config', () => {
    const env = (fn: typeof stack.apiFunction) => template.toJSON().Resources[logicalId(fn.function)].Properties.Environment.Variables;
    assert.deepEqual(env(stack.ingestFunction)[ENV.dataBucket], { Ref: bucketId });
    assert.deepEqual(env(stack.compaction.function)[ENV.dataBucket], { Ref: bucketId });
    assert.deepEqual(env(stack.apiFunction)[ENV.auditTable], { Ref: logicalId(stack.auditTable.table) });
    assert.deepEqual(env(stack.apiFunction)[ENV.modelTable], { Ref: logicalId(stack.modelRegistry.table) });
    for (const t of Object.values(stack.training.tasks)) {
      assert.deepEqual(env(t)[ENV.dataBucket], { Ref: bucketId });
      assert.deepEqual(env(t)[ENV.modelTable], { Ref: logicalId(stack.modelRegistry.table) });
    }
  });
});

describe('data-lake bucket', () => {
  secureDataBucketTests(template, bucketId, { logsBucketId, prefix: 'data-lake/' }, logicalId(stack.keys.lake));
});

describe('access-logs bucket', () => {
  const logs = template.toJSON().Resources[logsBucketId].Properties;
  test('blocks all public access', () => assert.equal(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets, true));
  test('is encrypted with SSE-S3 (the only encryption log delivery supports)', () =>
    assert.equal(logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, 'AES256'));
  test('expires logs', () => assert.ok(logs.LifecycleConfiguration.Rules.some((r: any) => r.ExpirationInDays > 0)));
  test('denies requests without TLS and admits log delivery only from the data and query-results buckets', () => {
    const policies = resourcesOf('AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === logsBucketId);
    assert.equal(policies.length, 1);
    const statements = policies[0]![1].Properties.PolicyDocument.Statement as any[];
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsBucketId },
      PolicyDocument: { Statement: Match.arrayWith([tlsOnlyStatement]) },
    });
    const delivery = statements.filter((st) => st.Effect === 'Allow');
    assert.ok(delivery.length > 0);
    for (const st of delivery) {
      assert.deepEqual(st.Principal, { Service: 'logging.s3.amazonaws.com' });
      assert.equal(st.Action, 's3:PutObject');
    }
    const sources = delivery.map((st) => st.Condition.ArnLike['aws:SourceArn']['Fn::GetAtt'][0]).sort();
    assert.deepEqual(sources, [bucketId, logicalId(stack.athena.resultsBucket)].sort());
  });
});

describe('DynamoDB tables', () => {
  for (const [label, config] of [
    ['audit', AUDIT_TABLE],
    ['model registry', MODEL_REGISTRY_TABLE],
  ] as const) {
    const keySchema = [
      { AttributeName: config.partitionKey.name, KeyType: 'HASH' },
      ...('sortKey' in config ? [{ AttributeName: config.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    test(`${label}: name and key schema from lib/config`, () =>
      template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: config.name, KeySchema: keySchema }));
    test(`${label}: on-demand billing`, () =>
      template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: config.name, BillingMode: 'PAY_PER_REQUEST' }));
    test(`${label}: encrypted with KMS`, () =>
      template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: config.name, SSESpecification: { SSEEnabled: true } }));
    test(`${label}: point-in-time recovery`, () =>
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: config.name,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }));
    test(`${label}: deletion protection`, () =>
      template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: config.name, DeletionProtectionEnabled: true }));
  }
});

describe('training state machine', () => {
  const sm = only('AWS::StepFunctions::StateMachine');
  test('has the name of lib/config', () => assert.equal(sm.StateMachineName, TRAINING_STATE_MACHINE.name));
  test('logs ALL events with execution data to its log group', () => {
    assert.equal(sm.LoggingConfiguration.Level, 'ALL');
    assert.equal(sm.LoggingConfiguration.IncludeExecutionData, true);
    assert.deepEqual(sm.LoggingConfiguration.Destinations, [
      { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(stack.training.logGroup), 'Arn'] } } },
    ]);
  });
  test('has X-Ray tracing', () => assert.deepEqual(sm.TracingConfiguration, { Enabled: true }));
  test('may invoke exactly the task functions (and their versions)', () => {
    const roleId = sm.RoleArn['Fn::GetAtt'][0] as string;
    const invokes = grantsOfRole(template, roleId).filter((g) => g.action.startsWith('lambda:'));
    const expected = Object.values(stack.training.tasks).flatMap((t) => {
      const id = logicalId(t.function);
      return [`lambda:InvokeFunction <${id}.Arn>`, `lambda:InvokeFunction <${id}.Arn>:*`];
    });
    assert.deepEqual(invokes.map((g) => `${g.action} ${g.resource}`).sort(), expected.sort());
  });
  const trainingSchedule = () => template.toJSON().Resources[logicalId(stack.training.schedule)].Properties;
  test('is started daily by EventBridge Scheduler', () => {
    const schedule = trainingSchedule();
    assert.match(schedule.ScheduleExpression, /^cron\(\d+ \d+ \* \* \? \*\)$/);
    assert.deepEqual(schedule.Target.Arn, { Ref: logicalId(stack.training.stateMachine) });
    assert.equal(schedule.State, 'ENABLED');
  });
  test('the scheduler role may only start this state machine', () => {
    const roleId = trainingSchedule().Target.RoleArn['Fn::GetAtt'][0] as string;
    assert.deepEqual(
      grantsOfRole(template, roleId).map((g) => `${g.action} ${g.resource}`),
      [`states:StartExecution <${logicalId(stack.training.stateMachine)}>`],
    );
  });
});

// Routes, models, validation responses and the API's grants: test/unit/infra/api-stack.test.ts.
describe('scoring REST API', () => {
  test('every method requires IAM authorisation', () => {
    const methods = resourcesOf('AWS::ApiGateway::Method');
    assert.ok(methods.length > 0);
    for (const [id, m] of methods) assert.equal(m.Properties.AuthorizationType, 'AWS_IAM', id);
  });
  test('methods use the request validator', () => {
    const validatorId = logicalId(stack.scoringApi.requestValidator);
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
    for (const [id, m] of resourcesOf('AWS::ApiGateway::Method')) {
      assert.deepEqual(m.Properties.RequestValidatorId, { Ref: validatorId }, id);
    }
  });
  const stage = only('AWS::ApiGateway::Stage');
  test('the stage throttles every method', () => {
    const all = stage.MethodSettings.find((s: any) => s.ResourcePath === '/*' && s.HttpMethod === '*');
    assert.ok(all.ThrottlingRateLimit > 0);
    assert.ok(all.ThrottlingBurstLimit > 0);
  });
  test('the stage writes JSON access logs to a log group', () => {
    assert.deepEqual(stage.AccessLogSetting.DestinationArn, { 'Fn::GetAtt': [logicalId(stack.scoringApi.accessLogGroup), 'Arn'] });
    assert.match(stage.AccessLogSetting.Format, /\$context\.requestId/);
  });
  test('the stage has execution logging (without bodies) and metrics', () => {
    const all = stage.MethodSettings.find((s: any) => s.ResourcePath === '/*');
    assert.equal(all.LoggingLevel, 'ERROR');
    assert.equal(all.DataTraceEnabled, false);
    assert.equal(all.MetricsEnabled, true);
  });
  test('the stage has X-Ray tracing', () => assert.equal(stage.TracingEnabled, true));
});

describe('least-privilege data grants', () => {
  const roleOf = (fn: { role: Parameters<typeof logicalId>[0] }) => logicalId(fn.role);
  test('ingest writes raw, staging and quarantine objects and reads curated and staging (plausibility neighbours)', () => {
    assert.deepEqual(dataGrants(roleOf(stack.ingestFunction)), [writes(rawPrefix), writes(stagingPrefix), writes(quarantinePrefix), ...lakeReads].sort());
  });
  test('ingest may not write the compacted layer, nor delete anything', () => {
    const grants = dataGrants(roleOf(stack.ingestFunction));
    assert.ok(!grants.includes(writes(curatedPrefix)));
    assert.ok(grants.every((g) => !g.startsWith('s3:DeleteObject')));
  });
  test('compaction reads and deletes staging, reads and writes curated, writes quarantine (corrupt objects)', () => {
    assert.deepEqual(
      dataGrants(roleOf(stack.compaction.function)),
      [...lakeReads, `s3:DeleteObject ${objects(stagingPrefix)}`, writes(curatedPrefix), writes(quarantinePrefix)].sort(),
    );
  });
  test('ingest reads only its stream and sends only to its on-failure queue', () => {
    const grants = grantsOfRole(template, roleOf(stack.ingestFunction));
    const kinesis = grants.filter((g) => g.action.startsWith('kinesis:'));
    assert.ok(kinesis.some((g) => g.action === 'kinesis:GetRecords'));
    for (const g of kinesis) {
      assert.equal(g.resource, `<${logicalId(stack.ingest.stream)}.Arn>`, g.action);
      assert.doesNotMatch(g.action, /Put|Delete|Update|Create/);
    }
    for (const g of grants.filter((x) => x.action.startsWith('sqs:'))) {
      assert.equal(g.resource, `<${logicalId(stack.ingest.onFailureQueue)}.Arn>`);
    }
  });
  // The training tasks' grants: test/unit/infra/training-roles.test.ts.
  test('only the lake readers (ingest, compaction, BuildDataset, API) may list the whole bucket', () => {
    const unconditionalList = (roleId: string) =>
      grantsOfRole(template, roleId).some((g) => g.action === 's3:ListBucket' && g.resource === `<${bucketId}.Arn>` && !g.condition);
    const readers = [stack.ingestFunction, stack.compaction.function, stack.training.tasks.BuildDataset, stack.apiFunction].map(roleOf);
    const listers = resourcesOf('AWS::IAM::Role')
      .map(([id]) => id)
      .filter(unconditionalList);
    assert.deepEqual(listers.sort(), readers.sort());
  });
  test('no policy grants a wildcard action or a whole-bucket object ARN', () => {
    for (const [id, p] of resourcesOf('AWS::IAM::Policy')) {
      for (const st of p.Properties.PolicyDocument.Statement) {
        for (const a of ([] as string[]).concat(st.Action)) assert.doesNotMatch(a, /\*/, `${id}: ${a}`);
      }
    }
    const all = resourcesOf('AWS::IAM::Role').flatMap(([id]) => grantsOfRole(template, id));
    assert.ok(all.length > 0);
    for (const g of all) assert.notEqual(g.resource, `<${bucketId}.Arn>/*`, g.action);
  });
});

describe('lake compaction', () => {
  const fnId = logicalId(stack.compaction.function.function);
  const schedule = template.toJSON().Resources[logicalId(stack.compaction.schedule)].Properties;
  test('is started every 15 minutes by EventBridge Scheduler with input {} (every partition with staging objects)', () => {
    assert.equal(schedule.ScheduleExpression, 'rate(15 minutes)');
    assert.equal(schedule.State, 'ENABLED');
    assert.deepEqual(schedule.Target.Arn, { 'Fn::GetAtt': [fnId, 'Arn'] });
    assert.equal(schedule.Target.Input, '{}');
  });
  test('a late or failed delivery is not retried past the next run', () => {
    assert.ok(schedule.Target.RetryPolicy.MaximumEventAgeInSeconds <= 15 * 60);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 15 * 60,
    });
  });
  test('its schedule role may only invoke the compaction function, and only Scheduler of this account may assume it', () => {
    const roleId = schedule.Target.RoleArn['Fn::GetAtt'][0] as string;
    assert.equal(roleId, logicalId(stack.compaction.scheduleRole));
    assert.deepEqual(
      grantsOfRole(template, roleId)
        .map((g) => `${g.action} ${g.resource}`)
        .sort(),
      [`lambda:InvokeFunction <${fnId}.Arn>`, `lambda:InvokeFunction <${fnId}.Arn>:*`],
    );
    const trust = template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
    assert.deepEqual(trust, [
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });
  test('is bundled from functions/compact.ts with the service name riskfn-compact', () => {
    assert.equal(stack.compaction.function.entry, 'functions/compact.ts');
    const env = template.toJSON().Resources[fnId].Properties.Environment.Variables;
    assert.equal(env.POWERTOOLS_SERVICE_NAME, 'riskfn-compact');
  });
});
