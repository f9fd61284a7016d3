/**
 * Least-privilege S3 grants scoped to one key prefix of the data lake. Unlike `bucket.grantRead`
 * (which grants `s3:GetObject*`, `s3:List*`… on the whole bucket), these grant the exact actions on
 * `<bucket>/<prefix>*` only, and `s3:ListBucket` only for that prefix.
 */
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

const wildcardReason = (prefix: string): string =>
  `Object keys under ${prefix} are created at run time (partitioned by symbol/date or model version), ` +
  `so the grant is scoped to the prefix with a trailing wildcard, never to the whole bucket.`;

/** Lets `role` list and read objects under `prefix` (e.g. `curated/prices/`). */
export function grantPrefixRead(bucket: IBucket, role: IRole, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    }),
  );
  acknowledgeWildcardResources(role, [objects], wildcardReason(prefix));
}

/** Lets `role` create or overwrite objects under `prefix` (no delete: versioning keeps history anyway). */
export function grantPrefixWrite(bucket: IBucket, role: IRole, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
  acknowledgeWildcardResources(role, [objects], wildcardReason(prefix));
}

/**
 * Lets `role` delete objects under `prefix`: only for staging objects, which compaction removes once
 * it has folded them into a committed curated object (versioning keeps the deleted bytes 30 days).
 */
export function grantPrefixDelete(bucket: IBucket, role: IRole, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects] }));
  acknowledgeWildcardResources(role, [objects], wildcardReason(prefix));
}
