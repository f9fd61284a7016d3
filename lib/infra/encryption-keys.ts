/**
 * The stack's customer-managed KMS keys, each rotated yearly and kept on stack deletion (what
 * they encrypt is kept too, and would be unreadable without them):
 * - `lake`: the data-lake bucket (SSE-KMS with an S3 Bucket Key, so S3 asks KMS for a data key
 *   about once per bucket and period instead of once per object);
 * - `audit`: the audit table and the idempotency table (the API's answers at rest, both the
 *   audited copy and the briefly stored one for retried requests);
 * - `logs`: every CloudWatch log group of the stack ({@link encryptLogGroups}).
 * Customer-managed so that who may read the data is decided by IAM grants on the key as well as
 * on the data (a copied table backup or object is useless without the key), and key use is
 * logged in CloudTrail per key. Where AWS-managed keys stay, and why: docs/infra.md.
 */
import { type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

/** KMS actions a principal needs to read items of a table encrypted with a customer-managed key. */
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
/** …and to write them (exact actions: no `GenerateDataKey*` wildcard for cdk-nag IAM5). */
export const TABLE_KEY_WRITE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

export class EncryptionKeys extends Construct {
  readonly lake: Key;
  readonly audit: Key;
  readonly logs: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string, description: string) =>
      new Key(this, name, { description: `riskfn: ${description}`, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    this.lake = key('LakeKey', 'encrypts the data-lake bucket (raw, staging, curated, quarantine, datasets, models, audit overflow)');
    this.audit = key('AuditKey', 'encrypts the audit table and the idempotency table (API answers at rest)');
    this.logs = key('LogsKey', 'encrypts the CloudWatch log groups of the functions, the state machine and the API access log');

    // CloudWatch Logs encrypts and decrypts with the key itself, for this account's log groups only:
    // the key policy statement AWS documents for encrypted log groups.
    const stack = Stack.of(this);
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
        },
      }),
    );
  }
}

/** Lets `grantee` use `key` for the table actions it has: read, or read and write. */
export function grantTableKey(key: IKey, grantee: IGrantable, access: 'read' | 'write'): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: access === 'read' ? TABLE_KEY_READ_ACTIONS : TABLE_KEY_WRITE_ACTIONS, resources: [key.keyArn] }),
  );
}

/**
 * Sets `key` on every log group of the scope that has none, whichever construct made it (the
 * functions', the state machine's, the API access log's, and any added later).
 */
export function encryptLogGroups(key: IKey): IAspect {
  return {
    visit(node: IConstruct) {
      // The reference to the key's ARN also makes the log group wait for the key (and its policy).
      if (node instanceof CfnLogGroup && node.kmsKeyId === undefined) node.kmsKeyId = key.keyArn;
    },
  };
}
