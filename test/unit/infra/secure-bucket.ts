/**
 * The secure defaults every riskfn data bucket carries (the lake and the Athena results bucket):
 * one set of assertions, so a default added to the construct is asserted for every bucket.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Match, type Template } from 'aws-cdk-lib/assertions';

/** The TLS-only statement CDK's `enforceSSL` writes. */
export const tlsOnlyStatement = Match.objectLike({
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/**
 * Registers the shared tests for the bucket with logical id `bucketId` (call inside a `describe`);
 * `kmsKeyId` is the logical id of the customer-managed key it is encrypted with (else SSE-S3).
 */
export function secureDataBucketTests(template: Template, bucketId: string, logging: { logsBucketId: string; prefix: string }, kmsKeyId?: string): void {
  const resource = template.toJSON().Resources[bucketId];
  const bucket = resource.Properties;
  test('blocks all public access', () =>
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    }));
  if (kmsKeyId === undefined) {
    test('is encrypted at rest (SSE-S3)', () =>
      assert.deepEqual(bucket.BucketEncryption.ServerSideEncryptionConfiguration, [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]));
  } else {
    test('is encrypted at rest with its customer-managed key (SSE-KMS with an S3 Bucket Key)', () =>
      assert.deepEqual(bucket.BucketEncryption.ServerSideEncryptionConfiguration, [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [kmsKeyId, 'Arn'] } }, BucketKeyEnabled: true },
      ]));
  }
  test('is versioned and expires noncurrent versions', () => {
    assert.deepEqual(bucket.VersioningConfiguration, { Status: 'Enabled' });
    const rule = bucket.LifecycleConfiguration.Rules.find((r: any) => r.NoncurrentVersionExpiration);
    assert.ok(rule.NoncurrentVersionExpiration.NoncurrentDays > 0);
    assert.equal(rule.Status, 'Enabled');
  });
  test('disables ACLs', () => assert.deepEqual(bucket.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] }));
  test('logs server access to the separate logs bucket', () =>
    assert.deepEqual(bucket.LoggingConfiguration, { DestinationBucketName: { Ref: logging.logsBucketId }, LogFilePrefix: logging.prefix }));
  test('denies requests without TLS', () =>
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([tlsOnlyStatement]) },
    }));
  test('is retained when the stack is deleted', () => assert.equal(resource.DeletionPolicy, 'Retain'));
}
