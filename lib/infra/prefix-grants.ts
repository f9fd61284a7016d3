/**
 * Least-privilege S3 grants scoped to one key prefix of the data lake. Unlike `bucket.grantRead`
 * (which grants `s3:GetObject*`, `s3:List*`… on the whole bucket), these grant the exact actions on
 * `<bucket>/<prefix>*` only, and `s3:ListBucket` only for that prefix. The target is a function's
 * role or a managed policy (the analysts' policy). When the bucket is encrypted with a KMS key, each
 * grant carries the key action its S3 action needs, on that key only: `kms:Decrypt` to read an
 * object, `kms:GenerateDataKey` to write one (single-part PUTs only; nothing uploads in parts).
 */
import { type IRole, type ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { DATA_LAKE_BUCKET } from '../config/resources.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

/** Who receives a grant: a role, or a managed policy that people attach to their own principals. */
export type GrantTarget = IRole | ManagedPolicy;

const wildcardReason = (prefix: string): string =>
  `Object keys under ${prefix} are created at run time (partitioned by shard and sequence number, symbol and year, ` +
  `reason and date, run id or model version), so the grant is scoped to the prefix with a trailing wildcard, never to the whole bucket.`;

function add(target: GrantTarget, statement: PolicyStatement): void {
  if ('addToPrincipalPolicy' in target) target.addToPrincipalPolicy(statement);
  else target.addStatements(statement);
}

/** The KMS actions S3 needs from the caller for these object actions on an SSE-KMS bucket. */
const KEY_ACTIONS: Record<string, string> = { 's3:GetObject': 'kms:Decrypt', 's3:PutObject': 'kms:GenerateDataKey' };

/** Grants exactly `actions` on the objects under `prefix` (acknowledging the prefix wildcard for cdk-nag), and their key actions. */
export function grantOnObjects(bucket: IBucket, target: GrantTarget, prefix: string, actions: string[]): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  add(target, new PolicyStatement({ actions, resources: [objects] }));
  acknowledgeWildcardResources(target, [objects], wildcardReason(prefix));
  const keyActions = [...new Set(actions.flatMap((a) => KEY_ACTIONS[a] ?? []))];
  if (bucket.encryptionKey && keyActions.length > 0) add(target, new PolicyStatement({ actions: keyActions, resources: [bucket.encryptionKey.keyArn] }));
}

/** Lets `target` list and read objects under `prefix` (e.g. `curated/prices/`). */
export function grantPrefixRead(bucket: IBucket, target: GrantTarget, prefix: string): void {
  grantOnObjects(bucket, target, prefix, ['s3:GetObject']);
  add(
    target,
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
}

/**
 * Lets `target` read the bars of the lake the way lib/adapters/s3/lake-reader.ts and the compactor do:
 * GET compacted (`curated/prices/`) and staging (`staging/prices/`) objects, and list the bucket's key
 * names. The list grant has no prefix condition on purpose: S3 answers a GET of a missing key with 404
 * only to a principal allowed `s3:ListBucket` on the bucket, and with 403 AccessDenied to one allowed
 * only under a prefix condition (a GET request carries no `s3:prefix`). The reader and the compactor
 * treat 404 as an answer (no compacted object for that year; a staging object folded meanwhile), so a
 * 403 would fail every read of a symbol that lacks a year. Listing reveals key names, never contents.
 */
export function grantLakeRead(bucket: IBucket, target: GrantTarget): void {
  const { curatedPrefix, stagingPrefix } = DATA_LAKE_BUCKET;
  grantOnObjects(bucket, target, curatedPrefix, ['s3:GetObject']);
  grantOnObjects(bucket, target, stagingPrefix, ['s3:GetObject']);
  add(target, new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
}

/** Lets `target` create or overwrite objects under `prefix` (no delete: versioning keeps history anyway). */
export function grantPrefixWrite(bucket: IBucket, target: GrantTarget, prefix: string): void {
  grantOnObjects(bucket, target, prefix, ['s3:PutObject']);
}

/**
 * Lets `target` delete objects under `prefix`: only for staging objects, which compaction removes once
 * it has folded them into a committed curated object (versioning keeps the deleted bytes 30 days).
 */
export function grantPrefixDelete(bucket: IBucket, target: GrantTarget, prefix: string): void {
  grantOnObjects(bucket, target, prefix, ['s3:DeleteObject']);
}
