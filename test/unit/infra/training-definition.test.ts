import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type aslValidatorType from 'asl-validator';
import { TRAINING_STATES } from '../../../lib/config/resources.ts';
import { DefinitionResolutionError, placeholderFunctionArn, resolveCfnString, synthesizeTrainingDefinition } from '../../../lib/infra/training-definition.ts';
import { APPROVAL_TIMEOUT, MAP_MAX_CONCURRENCY, WORKFLOW_STATES as S } from '../../../lib/infra/training-workflow.ts';

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
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemProcessor?: Definition & { ProcessorConfig?: unknown };
  MaxConcurrency?: number;
  ResultPath?: string;
  TimeoutSeconds?: number;
};
type Definition = { StartAt: string; States: Record<string, State>; QueryLanguage?: string; TimeoutSeconds?: number };

describe('synthesizeTrainingDefinition', () => {
  // One synth shared by every assertion below.
  const { definition, taskFunctions } = synthesizeTrainingDefinition();
  const def = definition as Definition;
  // Lambda tasks at the top level, and the one task inside each Map state.
  const topTasks = [S.buildDataset, S.summarize, S.merge, S.drift, S.evaluate, S.promote];
  const mapTasks = { [S.walkForward]: S.runFold, [S.train]: S.trainShard } as const;
  const stateOf = (name: string): State => {
    if (def.States[name]) return def.States[name]!;
    for (const s of Object.values(def.States)) if (s.ItemProcessor?.States[name]) return s.ItemProcessor.States[name]!;
    throw new Error(`no state ${name}`);
  };

  test('passes asl-validator, ARN checks included', () => {
    const result = aslValidator(structuredClone(definition));
    assert.equal(result.isValid, true, result.errorsText('\n'));
  });

  test('contains every state named in WORKFLOW_STATES', () => {
    for (const name of Object.values(S)) assert.ok(stateOf(name), `missing state ${name}`);
    for (const name of Object.values(TRAINING_STATES)) assert.ok(stateOf(name), `missing state ${name}`);
  });

  test('is JSONPath only: no QueryLanguage, no Assign, no JSONata', () => {
    assert.equal(def.QueryLanguage, undefined);
    for (const [name, state] of Object.entries(def.States)) {
      assert.equal(state.QueryLanguage, undefined, name);
      assert.equal(state.Assign, undefined, name);
    }
    assert.doesNotMatch(JSON.stringify(definition), /\{%/);
  });

  test('runs BuildDataset → WalkForward → Summarize → Train → Merge → Drift → Evaluate → IsChallengerBetter', () => {
    assert.equal(def.StartAt, S.buildDataset);
    const order = [S.buildDataset, S.walkForward, S.summarize, S.train, S.merge, S.drift, S.evaluate, S.gate];
    for (let i = 0; i + 1 < order.length; i++) assert.equal(def.States[order[i]]!.Next, order[i + 1], order[i]);
  });

  test('WalkForward maps RunFold over the folds and Train maps TrainShard over the tree shards, bounded, each item small', () => {
    const expected: Record<string, { items: string; results: string }> = {
      [S.walkForward]: { items: '$.walkForward.folds', results: '$.walkForward.results' },
      [S.train]: { items: '$.training.shards', results: '$.training.results' },
    };
    for (const [mapName, inner] of Object.entries(mapTasks)) {
      const m = def.States[mapName]!;
      assert.equal(m.Type, 'Map', mapName);
      assert.equal(m.ItemsPath, expected[mapName]!.items);
      assert.equal(m.ResultPath, expected[mapName]!.results);
      assert.equal(m.MaxConcurrency, MAP_MAX_CONCURRENCY);
      // Each item gets its own element and index plus the run's small shared fields, never the whole state.
      assert.deepEqual(m.ItemSelector, {
        'item.$': '$$.Map.Item.Value',
        'index.$': '$$.Map.Item.Index',
        'runId.$': '$.runId',
        'dataset.$': '$.dataset',
        'options.$': '$.options',
      });
      assert.equal(m.ItemProcessor!.StartAt, inner);
      assert.deepEqual(Object.keys(m.ItemProcessor!.States), [inner]);
      assert.equal(m.ItemProcessor!.States[inner]!.End, true);
      assert.deepEqual(m.Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TRAINING_STATES.failed }]);
    }
  });

  test('the gate promotes only when $.evaluation.promote is true, waiting for approval only when asked, else rejects', () => {
    const gate = def.States[S.gate]!;
    assert.equal(gate.Type, 'Choice');
    assert.deepEqual(gate.Choices, [{ Variable: '$.evaluation.promote', BooleanEquals: true, Next: S.approvalChoice }]);
    assert.equal(gate.Default, S.reject);
    const approval = def.States[S.approvalChoice]!;
    assert.deepEqual(approval.Choices, [{ Variable: '$.requireApproval', BooleanEquals: true, Next: S.waitForApproval }]);
    assert.equal(approval.Default, S.promote);
    assert.equal(def.States[S.reject]!.Type, 'Succeed');
    assert.equal(def.States[def.States.Promote!.Next!]!.Type, 'Succeed');
    assert.equal(def.States[TRAINING_STATES.failed]!.Type, 'Fail');
    // The execution fails with the task's own error, which each Catch puts at $.error.
    assert.equal(def.States[TRAINING_STATES.failed]!.ErrorPath, '$.error.Error');
    assert.equal(def.States[TRAINING_STATES.failed]!.CausePath, '$.error.Cause');
  });

  test('WaitForApproval passes a callback task token with the state, waits up to the approval timeout, then promotes', () => {
    const wait = def.States[S.waitForApproval]!;
    assert.equal(wait.Resource, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
    assert.deepEqual(wait.Parameters?.Payload, { 'taskToken.$': '$$.Task.Token', 'state.$': '$' });
    assert.equal(wait.ResultPath, '$.approval');
    assert.equal(wait.TimeoutSeconds, APPROVAL_TIMEOUT.toSeconds());
    assert.equal(wait.Next, S.promote);
    assert.deepEqual(wait.Catch, [
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: S.notApproved },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TRAINING_STATES.failed },
    ]);
    assert.equal(def.States[S.notApproved]!.Type, 'Succeed');
    // The execution's own timeout leaves room for a run that waits the whole approval timeout.
    assert.ok(def.TimeoutSeconds! > APPROVAL_TIMEOUT.toSeconds(), `${def.TimeoutSeconds}`);
  });

  test('each Lambda task invokes its function, keeps $.Payload, retries service errors with backoff; top-level ones catch to TrainingFailed', () => {
    for (const name of [...topTasks, ...Object.values(mapTasks)]) {
      const s = stateOf(name);
      assert.equal(s.Type, 'Task', name);
      assert.equal(s.Resource, 'arn:aws:states:::lambda:invoke', name);
      assert.equal(s.OutputPath, '$.Payload', name);
      assert.match(String(s.Parameters?.FunctionName), /^arn:aws:lambda:us-east-1:000000000000:function:Training\w+$/, name);
      if (name === S.buildDataset) {
        // BuildDataset also gets the context object's Execution (its Id is the execution ARN the registry keeps).
        assert.deepEqual(s.Parameters?.Payload, { 'state.$': '$', 'execution.$': '$$.Execution' });
      } else assert.equal(s.Parameters?.['Payload.$'], '$', name);
      const serviceRetry = s.Retry?.find((r) => r.ErrorEquals.includes('Lambda.ServiceException'));
      assert.ok(serviceRetry, `${name} retries Lambda.ServiceException`);
      assert.ok((serviceRetry.BackoffRate ?? 1) > 1, `${name} backs off`);
      assert.ok(
        s.Retry?.some((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException')),
        `${name} retries throttling`,
      );
    }
    for (const name of topTasks) {
      assert.deepEqual(stateOf(name).Catch, [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TRAINING_STATES.failed }], name);
    }
  });

  test('maps each task state (those inside Map states too) to its Lambda entry file', () => {
    assert.deepEqual(taskFunctions, {
      BuildDataset: 'functions/training/build-dataset.ts',
      RunFold: 'functions/training/run-fold.ts',
      Summarize: 'functions/training/summarize.ts',
      TrainShard: 'functions/training/train-shard.ts',
      Merge: 'functions/training/merge.ts',
      Drift: 'functions/training/drift.ts',
      Evaluate: 'functions/training/evaluate.ts',
      WaitForApproval: 'functions/training/request-approval.ts',
      Promote: 'functions/training/promote.ts',
    });
  });

  test('each task invokes a different function', () => {
    const arns = Object.keys(taskFunctions).map((n) => stateOf(n).Parameters?.FunctionName);
    assert.equal(new Set(arns).size, 9);
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
