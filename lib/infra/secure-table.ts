/**
 * A DynamoDB table with secure defaults (on-demand, KMS encryption — the AWS-managed key unless a
 * customer-managed one is given —, point-in-time recovery, deletion protection), its name, key schema and global secondary indexes taken from lib/config/resources.ts so that the local harness
 * creates the very same table on dynalite.
 */
import { ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { attributeType, DYNAMODB_TABLE_DEFAULTS } from './defaults/dynamodb-table-defaults.ts';

/** The shape of a table entry in lib/config/resources.ts. */
export interface TableConfig {
  readonly name: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  /** Global secondary indexes, each with projection ALL (the local harness creates them the same way). */
  readonly globalSecondaryIndexes?: readonly {
    readonly indexName: string;
    readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
    readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  }[];
}

export interface SecureTableProps {
  readonly config: TableConfig;
  /** A customer-managed key to encrypt the table with (default: the AWS-managed `aws/dynamodb` key). */
  readonly encryptionKey?: IKey;
}

export class SecureTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const { config } = props;
    this.table = new Table(this, 'Table', {
      ...DYNAMODB_TABLE_DEFAULTS,
      ...(props.encryptionKey ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey } : {}),
      tableName: config.name,
      partitionKey: { name: config.partitionKey.name, type: attributeType(config.partitionKey.type) },
      sortKey: config.sortKey ? { name: config.sortKey.name, type: attributeType(config.sortKey.type) } : undefined,
    });
    for (const gsi of config.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: attributeType(gsi.partitionKey.type) },
        sortKey: gsi.sortKey ? { name: gsi.sortKey.name, type: attributeType(gsi.sortKey.type) } : undefined,
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
