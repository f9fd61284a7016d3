/**
 * The managed policy an administrator attaches to analysts' roles (or an IAM Identity Center
 * permission set) so they can query the lake in the `riskfn-analytics` workgroup and nothing more:
 * run and read queries in that one workgroup, read the two Glue tables' definitions, read the objects
 * under the tables' locations, and read and write query results. Athena reads the lake and writes the
 * results with the caller's credentials, which is why the S3 grants are here. The stack attaches it
 * to nobody.
 */
import { Stack } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATA_LAKE_BUCKET } from '../config/resources.ts';
import { ATHENA_RESULTS_PREFIX, ATHENA_WORKGROUP_NAME, LAKE_CATALOG } from './defaults/athena-defaults.ts';
import { grantOnObjects, grantPrefixRead } from './prefix-grants.ts';

export interface LakeAnalystPolicyProps {
  /** The data-lake bucket (read under the tables' locations only). */
  readonly bucket: IBucket;
  /** The workgroup's results bucket. */
  readonly resultsBucket: IBucket;
}

export class LakeAnalystPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: LakeAnalystPolicyProps) {
    super(scope, id);
    const { bucket, resultsBucket } = props;
    const stack = Stack.of(this);
    const glue = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName });

    this.policy = new ManagedPolicy(this, 'Policy', {
      description: 'riskfn: query the data lake with Athena (workgroup riskfn-analytics, database riskfn_lake)',
      statements: [
        new PolicyStatement({
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:BatchGetQueryExecution',
            'athena:ListQueryExecutions',
            'athena:GetWorkGroup',
          ],
          resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: ATHENA_WORKGROUP_NAME })],
        }),
        new PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          resources: [
            glue('catalog'),
            glue('database', LAKE_CATALOG.database),
            glue('table', `${LAKE_CATALOG.database}/${LAKE_CATALOG.pricesTable}`),
            glue('table', `${LAKE_CATALOG.database}/${LAKE_CATALOG.quarantineTable}`),
          ],
        }),
        new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn, resultsBucket.bucketArn] }),
        // The results bucket holds nothing but results: listing it whole reveals no lake data.
        new PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [resultsBucket.bucketArn] }),
      ],
    });
    grantPrefixRead(bucket, this.policy, DATA_LAKE_BUCKET.curatedPrefix);
    grantPrefixRead(bucket, this.policy, DATA_LAKE_BUCKET.quarantinePrefix);
    grantOnObjects(resultsBucket, this.policy, ATHENA_RESULTS_PREFIX, [
      's3:GetObject',
      's3:PutObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ]);
  }
}
