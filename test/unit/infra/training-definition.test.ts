import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type aslValidatorType from 'asl-validator';
import { TRAINING_STATES } from '../../../lib/config/resources.ts';
import { DefinitionResolutionError, placeholderFunctionArn, resolveCfnString, synthesizeTrainingDefinition } from '../../../lib/infra/training-definition.ts';

// asl-validator is CommonJS (`module.exports = fn`).
const aslValidator = createRequire(import.meta.url)('asl-validator') as typeof aslValidatorType;

type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  OutputPath?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Variable?: string; BooleanEquals?: boolean; Next: string }[];
  Assign?: unknown;
  QueryLanguage?: string;
  ErrorPath?: string;
  CausePath?: string;
};
type Definition = { StartAt: string; States: Record<string, State>; QueryLanguage?: string };

describe('synthesizeTrainingDefinition', () => {
  // One synth shared by every assertion below.
  const { definition, taskFunctions } = synthesizeTrainingDefinition();
  const def = definition as Definition;
  const taskStates = [TRAINING_STATES.buildDataset, TRAINING_STATES.train, TRAINING_STATES.evaluate, TRAINING_STATES.promote];

  test('passes asl-validator, ARN checks included', () => {
    const result = aslValidator(structuredClone(definition));
    assert.equal(result.isValid, true, result.errorsText('\n'));
  });

  test('contains every state named in TRAINING_STATES', () => {
    for (const name of Object.values(TRAINING_STATES)) assert.ok(def.States[name], `missing state ${name}`);
  });

  test('is JSONPath only: no QueryLanguage, no Assign, no JSONata', () => {
    assert.equal(def.QueryLanguage, undefined);
    for (const [name, state] of Object.entries(def.States)) {
      assert.equal(state.QueryLanguage, undefined, name);
      assert.equal(state.Assign, undefined, name);
    }
    assert.doesNotMatch(JSON.stringify(definition), /\{%/);
  });

  test('runs BuildDataset → Train → Evaluate → IsChallengerBetter', () => {
    assert.equal(def.StartAt, TRAINING_STATES.buildDataset);
    assert.equal(def.States.BuildDataset!.Next, TRAINING_STATES.train);
    assert.equal(def.States.Train!.Next, TRAINING_STATES.evaluate);
    assert.equal(def.States.Evaluate!.Next, TRAINING_STATES.gate);
  });

  test('the gate promotes only when $.evaluation.promote is true, else rejects', () => {
    const gate = def.States[TRAINING_STATES.gate]!;
    assert.equal(gate.Type, 'Choice');
    assert.deepEqual(gate.Choices, [{ Variable: '$.evaluation.promote', BooleanEquals: true, Next: TRAINING_STATES.promote }]);
    assert.equal(gate.Default, TRAINING_STATES.reject);
    assert.equal(def.States[TRAINING_STATES.reject]!.Type, 'Succeed');
    const after = def.States[def.States.Promote!.Next!]!;
    assert.equal(after.Type, 'Succeed');
    assert.equal(def.States[TRAINING_STATES.failed]!.Type, 'Fail');
    // The execution fails with the task's own error, which each Catch puts at $.error.
    assert.equal(def.States[TRAINING_STATES.failed]!.ErrorPath, '$.error.Error');
    assert.equal(def.States[TRAINING_STATES.failed]!.CausePath, '$.error.Cause');
  });

  test('each task invokes its Lambda, keeps $.Payload, retries service errors with backoff and catches to TrainingFailed', () => {
    for (const name of taskStates) {
      const s = def.States[name]!;
      assert.equal(s.Type, 'Task', name);
      assert.equal(s.Resource, 'arn:aws:states:::lambda:invoke', name);
      assert.equal(s.OutputPath, '$.Payload', name);
      assert.match(String(s.Parameters?.FunctionName), /^arn:aws:lambda:us-east-1:000000000000:function:Training\w+$/, name);
      assert.equal(s.Parameters?.['Payload.$'], '$', name);
      const serviceRetry = s.Retry?.find((r) => r.ErrorEquals.includes('Lambda.ServiceException'));
      assert.ok(serviceRetry, `${name} retries Lambda.ServiceException`);
      assert.ok((serviceRetry.BackoffRate ?? 1) > 1, `${name} backs off`);
      assert.ok(
        s.Retry?.some((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException')),
        `${name} retries throttling`,
      );
      assert.deepEqual(s.Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TRAINING_STATES.failed }]);
    }
  });

  test('maps each task state to its Lambda entry file', () => {
    assert.deepEqual(taskFunctions, {
      BuildDataset: 'functions/training/build-dataset.ts',
      Train: 'functions/training/train.ts',
      Evaluate: 'functions/training/evaluate.ts',
      Promote: 'functions/training/promote.ts',
    });
  });

  test('each task invokes a different function', () => {
    const arns = taskStates.map((n) => def.States[n]!.Parameters?.FunctionName);
    assert.equal(new Set(arns).size, 4);
  });
});

describe('resolveCfnString', () => {
  const resources = { Fn1: { Type: 'AWS::Lambda::Function' }, Q: { Type: 'AWS::SQS::Queue' } };

  test('resolves joins, Lambda ARNs and pseudo parameters', () => {
    const value = { 'Fn::Join': ['', ['{"a":"arn:', { Ref: 'AWS::Partition' }, '","f":"', { 'Fn::GetAtt': ['Fn1', 'Arn'] }, '"}']] };
    assert.equal(resolveCfnString(value, resources), `{"a":"arn:aws","f":"${placeholderFunctionArn('Fn1')}"}`);
  });

  test('refuses intrinsics it cannot turn into placeholders, naming them', () => {
    assert.throws(
      () => resolveCfnString({ 'Fn::GetAtt': ['Q', 'Arn'] }, resources),
      (e: unknown) => e instanceof DefinitionResolutionError && /Q\.Arn/.test(e.message),
    );
    assert.throws(() => resolveCfnString({ Ref: 'SomeParameter' }, resources), DefinitionResolutionError);
  });
});
