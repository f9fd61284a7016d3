/**
 * Template assertions for the training workflow's task roles: each function may touch exactly the
 * bucket prefixes and registry actions its handler uses, nothing else (the synthesised definition
 * itself: training-definition.test.ts).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATA_LAKE_BUCKET } from '../../../lib/config/resources.ts';
import { grantsOfRole, logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const bucket = `<${logicalId(stack.dataLake.bucket)}.Arn>`;
const registry = `<${logicalId(stack.modelRegistry.table)}.Arn>`;
const { curatedPrefix, stagingPrefix, datasetsPrefix, modelsPrefix } = DATA_LAKE_BUCKET;
const tasks = stack.training.tasks;

/** S3 and DynamoDB grants of a task's role, as sorted `action resource [if condition]` strings. */
const dataGrants = (task: keyof typeof tasks): string[] =>
  grantsOfRole(template, logicalId(tasks[task].role))
    .filter((g) => g.action.startsWith('s3:') || g.action.startsWith('dynamodb:'))
    .map((g) => `${g.action} ${g.resource}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''}`)
    .sort();
const reads = (prefix: string) => [`s3:GetObject ${bucket}/${prefix}*`, `s3:ListBucket ${bucket} if {"StringLike":{"s3:prefix":["${prefix}*"]}}`];
const writes = (prefix: string) => `s3:PutObject ${bucket}/${prefix}*`;
const lakeReads = [`s3:GetObject ${bucket}/${curatedPrefix}*`, `s3:GetObject ${bucket}/${stagingPrefix}*`, `s3:ListBucket ${bucket}`];
const sorted = (xs: string[]) => [...xs].sort();

describe('training task roles', () => {
  test('BuildDataset reads the lake (compacted and staging) and writes the run under datasets/', () => {
    assert.deepEqual(dataGrants('BuildDataset'), sorted([...lakeReads, writes(datasetsPrefix)]));
  });
  test('RunFold, Summarize and TrainShard read and write datasets/ only (the run and its intermediate objects)', () => {
    for (const t of ['RunFold', 'Summarize', 'TrainShard'] as const) {
      assert.deepEqual(dataGrants(t), sorted([...reads(datasetsPrefix), writes(datasetsPrefix)]), t);
    }
  });
  test('Merge reads datasets/, writes models/ and records the candidate version', () => {
    assert.deepEqual(dataGrants('Merge'), sorted([`dynamodb:PutItem ${registry}`, ...reads(datasetsPrefix), writes(modelsPrefix)]));
  });
  test('Drift reads datasets/ and models/ and writes its report and the card beside the artifact; no registry access', () => {
    assert.deepEqual(dataGrants('Drift'), sorted([...reads(datasetsPrefix), ...reads(modelsPrefix), writes(modelsPrefix)]));
  });
  test('Evaluate reads models and datasets, reads the champion, records a rejection and writes the model card beside the artifact', () => {
    assert.deepEqual(
      dataGrants('Evaluate'),
      sorted([`dynamodb:GetItem ${registry}`, `dynamodb:PutItem ${registry}`, ...reads(datasetsPrefix), ...reads(modelsPrefix), writes(modelsPrefix)]),
    );
  });
  test('WaitForApproval only updates the version item (its task token); no bucket access', () => {
    assert.deepEqual(dataGrants('WaitForApproval'), [`dynamodb:UpdateItem ${registry}`]);
  });
  test('WaitForApproval may send task success to the training state machine only (a version approved ahead)', () => {
    const states = grantsOfRole(template, logicalId(tasks.WaitForApproval.role)).filter((g) => g.action.startsWith('states:'));
    assert.deepEqual(
      states.map((g) => `${g.action} ${g.resource}`),
      ['states:SendTaskSuccess arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:riskfn-training'],
    );
    for (const t of Object.keys(tasks) as (keyof typeof tasks)[]) {
      if (t !== 'WaitForApproval') assert.ok(!grantsOfRole(template, logicalId(tasks[t].role)).some((g) => g.action.startsWith('states:')), t);
    }
  });
  test('Promote writes the registry only, and reads the champion pointer back on a retry', () => {
    assert.deepEqual(dataGrants('Promote'), [`dynamodb:GetItem ${registry}`, `dynamodb:PutItem ${registry}`, `dynamodb:UpdateItem ${registry}`]);
  });
  test('no task may delete objects or registry items', () => {
    for (const t of Object.keys(tasks) as (keyof typeof tasks)[]) {
      for (const g of dataGrants(t)) assert.doesNotMatch(g, /^(s3:DeleteObject|dynamodb:DeleteItem)/, t);
    }
  });
});

describe('training state machine', () => {
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!.Properties as { RoleArn: { 'Fn::GetAtt': string[] } };
  const roleId = machine.RoleArn['Fn::GetAtt'][0]!;

  test('has no Step Functions permissions of its own: the approver sends the task token back', () => {
    assert.deepEqual(
      grantsOfRole(template, roleId).filter((g) => g.action.startsWith('states:')),
      [],
    );
  });
});
