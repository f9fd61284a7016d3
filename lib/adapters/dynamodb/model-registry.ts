/**
 * The model registry in DynamoDB (table MODEL_TABLE, keys pk/sk and partitions from
 * lib/config/resources.ts), in two partitions:
 * - pk `MODEL#risk-level`: one item per trained model version, sk `VERSION#<version>` (versions
 *   start with their training time, so a reverse Query lists the newest first);
 * - pk `CHAMPION#risk-level`: the champion pointer, sk `CHAMPION`, and one item per promotion,
 *   sk `PROMOTION#<promotedAt>#<version>` (the promotion history, newest first by a reverse
 *   Query; items are only ever added). Only the Promote task's role may write this partition
 *   (an IAM `dynamodb:LeadingKeys` condition on the other roles).
 * Promotion is a conditional write on the pointer, so two workflow runs racing each other
 * cannot both replace the same champion, and a challenger evaluated against an older
 * champion is refused instead of silently overwriting a newer one.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, MODEL_REGISTRY_TABLE } from '../../config/resources.ts';
import type { ModelStatus } from '../../schemas/model-registry-entry.ts';
import { dynamoDocumentClient } from '../clients.ts';
import { requireEnv } from '../env.ts';

const MODEL_PK = MODEL_REGISTRY_TABLE.partitions.versions;
const CHAMPION_PK = MODEL_REGISTRY_TABLE.partitions.champion;
const CHAMPION_SK = 'CHAMPION';
const VERSION_PREFIX = 'VERSION#';
const PROMOTION_PREFIX = 'PROMOTION#';

export interface ChampionPointer {
  version: string;
  artifactKey: string;
  /** The out-of-sample score (balanced accuracy) that won the promotion. */
  score: number;
  promotedAt: string;
  /** Step Functions execution (or local run) that promoted it. */
  executionId?: string;
}

/** Who approved a version for promotion, and when (ISO-8601 UTC). */
export interface ModelApproval {
  approver: string;
  at: string;
}

export interface ModelVersionRecord {
  version: string;
  artifactKey: string;
  status: ModelStatus;
  /** When the version was first recorded (ISO-8601 UTC); promotion does not change it. */
  createdAt: string;
  /** Evaluation numbers as the workflow recorded them (free-form JSON). */
  evaluation?: Record<string, unknown>;
  reason?: string;
  /** When the version became champion (ISO-8601 UTC). */
  promotedAt?: string;
  /** When a champion was replaced, and by which version. */
  retiredAt?: string;
  replacedBy?: string;
  approval?: ModelApproval;
  /**
   * The Step Functions execution that trained the version (its ARN, `$$.Execution.Id`); absent
   * when the runner had none (the local runner) and on versions recorded before it was kept.
   */
  executionArn?: string;
  /**
   * Where the training run recorded the lake objects its dataset was built from
   * (`datasets/<runId>/lake-objects.json`, lib/schemas/training-lake-objects.ts); absent on
   * versions trained before they were recorded.
   */
  lakeObjectsKey?: string;
  /**
   * The Step Functions task token of the workflow execution waiting for this version's approval.
   * A capability to resume that execution: the registry keeps it for `riskfn models approve`
   * and removes it on promotion; the API never serves it.
   */
  taskToken?: string;
}

/** One promotion, as recorded with the champion pointer's write. */
export interface PromotionRecord {
  version: string;
  /** The champion it replaced, or null for the first champion. */
  previousVersion: string | null;
  promotedAt: string;
  /** The out-of-sample score (balanced accuracy) that won the promotion. */
  score: number;
  executionId?: string;
}

/** One page of model versions, newest first; `nextCursor` is null on the last page. */
export interface ModelVersionPage {
  items: ModelVersionRecord[];
  nextCursor: string | null;
}

/** What {@link ModelRegistry.listModelVersions} takes: a page size, the cursor of the previous page, an optional status filter. */
export interface ListModelVersionsOptions {
  limit: number;
  cursor?: string | null;
  status?: ModelStatus;
}

/** The fields a promotion writes on the version item (the rest of the item is kept). */
export interface ChampionVersionUpdate {
  artifactKey: string;
  promotedAt: string;
  evaluation?: Record<string, unknown>;
}

/**
 * The registry calls the training workflow and the API make, as an interface so handlers can
 * be tested against an in-memory registry; {@link dynamoModelRegistry} is the DynamoDB one.
 */
export interface ModelRegistry {
  getChampion(): Promise<ChampionPointer | null>;
  /**
   * Replaces the champion pointer if it still names `expectedVersion`, and adds the promotion to
   * the history; resolves to the pointer stored (the earlier attempt's, when a retry of the same
   * execution finds its own promotion already made: see {@link promoteChampion}).
   */
  promoteChampion(next: ChampionPointer, expectedVersion: string | null): Promise<ChampionPointer>;
  /** Writes a whole version item (replacing any earlier one). */
  recordModelVersion(record: ModelVersionRecord): Promise<void>;
  /** Marks a version champion, keeping what the item already holds (createdAt, approval); drops its task token. */
  markChampionVersion(version: string, update: ChampionVersionUpdate): Promise<void>;
  retireModelVersion(version: string, replacedBy: string, at: string): Promise<void>;
  getModelVersion(version: string): Promise<ModelVersionRecord | null>;
  /** Versions newest first. Throws {@link InvalidCursorError} for a cursor it did not issue. */
  listModelVersions(options: ListModelVersionsOptions): Promise<ModelVersionPage>;
  /** Promotions newest first; with `version`, only those that promoted or replaced it. */
  promotionHistory(options: { limit: number; version?: string }): Promise<PromotionRecord[]>;
  /**
   * Stores the task token of the workflow waiting for approval and sets the status to
   * awaiting-approval; a version already approved keeps its status, and its approval is returned
   * (null otherwise). Throws {@link ModelVersionNotFoundError}.
   */
  recordApprovalRequest(version: string, taskToken: string): Promise<ModelApproval | null>;
  /**
   * Approves a candidate or awaiting-approval version; returns the updated item (with the task
   * token to send to the waiting workflow, if any). Throws {@link ModelVersionNotFoundError} or
   * {@link ModelNotApprovableError}.
   */
  approveModelVersion(version: string, approval: ModelApproval): Promise<ModelVersionRecord>;
}

/** What the API may do with the registry: read it (its role has no write permission on the table). */
export type ModelRegistryReader = Pick<ModelRegistry, 'getChampion' | 'getModelVersion' | 'listModelVersions' | 'promotionHistory'>;

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

/** No version item with this version. */
export class ModelVersionNotFoundError extends Error {
  override name = 'ModelVersionNotFoundError';
  constructor(readonly version: string) {
    super(`model version ${version} is not in the registry`);
  }
}

/** Approval refused: the version is past the point where approval means anything (champion, rejected, …). */
export class ModelNotApprovableError extends Error {
  override name = 'ModelNotApprovableError';
  constructor(
    readonly version: string,
    readonly status: ModelStatus,
  ) {
    super(`model version ${version} is ${status}; only a candidate or awaiting-approval version can be approved`);
  }
}

/** A pagination cursor the registry did not issue (or from another listing). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super('cursor is not one this listing issued');
  }
}

const tableName = (): string => requireEnv(ENV.modelTable);
const versionKey = (version: string) => ({ pk: MODEL_PK, sk: `${VERSION_PREFIX}${version}` });

export async function getChampion(): Promise<ChampionPointer | null> {
  const out = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: CHAMPION_PK, sk: CHAMPION_SK }, ConsistentRead: true }));
  if (!out.Item) return null;
  const { version, artifactKey, score, promotedAt, executionId } = out.Item;
  return { version, artifactKey, score, promotedAt, ...(executionId === undefined ? {} : { executionId }) };
}

/**
 * Makes `next` the champion if the current champion is still `expectedVersion`
 * (`null` = there must be no champion yet), then records the promotion in the history.
 *
 * Safe to retry: when the condition fails because the pointer already names `next.version`
 * written by the same execution (`executionId`), an earlier attempt wrote it and failed after;
 * the promotion carries on from that stored pointer (its `promotedAt`) instead of failing a
 * promotion that happened. Any other pointer is a {@link ChampionChangedError}.
 */
export async function promoteChampion(next: ChampionPointer, expectedVersion: string | null): Promise<ChampionPointer> {
  let stored = next;
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: CHAMPION_PK, sk: CHAMPION_SK, ...next },
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
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const current = await getChampion();
    if (!isSamePromotion(current, next)) throw new ChampionChangedError(expectedVersion, { cause: err });
    stored = current!;
  }
  // After the pointer: a refused promotion must leave no history. The key is unique per
  // promotion, so a retried write puts the same item again.
  const entry: PromotionRecord = { version: stored.version, previousVersion: expectedVersion, promotedAt: stored.promotedAt, score: stored.score };
  if (stored.executionId !== undefined) entry.executionId = stored.executionId;
  await dynamoDocumentClient().send(
    new PutCommand({ TableName: tableName(), Item: { pk: CHAMPION_PK, sk: `${PROMOTION_PREFIX}${stored.promotedAt}#${stored.version}`, ...entry } }),
  );
  return stored;
}

/** The stored pointer is this very promotion, written by an earlier attempt of the same execution. */
export function isSamePromotion(current: ChampionPointer | null, next: ChampionPointer): boolean {
  return current !== null && next.executionId !== undefined && current.version === next.version && current.executionId === next.executionId;
}

export async function recordModelVersion(record: ModelVersionRecord): Promise<void> {
  await dynamoDocumentClient().send(new PutCommand({ TableName: tableName(), Item: { ...versionKey(record.version), ...record } }));
}

const withoutKeys = (item: Record<string, unknown>): Record<string, unknown> => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

export async function getModelVersion(version: string): Promise<ModelVersionRecord | null> {
  const out = await dynamoDocumentClient().send(new GetCommand({ TableName: tableName(), Key: versionKey(version), ConsistentRead: true }));
  return out.Item ? (withoutKeys(out.Item) as unknown as ModelVersionRecord) : null;
}

/**
 * An update, not a put, so the item keeps its createdAt and approval; creates the item when the
 * version was never recorded (promoted by hand).
 */
export async function markChampionVersion(version: string, update: ChampionVersionUpdate): Promise<void> {
  await dynamoDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: versionKey(version),
      UpdateExpression: `SET #v = :v, #s = :champion, artifactKey = :k, promotedAt = :at, createdAt = if_not_exists(createdAt, :at)${
        update.evaluation === undefined ? '' : ', evaluation = :e'
      } REMOVE taskToken`,
      ExpressionAttributeNames: { '#v': 'version', '#s': 'status' },
      ExpressionAttributeValues: {
        ':v': version,
        ':champion': 'champion',
        ':k': update.artifactKey,
        ':at': update.promotedAt,
        ...(update.evaluation === undefined ? {} : { ':e': update.evaluation }),
      },
    }),
  );
}

/** Cursors are the last listed version, base64url-encoded (opaque to callers, checked on the way back). */
export const encodeVersionCursor = (version: string): string => Buffer.from(`v1:${version}`, 'utf8').toString('base64url');

export function decodeVersionCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith('v1:') || text.length === 3) throw new InvalidCursorError(cursor);
  return text.slice(3);
}

/** Reverse Queries stop after this many reads for one page, so a rare status filter cannot make a call unbounded. */
const MAX_QUERY_PAGES = 20;

/**
 * Items of registry partition `pk` whose sort key starts with `prefix`, newest first, read until
 * `want` items passed `filter` (or the read budget ran out or the partition ended); returns them
 * with the key of the last item read (null when the partition ended).
 */
async function queryNewestFirst(
  pk: string,
  prefix: string,
  want: number,
  options: { startKey?: Record<string, unknown>; filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> } },
): Promise<{ items: Record<string, unknown>[]; lastKey: Record<string, unknown> | undefined }> {
  const { filter } = options;
  const items: Record<string, unknown>[] = [];
  let lastKey = options.startKey;
  for (let page = 0; page < MAX_QUERY_PAGES && items.length < want; page++) {
    const out = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ScanIndexForward: false,
        Limit: want - items.length,
        ExclusiveStartKey: lastKey,
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
      }),
    );
    for (const item of out.Items ?? []) items.push(withoutKeys(item));
    lastKey = out.LastEvaluatedKey;
    if (!lastKey) break;
  }
  return { items, lastKey };
}

export async function listModelVersions(options: ListModelVersionsOptions): Promise<ModelVersionPage> {
  const { limit, status } = options;
  const start = options.cursor ? decodeVersionCursor(options.cursor) : null;
  // One more than the page: its presence says whether there is a next page.
  const { items: read, lastKey } = await queryNewestFirst(MODEL_PK, VERSION_PREFIX, limit + 1, {
    startKey: start === null ? undefined : versionKey(start),
    filter: status === undefined ? undefined : { expression: '#s = :status', names: { '#s': 'status' }, values: { ':status': status } },
  });
  const items = read as unknown as ModelVersionRecord[];
  if (items.length > limit) return { items: items.slice(0, limit), nextCursor: encodeVersionCursor(items[limit - 1].version) };
  // The read budget ran out before the page filled (a rare status): go on after the last item read.
  const lastRead = lastKey?.sk;
  return { items, nextCursor: typeof lastRead === 'string' ? encodeVersionCursor(lastRead.slice(VERSION_PREFIX.length)) : null };
}

export async function promotionHistory(options: { limit: number; version?: string }): Promise<PromotionRecord[]> {
  const { limit, version } = options;
  const { items } = await queryNewestFirst(CHAMPION_PK, PROMOTION_PREFIX, limit, {
    filter:
      version === undefined
        ? undefined
        : { expression: '#v = :version OR previousVersion = :version', names: { '#v': 'version' }, values: { ':version': version } },
  });
  return (items as unknown as PromotionRecord[]).slice(0, limit);
}

/**
 * Stores the waiting execution's task token on the version; sets the status to awaiting-approval,
 * unless the version was approved ahead of the request: then the status stays approved and that
 * approval is returned (the caller can go on at once), else null.
 */
export async function recordApprovalRequest(version: string, taskToken: string): Promise<ModelApproval | null> {
  const update = (approved: boolean) =>
    dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: versionKey(version),
        UpdateExpression: approved ? 'SET taskToken = :token' : 'SET #s = :awaiting, taskToken = :token',
        ConditionExpression: approved ? 'attribute_exists(pk) AND #s = :approved' : 'attribute_exists(pk) AND #s <> :approved',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: approved
          ? { ':token': taskToken, ':approved': 'approved' }
          : { ':awaiting': 'awaiting-approval', ':token': taskToken, ':approved': 'approved' },
        ReturnValues: 'ALL_NEW',
      }),
    );
  try {
    await update(false);
    return null;
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
  try {
    const out = await update(true);
    const approval = out.Attributes?.approval as ModelApproval | undefined;
    return approval ? { approver: approval.approver, at: approval.at } : null;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ModelVersionNotFoundError(version);
    throw err;
  }
}

export async function approveModelVersion(version: string, approval: ModelApproval): Promise<ModelVersionRecord> {
  try {
    const out = await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: versionKey(version),
        UpdateExpression: 'SET #s = :approved, approval = :approval',
        ConditionExpression: 'attribute_exists(pk) AND (#s = :awaiting OR #s = :candidate)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':approved': 'approved',
          ':approval': { approver: approval.approver, at: approval.at },
          ':awaiting': 'awaiting-approval',
          ':candidate': 'candidate',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys(out.Attributes ?? {}) as unknown as ModelVersionRecord;
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    // Which condition failed: read the item to say so.
    const current = await getModelVersion(version);
    if (!current) throw new ModelVersionNotFoundError(version);
    throw new ModelNotApprovableError(version, current.status);
  }
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
        Key: versionKey(version),
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
  return {
    getChampion,
    promoteChampion,
    recordModelVersion,
    markChampionVersion,
    retireModelVersion,
    getModelVersion,
    listModelVersions,
    promotionHistory,
    recordApprovalRequest,
    approveModelVersion,
  };
}
