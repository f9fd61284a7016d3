/**
 * The riskfn stack: Kinesis ingest → S3 data lake (staged, then compacted on a schedule), the lake's
 * Glue tables and Athena workgroup, DynamoDB audit table, model registry and idempotency table, the
 * scheduled training workflow, the IAM-authorised risk API with its audit writer, alarms to one SNS topic and the operations
 * dashboard. The lake, the audit trail and the log groups are encrypted with customer-managed keys. Names and key schemas come
 * from lib/config/resources.ts, which the local harness reads too.
 */
import { Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, IDEMPOTENCY_TABLE, MODEL_REGISTRY_TABLE } from '../config/resources.ts';
import { API_ROUTES } from '../schemas/api-routes.ts';
import { AUDIT_RESULT_PREFIX } from '../schemas/audit-record.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { AthenaWorkgroup } from './athena-workgroup.ts';
import { guardChampionPointer } from './champion-guard.ts';
import { DataLake } from './data-lake.ts';
import { METRICS_NAMESPACE } from './defaults/lambda-defaults.ts';
import { EncryptionKeys, encryptLogGroups, grantTableKey } from './encryption-keys.ts';
import { KinesisStreamsToLambda } from './kinesis-streams-to-lambda.ts';
import { LakeAnalystPolicy } from './lake-analyst-policy.ts';
import { LakeCatalog } from './lake-catalog.ts';
import { LakeCompaction } from './lake-compaction.ts';
import { Monitoring } from './monitoring.ts';
import { grantLakeRead, grantOnObjects, grantPrefixRead, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';
import { ScoringApi } from './scoring-api.ts';
import { SecureTable } from './secure-table.ts';
import { TrainingWorkflow } from './training-workflow.ts';

/** Lambda entry files relative to the repository root. */
const FUNCTION_ENTRIES = {
  ingest: 'functions/ingest.ts',
  api: 'functions/api.ts',
  auditWriter: 'functions/audit-writer.ts',
} as const;

/** Powertools service name of the ingest function: its metrics carry it as the `service` dimension. */
const INGEST_SERVICE = 'riskfn-ingest';

export class RiskfnStack extends Stack {
  readonly keys: EncryptionKeys;
  readonly dataLake: DataLake;
  readonly auditTable: SecureTable;
  readonly modelRegistry: SecureTable;
  readonly ingestFunction: RiskfnFunction;
  readonly ingest: KinesisStreamsToLambda;
  /** Ingest's own failure count (Powertools metric `recordsFailed`) ≥ 1. */
  readonly ingestFailuresAlarm: Alarm;
  readonly compaction: LakeCompaction;
  readonly catalog: LakeCatalog;
  readonly athena: AthenaWorkgroup;
  readonly analystPolicy: LakeAnalystPolicy;
  readonly alarms: AlarmTopic;
  readonly training: TrainingWorkflow;
  readonly idempotencyTable: SecureTable;
  readonly apiFunction: RiskfnFunction;
  readonly auditWriter: RiskfnFunction;
  readonly scoringApi: ScoringApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'riskfn: serverless investment-risk scoring (Kinesis ingest, S3 lake, Step Functions training, REST API)',
      ...props,
    });
    const { rawPrefix, stagingPrefix, quarantinePrefix, modelsPrefix } = DATA_LAKE_BUCKET;

    this.keys = new EncryptionKeys(this, 'Keys');
    Aspects.of(this).add(encryptLogGroups(this.keys.logs));
    this.dataLake = new DataLake(this, 'DataLake', { encryptionKey: this.keys.lake });
    const bucket = this.dataLake.bucket;
    // The API's answers at rest: the audited copy and, briefly, the one kept for a retried request.
    this.auditTable = new SecureTable(this, 'AuditTable', { config: AUDIT_TABLE, encryptionKey: this.keys.audit });
    this.modelRegistry = new SecureTable(this, 'ModelRegistry', { config: MODEL_REGISTRY_TABLE });
    this.idempotencyTable = new SecureTable(this, 'IdempotencyTable', { config: IDEMPOTENCY_TABLE, encryptionKey: this.keys.audit });
    // DynamoDB deletes expired idempotency records (Powertools ignores them before that).
    (this.idempotencyTable.table.node.defaultChild as CfnTable).timeToLiveSpecification = { attributeName: IDEMPOTENCY_TABLE.ttlAttribute, enabled: true };

    // Ingest: Kinesis → raw/ backup, then staging/ (accepted bars) or quarantine/ (rejected or held parts).
    this.ingestFunction = new RiskfnFunction(this, 'Ingest', {
      entry: FUNCTION_ENTRIES.ingest,
      serviceName: INGEST_SERVICE,
      description: 'Backs up market-data records to raw/ and stages their bars or quarantines them',
      environment: { [ENV.dataBucket]: bucket.bucketName },
    });
    const ingestRole = this.ingestFunction.role;
    grantPrefixWrite(bucket, ingestRole, rawPrefix);
    grantPrefixWrite(bucket, ingestRole, stagingPrefix);
    grantPrefixWrite(bucket, ingestRole, quarantinePrefix);
    // The plausibility check compares a bar with the symbol's stored closes, compacted and staged.
    grantLakeRead(bucket, ingestRole);
    this.ingest = new KinesisStreamsToLambda(this, 'MarketData', { function: this.ingestFunction.function });
    this.ingestFailuresAlarm = new Alarm(this, 'IngestFailuresAlarm', {
      alarmDescription: 'Ingest gave up on a record after its retry budget (it goes to the on-failure queue for redrive)',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'recordsFailed',
        dimensionsMap: { service: INGEST_SERVICE },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // Compaction: staging/ → one curated Parquet object per (symbol, year), every 15 minutes.
    this.compaction = new LakeCompaction(this, 'Compaction', { bucket });

    // Analysts: Glue tables over curated/ and quarantine/, queried in an Athena workgroup.
    this.catalog = new LakeCatalog(this, 'Catalog', { bucket });
    this.athena = new AthenaWorkgroup(this, 'Athena', { accessLogsBucket: this.dataLake.logsBucket });
    this.analystPolicy = new LakeAnalystPolicy(this, 'LakeAnalyst', { bucket, resultsBucket: this.athena.resultsBucket });

    // Training: scheduled Step Functions workflow.
    this.training = new TrainingWorkflow(this, 'Training', { bucket, registry: this.modelRegistry.table });

    // The audit trail is append-only by construction: only this function may write it (a conditional
    // put on the table, If-None-Match puts under audit/), and it writes nothing else.
    this.auditWriter = new RiskfnFunction(this, 'AuditWriter', {
      entry: FUNCTION_ENTRIES.auditWriter,
      serviceName: 'riskfn-audit-writer',
      description: 'Writes one audit item per API answer (never replaces one); the only writer of the audit trail',
      environment: { [ENV.dataBucket]: bucket.bucketName, [ENV.auditTable]: this.auditTable.table.tableName },
    });
    // On the table only (Table.grant would add its indexes, which cannot be written anyway).
    this.auditWriter.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.auditTable.table.tableArn] }));
    grantTableKey(this.keys.audit, this.auditWriter.role, 'write');
    grantPrefixWrite(bucket, this.auditWriter.role, AUDIT_RESULT_PREFIX);
    // The writer compares an existing overflow object with the answer it was asked to store (a retried write).
    grantOnObjects(bucket, this.auditWriter.role, AUDIT_RESULT_PREFIX, ['s3:GetObject']);

    // API: reads the lake's bars, the models and the registry, reads the audit trail, keeps idempotency
    // records, and has the writer record each answer. It holds no write permission on the trail.
    this.apiFunction = new RiskfnFunction(this, 'ScoringApi', {
      entry: FUNCTION_ENTRIES.api,
      serviceName: 'riskfn-api',
      description: 'Answers the risk API routes; each answer is recorded by the audit writer',
      environment: {
        [ENV.dataBucket]: bucket.bucketName,
        [ENV.auditTable]: this.auditTable.table.tableName,
        [ENV.auditWriterFunction]: this.auditWriter.function.functionName,
        [ENV.modelTable]: this.modelRegistry.table.tableName,
        [ENV.idempotencyTable]: this.idempotencyTable.table.tableName,
      },
    });
    const apiRole = this.apiFunction.role;
    grantLakeRead(bucket, apiRole);
    grantPrefixRead(bucket, apiRole, modelsPrefix);
    grantOnObjects(bucket, apiRole, AUDIT_RESULT_PREFIX, ['s3:GetObject']);
    this.modelRegistry.table.grant(apiRole, 'dynamodb:GetItem', 'dynamodb:Query');
    // The audit routes read items by request id and query the two indexes; nothing else (no Scan, no write).
    const auditTableArn = this.auditTable.table.tableArn;
    apiRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [auditTableArn] }));
    apiRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: AUDIT_TABLE.globalSecondaryIndexes.map((i) => `${auditTableArn}/index/${i.indexName}`) }),
    );
    // Exactly what Powertools Idempotency does with a record: conditional put, read, store the answer, delete after a 5xx.
    this.idempotencyTable.table.grant(apiRole, 'dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    // Reads the audit table and writes idempotency records, both under the audit key.
    grantTableKey(this.keys.audit, apiRole, 'write');
    apiRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.auditWriter.function.functionArn] }));
    this.scoringApi = new ScoringApi(this, 'Api', { handler: this.apiFunction.function, routes: API_ROUTES });

    // Only Promote writes the champion pointer: every other role that reaches the registry is denied its partition.
    const { Promote: promote, ...otherTasks } = this.training.tasks;
    guardChampionPointer(this.modelRegistry.table, promote.role, [...Object.values(otherTasks).map((t) => t.role), apiRole]);

    this.alarms = new AlarmTopic(this, 'Alarms');
    this.monitoring = new Monitoring(this, 'Monitoring', {
      topic: this.alarms,
      ingest: this.ingest,
      ingestFunction: this.ingestFunction.function,
      ingestFailuresAlarm: this.ingestFailuresAlarm,
      compaction: this.compaction,
      api: this.scoringApi.api,
      training: this.training,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.scoringApi.api.url, description: 'Scoring API base URL (IAM-signed requests)' });
    new CfnOutput(this, 'StreamName', { value: this.ingest.stream.streamName });
    new CfnOutput(this, 'DataBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.training.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.athena.workGroup.ref, description: 'Athena workgroup for lake queries' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName, description: 'CloudWatch dashboard of the on-call engineer' });
    // What the runbook (docs/operations.md) needs besides the names above.
    new CfnOutput(this, 'OnFailureQueueUrl', {
      value: this.ingest.onFailureQueue.queueUrl,
      description: 'Ingest batches given up on: `riskfn lake redrive --from`',
    });
    new CfnOutput(this, 'IngestLogGroup', { value: this.ingestFunction.logGroup.logGroupName });
    new CfnOutput(this, 'CompactionLogGroup', { value: this.compaction.function.logGroup.logGroupName });
    new CfnOutput(this, 'ApiLogGroup', { value: this.apiFunction.logGroup.logGroupName });
    new CfnOutput(this, 'LakeKeyArn', { value: this.keys.lake.keyArn, description: 'Readers of the lake need kms:Decrypt, writers kms:GenerateDataKey' });
    new CfnOutput(this, 'AuditKeyArn', { value: this.keys.audit.keyArn, description: 'Readers of the audit trail need kms:Decrypt' });
    new CfnOutput(this, 'LakeAnalystPolicyArn', {
      value: this.analystPolicy.policy.managedPolicyArn,
      description: 'Attach to analysts to query the lake in the Athena workgroup',
    });
  }
}
