/**
 * cdk-nag AwsSolutions on the stack, run in-process on the synthesised app (cdk-nag 3 is a CDK
 * validation plugin; `validateScope` is its documented entry point for direct invocation).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from '../../../lib/infra/nag-acknowledgements.ts';
import { synthOnce } from './synth.ts';

interface Violation {
  ruleName: string;
  severity: string;
  violatingResources: { constructPath: string }[];
}

function runChecks(scope: IConstruct, ignoreAcknowledgements = false): Violation[] {
  const pack = new AwsSolutionsChecks();
  // Test-only: see every finding, acknowledged or not (to prove each acknowledgement is still needed).
  if (ignoreAcknowledgements) (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(scope).violations as unknown as Violation[];
}

/** Every acknowledgement recorded with Validations.of(x).acknowledge(), with the path it was put on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: key.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

describe('cdk-nag AwsSolutions', () => {
  const { app } = synthOnce();

  test('reports no unacknowledged error or warning', () => {
    const open = runChecks(app).map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    assert.deepEqual(open, []);
  });

  test('every acknowledgement matches a finding on or below the construct it is on (none is stale)', () => {
    const all = runChecks(app, true);
    const acks = acknowledgements(app).filter((a) => a.id.startsWith('AwsSolutions-'));
    assert.ok(acks.length >= 10, `only ${acks.length} acknowledgements found`);
    for (const ack of acks) {
      const hit = all.some(
        (v) => v.ruleName === ack.id && v.violatingResources.some((r) => r.constructPath === ack.path || r.constructPath.startsWith(`${ack.path}/`)),
      );
      assert.ok(hit, `stale acknowledgement ${ack.id} on ${ack.path}`);
    }
  });

  test('every acknowledgement gives a written reason', () => {
    for (const ack of acknowledgements(app)) assert.ok(ack.reason.length >= 60, `${ack.id} on ${ack.path}: "${ack.reason}"`);
  });

  test('without the acknowledgements the stack has findings (the check can fail)', () => {
    const rules = new Set(runChecks(app, true).map((v) => v.ruleName.replace(/\[.*$/, '')));
    assert.deepEqual([...rules].sort(), ['AwsSolutions-APIG3', 'AwsSolutions-COG4', 'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-SQS3']);
  });

  test('flags a bucket without our defaults', () => {
    const bare = new App();
    new Bucket(new Stack(bare, 'Bare'), 'Bucket');
    const rules = runChecks(bare)
      .map((v) => v.ruleName)
      .sort();
    assert.deepEqual(rules, ['AwsSolutions-S1', 'AwsSolutions-S10']);
  });
});

describe('flattenCfnReference (must match the ids cdk-nag gives IAM5 findings)', () => {
  test('flattens GetAtt, Ref, Join and Sub', () => {
    assert.equal(flattenCfnReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B1', 'Arn'] }, '/curated/*']] }), '<B1.Arn>/curated/*');
    assert.equal(flattenCfnReference({ Ref: 'T1' }), '<T1>');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, not a JavaScript template
    assert.equal(flattenCfnReference({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x' }), 'arn:<AWS::Partition>:s3:::x');
    assert.equal(flattenCfnReference('*'), '*');
  });
});
