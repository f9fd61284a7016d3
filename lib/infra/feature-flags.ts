/**
 * CDK feature flags and App context shared by bin/app.ts, the tests and the training-definition
 * synth, so that all three build the same template (cdk.json context is only read by the CLI).
 */
export const FEATURE_FLAGS: Record<string, unknown> = {
  // Server access logs are delivered under a bucket policy for logging.s3.amazonaws.com, not an ACL
  // (the data-lake buckets have ACLs disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Merge IAM statements with the same effect and actions: smaller policies.
  '@aws-cdk/aws-iam:minimizePolicies': true,
};

/** Context that skips esbuild bundling of every stack (fast in-process synths for tests and the local runner). */
export const SKIP_BUNDLING_CONTEXT: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] };
