/**
 * The S3 data lake: a private, TLS-only, encrypted, versioned bucket whose server access logs go to a
 * separate, equally locked-down logs bucket. Prefixes (curated/, quarantine/, datasets/, models/) are
 * in lib/config/resources.ts; access is granted per prefix with lib/infra/prefix-grants.ts.
 */
import { Bucket, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOGS_BUCKET_DEFAULTS, DATA_BUCKET_DEFAULTS } from './defaults/s3-bucket-defaults.ts';

export interface DataLakeProps {
  /** Merged over DATA_BUCKET_DEFAULTS. */
  readonly bucketProps?: Partial<BucketProps>;
  /** Merged over ACCESS_LOGS_BUCKET_DEFAULTS. */
  readonly logsBucketProps?: Partial<BucketProps>;
}

export class DataLake extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataLakeProps = {}) {
    super(scope, id);

    this.logsBucket = new Bucket(this, 'AccessLogsBucket', { ...ACCESS_LOGS_BUCKET_DEFAULTS, ...props.logsBucketProps });
    // No AwsSolutions-S1 finding here: cdk-nag accepts a bucket that is another bucket's log target.

    this.bucket = new Bucket(this, 'Bucket', {
      ...DATA_BUCKET_DEFAULTS,
      ...props.bucketProps,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'data-lake/',
    });
  }
}
