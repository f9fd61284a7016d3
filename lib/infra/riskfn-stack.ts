/**
 * The riskfn stack: Kinesis ingest → S3 data lake, DynamoDB audit table and model registry, the
 * scheduled training workflow and the IAM-authorised scoring API. Names and key schemas come from
 * lib/config/resources.ts, which the local harness reads too.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, MODEL_REGISTRY_TABLE } from '../config/resources.ts';
import { DataLake } from './data-lake.ts';
import { KinesisStreamsToLambda } from './kinesis-streams-to-lambda.ts';
import { grantPrefixRead, grantPrefixWrite } from './prefix-grants.ts';
import { RiskfnFunction } from './riskfn-function.ts';
import { ScoringApi } from './scoring-api.ts';
import { SecureTable } from './secure-table.ts';
import { TrainingWorkflow } from './training-workflow.ts';

/** Lambda entry files relative to the repository root. */
const FUNCTION_ENTRIES = {
  ingest: 'functions/ingest.ts',
  api: 'functions/api.ts',
} as const;

export class RiskfnStack extends Stack {
  readonly dataLake: DataLake;
  readonly auditTable: SecureTable;
  readonly modelRegistry: SecureTable;
  readonly ingestFunction: RiskfnFunction;
  readonly ingest: KinesisStreamsToLambda;
  readonly training: TrainingWorkflow;
  readonly apiFunction: RiskfnFunction;
  readonly scoringApi: ScoringApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'riskfn: serverless investment-risk scoring (Kinesis ingest, S3 lake, Step Functions training, REST API)',
      ...props,
    });
    const { curatedPrefix, quarantinePrefix, modelsPrefix } = DATA_LAKE_BUCKET;

    this.dataLake = new DataLake(this, 'DataLake');
    const bucket = this.dataLake.bucket;
    this.auditTable = new SecureTable(this, 'AuditTable', { config: AUDIT_TABLE });
    this.modelRegistry = new SecureTable(this, 'ModelRegistry', { config: MODEL_REGISTRY_TABLE });

    // Ingest: Kinesis → validate → curated/ or quarantine/.
    this.ingestFunction = new RiskfnFunction(this, 'Ingest', {
      entry: FUNCTION_ENTRIES.ingest,
      serviceName: 'riskfn-ingest',
      description: 'Validates market-data records from Kinesis into the curated or quarantine prefix',
      environment: { [ENV.dataBucket]: bucket.bucketName },
    });
    grantPrefixWrite(bucket, this.ingestFunction.role, curatedPrefix);
    grantPrefixWrite(bucket, this.ingestFunction.role, quarantinePrefix);
    this.ingest = new KinesisStreamsToLambda(this, 'MarketData', { function: this.ingestFunction.function });

    // Training: scheduled Step Functions workflow.
    this.training = new TrainingWorkflow(this, 'Training', { bucket, registry: this.modelRegistry.table });

    // Scoring API: reads curated bars and the champion model, writes one audit item per answer.
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
    grantPrefixRead(bucket, this.apiFunction.role, curatedPrefix);
    grantPrefixRead(bucket, this.apiFunction.role, modelsPrefix);
    // Reads the champion pointer (GetItem); the audit trail is append-only for it (PutItem).
    this.modelRegistry.table.grant(this.apiFunction.role, 'dynamodb:GetItem');
    this.auditTable.table.grant(this.apiFunction.role, 'dynamodb:PutItem');
    this.scoringApi = new ScoringApi(this, 'Api', { handler: this.apiFunction.function });

    new CfnOutput(this, 'ApiUrl', { value: this.scoringApi.api.url, description: 'Scoring API base URL (IAM-signed requests)' });
    new CfnOutput(this, 'StreamName', { value: this.ingest.stream.streamName });
    new CfnOutput(this, 'DataBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.training.stateMachine.stateMachineArn });
  }
}
