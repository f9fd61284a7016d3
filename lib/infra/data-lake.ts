/**
 * The S3 data lake: a private, TLS-only, encrypted, versioned bucket whose server access logs go to a
 * separate, equally locked-down logs bucket. Prefixes (curated/, quarantine/, datasets/, models/) are
 * in lib/config/resources.ts; access is granted per prefix with lib/infra/prefix-grants.ts.
 */
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACCESS_LOGS_BUCKET_DEFAULTS, DATA_BUCKET_DEFAULTS } from './defaults/s3-bucket-defaults.ts';

export class DataLake extends Construct {
  readonly bucket: Bucket;
  readonly logsBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.logsBucket = new Bucket(this, 'AccessLogsBucket', ACCESS_LOGS_BUCKET_DEFAULTS);
    // No AwsSolutions-S1 finding here: cdk-nag accepts a bucket that is another bucket's log target.

    this.bucket = new Bucket(this, 'Bucket', {
      ...DATA_BUCKET_DEFAULTS,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'data-lake/',
    });
  }
}
