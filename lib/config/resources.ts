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
  /** Source backup: every stream record's bytes, gzip, one object per (shard, sequence number). */
  rawPrefix: 'raw/',
  /** Parquet bars of one record for one (symbol, year), written by ingest and folded into curated/ by compaction. */
  stagingPrefix: 'staging/prices/',
  /** Compacted Parquet bars: one object per (year, symbol); the location of the Glue table `prices` (see docs/data-lake.md). */
  curatedPrefix: 'curated/prices/',
  /** Rejected and held parts, and corrupt lake objects, with a reason code and the original bytes. */
  quarantinePrefix: 'quarantine/',
  /** Local on-failure destination: records ingest gave up on, for `riskfn lake redrive` (in AWS: the SQS on-failure queue). */
  failedPrefix: 'failed/',
  /** Years a curated partition may have (bar dates before 1900 are refused at ingest); also the Glue partition projection range. */
  curatedYears: { min: 1900, max: 2100 },
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
