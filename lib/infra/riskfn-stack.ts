/**
 * The riskfn stack: Kinesis ingest → S3 data lake (staged, then compacted on a schedule), the lake's
 * Glue tables and Athena workgroup, DynamoDB audit table and model registry, the scheduled training
 * workflow, the IAM-authorised scoring API, and alarms to one SNS topic. Names and key schemas come
 * from lib/config/resources.ts, which the local harness reads too.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, MODEL_REGISTRY_TABLE } from '../config/resources.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { AthenaWorkgroup } from './athena-workgroup.ts';
import { DataLake } from './data-lake.ts';
import { METRICS_NAMESPACE } from './defaults/lambda-defaults.ts';
import { KinesisStreamsToLambda } from './kinesis-streams-to-lambda.ts';
import { LakeAnalystPolicy } from './lake-analyst-policy.ts';
import { LakeCatalog } from './lake-catalog.ts';
import { LakeCompaction } from './lake-compaction.ts';
import { grantLakeRead, grantPrefixRead, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';
import { ScoringApi } from './scoring-api.ts';
import { SecureTable } from './secure-table.ts';
import { TrainingWorkflow } from './training-workflow.ts';

/** Lambda entry files relative to the repository root. */
const FUNCTION_ENTRIES = {
  ingest: 'functions/ingest.ts',
  api: 'functions/api.ts',
} as const;

/** Powertools service name of the ingest function: its metrics carry it as the `service` dimension. */
const INGEST_SERVICE = 'riskfn-ingest';

export class RiskfnStack extends Stack {
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
  readonly apiFunction: RiskfnFunction;
  readonly scoringApi: ScoringApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'riskfn: serverless investment-risk scoring (Kinesis ingest, S3 lake, Step Functions training, REST API)',
      ...props,
    });
    const { rawPrefix, stagingPrefix, quarantinePrefix, modelsPrefix } = DATA_LAKE_BUCKET;

    this.dataLake = new DataLake(this, 'DataLake');
    const bucket = this.dataLake.bucket;
    this.auditTable = new SecureTable(this, 'AuditTable', { config: AUDIT_TABLE });
    this.modelRegistry = new SecureTable(this, 'ModelRegistry', { config: MODEL_REGISTRY_TABLE });

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

    // Scoring API: reads the lake's bars and the champion model, writes one audit item per answer.
    this.apiFunction = new RiskfnFunction(this, 'ScoringApi', {
      entry: FUNCTION_ENTRIES.api,
      serviceName: 'riskfn-api',
      description: 'Answers /v1 risk questions and writes each answer to the audit table',
      environment: {
        [ENV.dataBucket]: bucket.bucketName,
        [ENV.auditTable]: this.auditTable.table.tableName,
        [ENV.modelTable]: this.modelRegistry.table.tableName,
      },
    });
    grantLakeRead(bucket, this.apiFunction.role);
    grantPrefixRead(bucket, this.apiFunction.role, modelsPrefix);
    // Reads the champion pointer (GetItem); the audit trail is append-only for it (PutItem).
    this.modelRegistry.table.grant(this.apiFunction.role, 'dynamodb:GetItem');
    this.auditTable.table.grant(this.apiFunction.role, 'dynamodb:PutItem');
    this.scoringApi = new ScoringApi(this, 'Api', { handler: this.apiFunction.function });

    this.alarms = new AlarmTopic(this, 'Alarms');
    this.alarms.notify(this.ingest.iteratorAgeAlarm, this.ingest.onFailureAlarm, this.ingestFailuresAlarm, ...this.compaction.alarms);

    new CfnOutput(this, 'ApiUrl', { value: this.scoringApi.api.url, description: 'Scoring API base URL (IAM-signed requests)' });
    new CfnOutput(this, 'StreamName', { value: this.ingest.stream.streamName });
    new CfnOutput(this, 'DataBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.training.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.athena.workGroup.ref, description: 'Athena workgroup for lake queries' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'LakeAnalystPolicyArn', {
      value: this.analystPolicy.policy.managedPolicyArn,
      description: 'Attach to analysts to query the lake in the Athena workgroup',
    });
  }
}
