/**
 * The training state machine's ASL definition, taken from the synthesised CDK template (never a
 * hand-kept copy), for the local runner (lib/local/step-functions) and the tests.
 *
 * The stack is built in-process with bundling skipped; the AWS::StepFunctions::StateMachine's
 * DefinitionString (an Fn::Join with Fn::GetAtt tokens for the Lambda ARNs) is resolved to plain
 * ASL JSON with placeholder values:
 * - `Fn::GetAtt [<id>, Arn]` of a Lambda function → `arn:aws:lambda:us-east-1:000000000000:function:<id>`
 * - `Ref AWS::Partition|Region|AccountId|URLSuffix` → `aws`, `us-east-1`, `000000000000`, `amazonaws.com`
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { createRiskfnApp } from './riskfn-app.ts';
import { TRAINING_TASK_ENTRIES, type TrainingTaskState } from './training-workflow.ts';

const PLACEHOLDER_REGION = 'us-east-1';
const PLACEHOLDER_ACCOUNT = '000000000000';

/** The placeholder ARN given to the Lambda function with this logical id. */
export const placeholderFunctionArn = (logicalId: string): string => `arn:aws:lambda:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:function:${logicalId}`;

/** An intrinsic in the definition this resolver does not know how to turn into a placeholder. */
export class DefinitionResolutionError extends Error {
  override name = 'DefinitionResolutionError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': PLACEHOLDER_REGION,
  'AWS::AccountId': PLACEHOLDER_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Resolves a CloudFormation string value (literal, Fn::Join, Fn::GetAtt, Ref) against placeholders. */
export function resolveCfnString(value: unknown, resources: CfnResources): string {
  if (typeof value === 'string') return value;
  const obj = value as Record<string, unknown>;
  if (obj && Array.isArray(obj['Fn::Join'])) {
    const [delimiter, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolveCfnString(p, resources)).join(delimiter);
  }
  if (obj && Array.isArray(obj['Fn::GetAtt'])) {
    const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
    const type = resources[logicalId]?.Type;
    if (type === 'AWS::Lambda::Function' && attribute === 'Arn') return placeholderFunctionArn(logicalId);
    throw new DefinitionResolutionError(`cannot resolve Fn::GetAtt ${logicalId}.${attribute} (resource type ${type ?? 'unknown'})`);
  }
  if (obj && typeof obj.Ref === 'string') {
    const pseudo = PSEUDO_PARAMETERS[obj.Ref];
    if (pseudo !== undefined) return pseudo;
    throw new DefinitionResolutionError(`cannot resolve Ref ${obj.Ref}`);
  }
  throw new DefinitionResolutionError(`cannot resolve ${JSON.stringify(value)}`);
}

interface AslState {
  Type: string;
  Parameters?: { FunctionName?: string };
  ItemProcessor?: AslMachine;
}
interface AslMachine {
  States: Record<string, AslState>;
}

/** Every state by name, the states of Map item processors included (state names are unique across a whole definition). */
function allStates(machine: AslMachine): Record<string, AslState> {
  const out: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    out[name] = state;
    if (state.ItemProcessor) Object.assign(out, allStates(state.ItemProcessor));
  }
  return out;
}

export interface TrainingDefinition {
  /** Plain ASL JSON (JSONPath) with placeholder ARNs. */
  definition: object;
  /** Task state name → Lambda entry file relative to the repository root. */
  taskFunctions: Record<string, string>;
}

/**
 * Synthesises the stack (bundling skipped, cdk-nag off: about 1 s once aws-cdk-lib is loaded) and returns the training
 * state machine's definition and the entry file behind each Task state (those inside Map states too). Each Task state's
 * FunctionName is checked against the function that the stack binds to that state.
 */
export function synthesizeTrainingDefinition(): TrainingDefinition {
  const { stack } = createRiskfnApp({ skipBundling: true, nag: false });
  const template = Template.fromStack(stack).toJSON() as { Resources: CfnResources };
  const machines = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new DefinitionResolutionError(`expected 1 state machine in the template, found ${machines.length}`);
  const [, machine] = machines[0]!;
  const definition = JSON.parse(resolveCfnString(machine.Properties?.DefinitionString, template.Resources)) as AslMachine;
  const states = allStates(definition);

  const taskFunctions: Record<string, string> = {};
  for (const [state, entry] of Object.entries(TRAINING_TASK_ENTRIES)) {
    const fn = stack.training.tasks[state as TrainingTaskState].function.node.defaultChild as CfnFunction;
    const expected = placeholderFunctionArn(stack.resolve(fn.logicalId) as string);
    const actual = states[state]?.Parameters?.FunctionName;
    if (actual !== expected) {
      throw new DefinitionResolutionError(`state ${state} invokes ${String(actual)}, expected ${expected} (${entry})`);
    }
    taskFunctions[state] = entry;
  }
  return { definition, taskFunctions };
}
