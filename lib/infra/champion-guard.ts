/**
 * Only the Promote task may write the champion pointer. The registry keeps the pointer and the
 * promotion history in a partition of their own (`MODEL_REGISTRY_TABLE.partitions.champion`,
 * lib/config/resources.ts), and IAM can tell partitions apart: `dynamodb:LeadingKeys` is the
 * partition key of every item a request touches. Every other role that can reach the registry
 * gets an explicit Deny of each item-write action on that partition. An explicit Deny wins over any
 * Allow, so a write grant added to one of them later still cannot move the champion.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { MODEL_REGISTRY_TABLE } from '../config/resources.ts';

/** Every action that writes registry items (TransactWriteItems is authorised as these, per item). */
export const ITEM_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/** The Deny each role but Promote's carries. */
function championWriteDenial(registry: ITable): PolicyStatement {
  return new PolicyStatement({
    sid: 'OnlyPromoteWritesTheChampion',
    effect: Effect.DENY,
    actions: ITEM_WRITE_ACTIONS,
    resources: [registry.tableArn],
    conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': [MODEL_REGISTRY_TABLE.partitions.champion] } },
  });
}

/**
 * Denies `roles` every write to the champion partition, and lets `promoter` read the pointer too:
 * a retried Promote reads it back to tell its own earlier write from another run's promotion.
 */
export function guardChampionPointer(registry: ITable, promoter: IRole, roles: readonly IRole[]): void {
  for (const role of roles) role.addToPrincipalPolicy(championWriteDenial(registry));
  registry.grant(promoter, 'dynamodb:GetItem');
}
