/** Secure defaults for DynamoDB tables (cf. Solutions Constructs' dynamodb-table-defaults.ts). */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';

/** Everything except the keys and the name, which come from lib/config/resources.ts. */
export const DYNAMODB_TABLE_DEFAULTS: Omit<TableProps, 'partitionKey'> = {
  /** On demand: traffic is spiky (one audit item per API call, a few registry writes per day). */
  billingMode: BillingMode.PAY_PER_REQUEST,
  /** Encrypted at rest with the AWS-managed `aws/dynamodb` KMS key (explicit, not the owned-key default). */
  encryption: TableEncryption.AWS_MANAGED,
  /** Point-in-time recovery: restore to any second of the last 35 days (cdk-nag AwsSolutions-DDB3). */
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  /** The audit trail and the model registry are records: they must survive a mistaken delete. */
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
};

/** Maps the config's key type letters to CDK attribute types. */
export function attributeType(type: 'S' | 'N' | 'B'): AttributeType {
  return type === 'S' ? AttributeType.STRING : type === 'N' ? AttributeType.NUMBER : AttributeType.BINARY;
}
