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

/**
 * DynamoDB audit trail: one item per API answer. Two global secondary indexes (projection ALL)
 * answer "what did we answer about this symbol / with this model version, between two dates"
 * with a Query; an item without a `symbol` (or `modelVersion`) attribute is simply not in that index.
 */
export const AUDIT_TABLE = {
  name: 'riskfn-audit',
  partitionKey: { name: 'requestId', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'bySymbol', partitionKey: { name: 'symbol', type: 'S' }, sortKey: { name: 'timestamp', type: 'S' } },
    { indexName: 'byModelVersion', partitionKey: { name: 'modelVersion', type: 'S' }, sortKey: { name: 'timestamp', type: 'S' } },
  ],
} as const;

/**
 * DynamoDB model registry: one item per trained model version, the champion pointer and the
 * promotion history. The pointer and the history have a partition of their own so that IAM can
 * keep every role but Promote's from writing them (`dynamodb:LeadingKeys` sees the partition key only).
 */
export const MODEL_REGISTRY_TABLE = {
  name: 'riskfn-model-registry',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  partitions: {
    /** The version items (sk `VERSION#<version>`). */
    versions: 'MODEL#risk-level',
    /** The champion pointer (sk `CHAMPION`) and the promotion history (sk `PROMOTION#<promotedAt>#<version>`). */
    champion: 'CHAMPION#risk-level',
  },
} as const;

/**
 * DynamoDB idempotency records of the API (Powertools Idempotency): one item per
 * `Idempotency-Key` + method + path, holding the stored answer until `expiration` (epoch
 * seconds; the table's TTL attribute, so DynamoDB deletes expired items; Powertools also checks
 * the expiry itself, so an emulator without TTL behaves the same).
 */
export const IDEMPOTENCY_TABLE = {
  name: 'riskfn-idempotency',
  partitionKey: { name: 'id', type: 'S' },
  ttlAttribute: 'expiration',
} as const;

/** Environment variables through which the stack (or the local harness) tells handlers where things are. */
export const ENV = {
  dataBucket: 'DATA_BUCKET',
  auditTable: 'AUDIT_TABLE',
  /** Name of the audit writer Lambda; when unset (locally, in tests) the API runs the same writer in-process. */
  auditWriterFunction: 'AUDIT_WRITER_FUNCTION',
  modelTable: 'MODEL_TABLE',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** Threads a TrainShard task trains its trees on (the calling thread and workers); unset: 1. */
  forestThreads: 'FOREST_THREADS',
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
