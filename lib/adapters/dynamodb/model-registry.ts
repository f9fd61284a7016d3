/**
 * The model registry in DynamoDB (table MODEL_TABLE, keys pk/sk from lib/config/resources.ts):
 * - one item per trained model version: pk `MODEL#risk-level`, sk `VERSION#<version>`;
 * - the champion pointer: pk `MODEL#risk-level`, sk `CHAMPION`.
 * Promotion is a conditional write on the pointer, so two workflow runs racing each other
 * cannot both replace the same champion, and a challenger evaluated against an older
 * champion is refused instead of silently overwriting a newer one.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../config/resources.ts';
import { dynamoDocumentClient } from '../clients.ts';
import { requireEnv } from '../env.ts';

const MODEL_PK = 'MODEL#risk-level';
const CHAMPION_SK = 'CHAMPION';

export interface ChampionPointer {
  version: string;
  artifactKey: string;
  /** The out-of-sample score (balanced accuracy) that won the promotion. */
  score: number;
  promotedAt: string;
  /** Step Functions execution (or local run) that promoted it. */
  executionId?: string;
}

/** candidate: trained, not yet gated; champion: serving; retired: was champion, replaced; rejected: lost the gate. */
export type ModelStatus = 'candidate' | 'champion' | 'retired' | 'rejected';

export interface ModelVersionRecord {
  version: string;
  artifactKey: string;
  status: ModelStatus;
  createdAt: string;
  /** Evaluation numbers as the workflow recorded them (free-form JSON). */
  evaluation?: Record<string, unknown>;
  reason?: string;
  /** When a champion was replaced, and by which version. */
  retiredAt?: string;
  replacedBy?: string;
}

/**
 * The registry calls the training workflow and the API make, as an interface so handlers can
 * be tested against an in-memory registry; {@link dynamoModelRegistry} is the DynamoDB one.
 */
export interface ModelRegistry {
  getChampion(): Promise<ChampionPointer | null>;
  promoteChampion(next: ChampionPointer, expectedVersion: string | null): Promise<void>;
  recordModelVersion(record: ModelVersionRecord): Promise<void>;
  retireModelVersion(version: string, replacedBy: string, at: string): Promise<void>;
}

/** Raised when the champion changed between evaluation and promotion. */
export class ChampionChangedError extends Error {
  override name = 'ChampionChangedError';
  constructor(
    readonly expectedVersion: string | null,
    options?: { cause?: unknown },
  ) {
    super(`champion is no longer ${expectedVersion ?? '(none)'}; promotion refused`, options);
  }
}

const tableName = (): string => requireEnv(ENV.modelTable);

export async function getChampion(): Promise<ChampionPointer | null> {
  const out = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: MODEL_PK, sk: CHAMPION_SK }, ConsistentRead: true }));
  if (!out.Item) return null;
  const { version, artifactKey, score, promotedAt, executionId } = out.Item;
  return { version, artifactKey, score, promotedAt, ...(executionId === undefined ? {} : { executionId }) };
}

/**
 * Makes `next` the champion if the current champion is still `expectedVersion`
 * (`null` = there must be no champion yet).
 */
export async function promoteChampion(next: ChampionPointer, expectedVersion: string | null): Promise<void> {
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: MODEL_PK, sk: CHAMPION_SK, ...next },
        ...(expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#v = :expected',
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            }),
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ChampionChangedError(expectedVersion, { cause: err });
    throw err;
  }
}

export async function recordModelVersion(record: ModelVersionRecord): Promise<void> {
  await dynamoDocumentClient().send(new PutCommand({ TableName: tableName(), Item: { pk: MODEL_PK, sk: `VERSION#${record.version}`, ...record } }));
}

export async function getModelVersion(version: string): Promise<ModelVersionRecord | null> {
  const out = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: { pk: MODEL_PK, sk: `VERSION#${version}` }, ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest as ModelVersionRecord;
}

/**
 * Marks a former champion's version record as retired (an update, so its evaluation history
 * stays). A version with no record (e.g. registered by hand) is left alone.
 */
export async function retireModelVersion(version: string, replacedBy: string, at: string): Promise<void> {
  try {
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: MODEL_PK, sk: `VERSION#${version}` },
        UpdateExpression: 'SET #s = :retired, retiredAt = :at, replacedBy = :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':retired': 'retired', ':at': at, ':by': replacedBy },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return;
    throw err;
  }
}

/** The registry in DynamoDB (table from MODEL_TABLE, resolved at call time). */
export function dynamoModelRegistry(): ModelRegistry {
  return { getChampion, promoteChampion, recordModelVersion, retireModelVersion };
}
