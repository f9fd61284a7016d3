/**
 * The S3 data lake: a private, TLS-only, versioned bucket encrypted with the stack's lake key
 * (SSE-KMS with an S3 Bucket Key), whose server access logs go to a separate, equally locked-down
 * logs bucket (SSE-S3: the only encryption S3 log delivery supports). Prefixes (curated/, quarantine/, datasets/, models/) are
 * in lib/config/resources.ts; access is granted per prefix with lib/infra/prefix-grants.ts.
 */
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOGS_BUCKET_DEFAULTS, DATA_BUCKET_DEFAULTS } from './defaults/s3-bucket-defaults.ts';

export interface DataLakeProps {
  /** The customer-managed key every object is encrypted with (its users are granted it with their prefixes, lib/infra/prefix-grants.ts). */
  readonly encryptionKey: IKey;
}

export class DataLake extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataLakeProps) {
    super(scope, id);

    this.logsBucket = new Bucket(this, 'AccessLogsBucket', ACCESS_LOGS_BUCKET_DEFAULTS);
    // No AwsSolutions-S1 finding here: cdk-nag accepts a bucket that is another bucket's log target.

    this.bucket = new Bucket(this, 'Bucket', {
      ...DATA_BUCKET_DEFAULTS,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket and period instead of one KMS call per object: KMS requests (and their cost) stay flat with the object count.
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'data-lake/',
    });
  }
}
