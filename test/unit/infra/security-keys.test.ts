/**
 * Customer-managed keys and the champion pointer: the lake, the audit trail (with the idempotency
 * records) and every log group are encrypted with rotated, retained keys of their own, each role
 * is granted exactly the key actions its data actions need, and no role but Promote's may write
 * the registry's champion partition (an IAM Deny on `dynamodb:LeadingKeys`).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, MODEL_REGISTRY_TABLE } from '../../../lib/config/resources.ts';
import { ITEM_WRITE_ACTIONS } from '../../../lib/infra/champion-guard.ts';
import { TABLE_KEY_WRITE_ACTIONS } from '../../../lib/infra/encryption-keys.ts';
import { flattenCfnReference } from '../../../lib/infra/nag-acknowledgements.ts';
import { logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const resources = template.toJSON().Resources as Record<string, any>;
const ids = { lake: logicalId(stack.keys.lake), audit: logicalId(stack.keys.audit), logs: logicalId(stack.keys.logs) };
const keyArn = (id: string) => `<${id}.Arn>`;
const bucket = `<${logicalId(stack.dataLake.bucket)}.Arn>`;
const registry = `<${logicalId(stack.modelRegistry.table)}.Arn>`;

interface Statement {
  effect: string;
  action: string;
  resource: string;
  condition?: unknown;
}

/** Every statement of every policy attached to each role (by logical id), one action and resource per entry. */
const statementsByRole = new Map<string, Statement[]>();
for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
  for (const { Ref: role } of policy.Properties.Roles as { Ref: string }[]) {
    const list = statementsByRole.get(role) ?? [];
    for (const st of policy.Properties.PolicyDocument.Statement as any[]) {
      for (const action of [].concat(st.Action))
        for (const resource of [].concat(st.Resource))
          list.push({ effect: st.Effect, action, resource: flattenCfnReference(resource), ...(st.Condition ? { condition: st.Condition } : {}) });
    }
    statementsByRole.set(role, list);
  }
}
const allows = (role: string) => (statementsByRole.get(role) ?? []).filter((s) => s.effect === 'Allow');
const table = (name: string) => Object.values(template.findResources('AWS::DynamoDB::Table')).find((t) => t.Properties.TableName === name)!.Properties;

describe('customer-managed keys', () => {
  test('three of their own (lake, audit, logs), each rotated yearly and retained with the data it encrypts', () => {
    for (const id of Object.values(ids)) {
      assert.equal(resources[id].Type, 'AWS::KMS::Key');
      assert.equal(resources[id].Properties.EnableKeyRotation, true, id);
      assert.equal(resources[id].DeletionPolicy, 'Retain', id);
    }
    assert.equal(new Set(Object.values(ids)).size, 3);
  });
  test('the audit table and the idempotency table are encrypted with the audit key; the registry keeps the AWS-managed key', () => {
    const audit = { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [ids.audit, 'Arn'] } };
    assert.deepEqual(table(AUDIT_TABLE.name).SSESpecification, audit);
    assert.deepEqual(table(IDEMPOTENCY_TABLE.name).SSESpecification, audit);
    assert.deepEqual(table(MODEL_REGISTRY_TABLE.name).SSESpecification, { SSEEnabled: true });
  });
  test('every log group is encrypted with the logs key', () => {
    const groups = Object.entries(template.findResources('AWS::Logs::LogGroup'));
    // One per function (4 + 9 training tasks), the state machine's and the API access log.
    assert.equal(groups.length, 15);
    for (const [id, g] of groups) assert.deepEqual(g.Properties.KmsKeyId, { 'Fn::GetAtt': [ids.logs, 'Arn'] }, id);
  });
  test("the logs key admits CloudWatch Logs of this region, for this account's log groups only", () => {
    const statements = resources[ids.logs].Properties.KeyPolicy.Statement as any[];
    const logs = statements.filter((s) => JSON.stringify(s.Principal ?? {}).includes('.amazonaws.com'));
    assert.equal(logs.length, 1);
    assert.deepEqual(logs[0].Principal, { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } });
    assert.equal(
      flattenCfnReference(logs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']),
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*',
    );
  });
  test('a role that reads lake objects may decrypt with the lake key, one that writes them may generate data keys; nothing else', () => {
    let checked = 0;
    for (const [role, list] of statementsByRole) {
      const lake = list.filter((s) => s.effect === 'Allow' && s.resource.startsWith(`${bucket}/`));
      const expected = [
        ...(lake.some((s) => s.action === 's3:GetObject') ? ['kms:Decrypt'] : []),
        ...(lake.some((s) => s.action === 's3:PutObject') ? ['kms:GenerateDataKey'] : []),
      ];
      const granted = [...new Set(list.filter((s) => s.effect === 'Allow' && s.resource === keyArn(ids.lake)).map((s) => s.action))].sort();
      assert.deepEqual(granted, expected.sort(), role);
      if (expected.length > 0) checked++;
    }
    // ingest, compaction, API, audit writer and the seven training tasks that touch the lake (not WaitForApproval, Promote).
    assert.equal(checked, 11);
  });
  test('only the audit writer and the API may use the audit key, with the exact table actions', () => {
    const users = [...statementsByRole].filter(([, list]) => list.some((s) => s.resource === keyArn(ids.audit))).map(([role]) => role);
    assert.deepEqual(users.sort(), [logicalId(stack.apiFunction.role), logicalId(stack.auditWriter.role)].sort());
    for (const role of users) {
      const actions = allows(role)
        .filter((s) => s.resource === keyArn(ids.audit))
        .map((s) => s.action)
        .sort();
      assert.deepEqual(actions, [...TABLE_KEY_WRITE_ACTIONS].sort(), role);
    }
  });
});

describe('champion pointer', () => {
  const champion = MODEL_REGISTRY_TABLE.partitions.champion;
  const promote = logicalId(stack.training.tasks.Promote.role);
  const denial = (s: Statement) =>
    s.effect === 'Deny' &&
    s.resource === registry &&
    JSON.stringify(s.condition) === JSON.stringify({ 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': [champion] } });

  /** Whether the role may `action` an item whose partition key is `pk` (Allow on the table, no Deny matching). */
  function may(role: string, action: string, pk: string): boolean {
    const list = statementsByRole.get(role) ?? [];
    const applies = (s: Statement) => s.action === action && s.resource === registry;
    const denied = list.some((s) => applies(s) && s.effect === 'Deny' && JSON.stringify(s.condition).includes(JSON.stringify(pk)));
    return !denied && list.some((s) => applies(s) && s.effect === 'Allow');
  }

  test('has a partition of its own, apart from the version items', () => {
    assert.notEqual(MODEL_REGISTRY_TABLE.partitions.champion, MODEL_REGISTRY_TABLE.partitions.versions);
  });
  test('every role that reaches the registry, except Promote, is denied every item write on the champion partition', () => {
    const reaching = [...statementsByRole].filter(([, list]) => list.some((s) => s.resource === registry && s.effect === 'Allow')).map(([role]) => role);
    assert.deepEqual(
      reaching.sort(),
      [stack.apiFunction.role, ...Object.values(stack.training.tasks).map((t) => t.role)]
        .map(logicalId)
        .filter((r) => reaching.includes(r))
        .sort(),
    );
    for (const role of reaching.filter((r) => r !== promote)) {
      const denied = (statementsByRole.get(role) ?? []).filter(denial).map((s) => s.action);
      assert.deepEqual(denied.sort(), [...ITEM_WRITE_ACTIONS].sort(), role);
    }
    assert.deepEqual(
      (statementsByRole.get(promote) ?? []).filter((s) => s.effect === 'Deny'),
      [],
    );
  });
  test('so only Promote may write it, while Merge and Evaluate still write version items', () => {
    const writers = [...statementsByRole.keys()].filter((role) => ['dynamodb:PutItem', 'dynamodb:UpdateItem'].some((a) => may(role, a, champion)));
    assert.deepEqual(writers, [promote]);
    assert.equal(may(logicalId(stack.training.tasks.Merge.role), 'dynamodb:PutItem', MODEL_REGISTRY_TABLE.partitions.versions), true);
    assert.equal(may(logicalId(stack.training.tasks.Evaluate.role), 'dynamodb:PutItem', MODEL_REGISTRY_TABLE.partitions.versions), true);
    assert.equal(may(logicalId(stack.training.tasks.Evaluate.role), 'dynamodb:PutItem', champion), false);
  });
  test('Promote may read the pointer back (a retried promotion recognises its own write)', () => {
    assert.equal(may(promote, 'dynamodb:GetItem', champion), true);
  });
});
