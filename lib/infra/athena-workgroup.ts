/**
 * The analysts' Athena workgroup and the bucket its query results go to. The workgroup's settings are
 * enforced (a client cannot send results elsewhere, unencrypted, or past the scan limit): results are
 * written SSE-S3-encrypted under `results/` of a bucket with the lake's secure defaults, a query that
 * would scan more than ATHENA_BYTES_SCANNED_CUTOFF is cancelled, and CloudWatch gets per-query metrics.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_BYTES_SCANNED_CUTOFF, ATHENA_ENGINE_VERSION, ATHENA_RESULTS_PREFIX, ATHENA_WORKGROUP_NAME } from './defaults/athena-defaults.ts';
import { QUERY_RESULTS_BUCKET_DEFAULTS } from './defaults/s3-bucket-defaults.ts';

export interface AthenaWorkgroupProps {
  /** Where the results bucket's server access logs go (the lake's access-logs bucket). */
  readonly accessLogsBucket: IBucket;
}

export class AthenaWorkgroup extends Construct {
  readonly resultsBucket: Bucket;
  readonly workGroup: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);

    this.resultsBucket = new Bucket(this, 'ResultsBucket', {
      ...QUERY_RESULTS_BUCKET_DEFAULTS,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
    });

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: ATHENA_WORKGROUP_NAME,
      description: 'riskfn: analysts query the data lake (Glue database riskfn_lake) here',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: ATHENA_BYTES_SCANNED_CUTOFF,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          // Athena refuses to write results if the bucket has changed hands (a deleted and re-created name).
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }
}
