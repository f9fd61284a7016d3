/**
 * Names and key schemas of every stateful resource, read by both the CDK stack
 * (lib/infra) and the local-cloud harness (lib/local), so the emulators are created
 * exactly as the stack declares them. Pure data: no AWS or CDK imports.
 */

/** Kinesis stream carrying market-data records. */
export const MARKET_DATA_STREAM = {
  name: 'riskfn-market-data',
  shardCount: 1,
  /** Hours a record stays on the stream: 7 days, so a batch given up on can still be redriven after a weekend (docs/infra.md). */
  retentionHours: 168,
} as const;

/** The S3 data lake. In AWS the bucket name is generated; locally this fixed name is used. */
export const DATA_LAKE_BUCKET = {
  localName: 'riskfn-data-lake',
  /** Curated, validated daily bars (Hive-style partitions, see docs/data-lake.md). */
  curatedPrefix: 'curated/prices/',
  /** Records that failed validation, with a reason code and the original payload. */
  quarantinePrefix: 'quarantine/',
  /** Training sets built by the workflow. */
  datasetsPrefix: 'datasets/',
  /** Model artifacts (one folder per model version). */
  modelsPrefix: 'models/',
} as const;

/** DynamoDB audit trail: one item per API answer. */
export const AUDIT_TABLE = {
  name: 'riskfn-audit',
  partitionKey: { name: 'requestId', type: 'S' },
} as const;

/** DynamoDB model registry: the champion pointer and one item per trained model version. */
export const MODEL_REGISTRY_TABLE = {
  name: 'riskfn-model-registry',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
} as const;

/** Environment variables through which the stack (or the local harness) tells handlers where things are. */
export const ENV = {
  dataBucket: 'DATA_BUCKET',
  auditTable: 'AUDIT_TABLE',
  modelTable: 'MODEL_TABLE',
} as const;

/** Step Functions state names; the local runner binds handlers to these. */
export const TRAINING_STATES = {
  buildDataset: 'BuildDataset',
  train: 'Train',
  evaluate: 'Evaluate',
  gate: 'IsChallengerBetter',
  promote: 'Promote',
  reject: 'Reject',
  failed: 'TrainingFailed',
} as const;

/** Logical name of the training state machine in the stack. */
export const TRAINING_STATE_MACHINE = { name: 'riskfn-training' } as const;
