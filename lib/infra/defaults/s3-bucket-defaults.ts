/** Secure defaults for S3 buckets (cf. Solutions Constructs' s3-bucket-defaults.ts). */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';

/** The data lake: private, TLS only, encrypted, versioned, retained on stack deletion. */
export const DATA_BUCKET_DEFAULTS: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  /** Bucket policy denies `aws:SecureTransport = false` (cdk-nag AwsSolutions-S10). */
  enforceSSL: true,
  /** SSE-S3: encrypted at rest without per-request KMS charges or key policies. */
  encryption: BucketEncryption.S3_MANAGED,
  /** Versioning: an overwrite or delete of curated data or a model artifact can be undone. */
  versioned: true,
  /** ACLs disabled: access is decided by IAM and the bucket policy only. */
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
  lifecycleRules: [
    {
      id: 'expire-noncurrent-versions',
      /** Old versions are kept 30 days: long enough to notice and undo a bad write. */
      noncurrentVersionExpiration: Duration.days(30),
      /** …except the 3 newest noncurrent versions, which are kept regardless of age. */
      noncurrentVersionsToRetain: 3,
      /** Unfinished multipart uploads cost storage and are never useful after a week. */
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
  ],
};

/** The server-access-logs bucket. SSE-S3 is the only encryption S3 log delivery supports. */
export const ACCESS_LOGS_BUCKET_DEFAULTS: BucketProps = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: BucketEncryption.S3_MANAGED,
  versioned: false,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
  lifecycleRules: [
    {
      id: 'expire-access-logs',
      /** 90 days of access logs: a quarter to investigate an access pattern. */
      expiration: Duration.days(90),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    },
  ],
};

/**
 * Athena query results: the lake's defaults (private, TLS only, SSE-S3, versioned, ACLs disabled,
 * retained), plus expiry of the results themselves. A result is a copy of what a query read and can
 * be recomputed by running the query again, so it is kept only as long as an analyst revisits it.
 */
export const QUERY_RESULTS_BUCKET_DEFAULTS: BucketProps = {
  ...DATA_BUCKET_DEFAULTS,
  lifecycleRules: [
    ...(DATA_BUCKET_DEFAULTS.lifecycleRules ?? []),
    {
      id: 'expire-query-results',
      /** 30 days: long enough to download or share a result, short enough that copies of lake data do not pile up. */
      expiration: Duration.days(30),
    },
  ],
};
