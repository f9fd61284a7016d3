/**
 * Helpers to acknowledge cdk-nag 3 findings precisely. cdk-nag 3 has no prefix matching:
 * each wildcard finding `AwsSolutions-IAM5[Resource::<flattened ARN>]` must be acknowledged
 * by its exact id, so the ids are computed here from the same tokens the grants use.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag's `flattenCfnReference` does
 * (GetAtt → `<Id.Attr>`, Ref → `<Id>`, Join concatenated), so computed ids match its findings.
 */
export function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  const obj = node as Record<string, unknown>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (obj['Fn::Sub']) return flattenCfnReference(obj['Fn::Sub']);
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (obj['Fn::ImportValue']) return flattenCfnReference(obj['Fn::ImportValue']);
  if (obj.Ref) return `<${flattenCfnReference(obj.Ref)}>`;
  return JSON.stringify(node);
}

/** Acknowledges `AwsSolutions-IAM5[Resource::…]` for each (possibly tokenised) resource ARN on `scope`. */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
}
