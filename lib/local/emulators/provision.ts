/**
 * Creates the stream, bucket and tables on freshly started emulators, exactly as
 * lib/config/resources.ts declares them (the CDK stack reads the same config), and waits
 * with the SDK's own waiters until each one is usable.
 */

import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, type KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, type S3Client, waitUntilBucketExists } from '@aws-sdk/client-s3';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, IDEMPOTENCY_TABLE, MARKET_DATA_STREAM, MODEL_REGISTRY_TABLE } from '../../config/resources.ts';

/** Emulators flip resources to ACTIVE within milliseconds; poll fast instead of the SDK's 5-20 s defaults. */
const FAST_WAIT = { minDelay: 0.05, maxDelay: 0.25, maxWaitTime: 20 } as const;

interface KeyAttr {
  name: string;
  type: 'S' | 'N' | 'B';
}
interface KeySpec {
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
}
interface TableSpec extends KeySpec {
  name: string;
  globalSecondaryIndexes?: readonly (KeySpec & { indexName: string })[];
}

const keyAttrs = (spec: KeySpec): (KeyAttr & { role: 'HASH' | 'RANGE' })[] => [
  { ...spec.partitionKey, role: 'HASH' },
  ...(spec.sortKey ? [{ ...spec.sortKey, role: 'RANGE' as const }] : []),
];
const keySchema = (spec: KeySpec): KeySchemaElement[] => keyAttrs(spec).map((k) => ({ AttributeName: k.name, KeyType: k.role }));

/** Key schema, attribute definitions (each attribute once) and the global secondary indexes (projection ALL, as the stack creates them). */
function tableKeySchema(spec: TableSpec): {
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
} {
  const gsis = spec.globalSecondaryIndexes ?? [];
  const attrs = new Map([spec, ...gsis].flatMap(keyAttrs).map((k) => [k.name, k.type]));
  return {
    KeySchema: keySchema(spec),
    AttributeDefinitions: [...attrs].map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    ...(gsis.length > 0
      ? { GlobalSecondaryIndexes: gsis.map((g) => ({ IndexName: g.indexName, KeySchema: keySchema(g), Projection: { ProjectionType: 'ALL' } })) }
      : {}),
  };
}

export interface ProvisionClients {
  kinesis: KinesisClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
}

export async function provisionResources(c: ProvisionClients): Promise<void> {
  // dynalite has no UpdateTimeToLive: the idempotency table's TTL is not set locally (Powertools checks expiry itself).
  const tables: TableSpec[] = [AUDIT_TABLE, MODEL_REGISTRY_TABLE, IDEMPOTENCY_TABLE];
  await Promise.all([
    (async () => {
      await c.kinesis.send(new CreateStreamCommand({ StreamName: MARKET_DATA_STREAM.name, ShardCount: MARKET_DATA_STREAM.shardCount }));
      await waitUntilStreamExists({ client: c.kinesis, ...FAST_WAIT }, { StreamName: MARKET_DATA_STREAM.name });
    })(),
    (async () => {
      await c.s3.send(new CreateBucketCommand({ Bucket: DATA_LAKE_BUCKET.localName }));
      await waitUntilBucketExists({ client: c.s3, ...FAST_WAIT }, { Bucket: DATA_LAKE_BUCKET.localName });
    })(),
    ...tables.map(async (t) => {
      await c.dynamodb.send(new CreateTableCommand({ TableName: t.name, BillingMode: 'PAY_PER_REQUEST', ...tableKeySchema(t) }));
      await waitUntilTableExists({ client: c.dynamodb, ...FAST_WAIT }, { TableName: t.name });
    }),
  ]);
}
