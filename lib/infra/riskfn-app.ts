/**
 * Builds the CDK App with the riskfn stack, the shared feature flags and (optionally) cdk-nag's
 * AwsSolutions pack registered as a CDK validation plugin (cdk-nag 3: a finding fails the synth).
 * Used by bin/app.ts, the infra tests and synthesizeTrainingDefinition().
 */
import { createRequire } from 'node:module';
import { App, type Environment, Validations } from 'aws-cdk-lib';
import type * as CdkNag from 'cdk-nag';
import { FEATURE_FLAGS, SKIP_BUNDLING_CONTEXT } from './feature-flags.ts';
import { RiskfnStack } from './riskfn-stack.ts';

/** Construct id (and CloudFormation stack name) of the stack. */
const STACK_ID = 'RiskfnStack';

export interface RiskfnAppOptions {
  /** Skip esbuild bundling (in-process synths: tests, the local runner). Default false. */
  readonly skipBundling?: boolean;
  /** Register cdk-nag AwsSolutions checks on the App. Default true. */
  readonly nag?: boolean;
  /** Target account/region; default environment-agnostic. */
  readonly env?: Environment;
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation plugin (WebAssembly rule engine, ~9 s of CPU on
   * first use). Default false: cdk-nag covers the security rules; `cdk synth` may turn it on.
   */
  readonly builtinCloudFormationValidation?: boolean;
}

export function createRiskfnApp(options: RiskfnAppOptions = {}): { app: App; stack: RiskfnStack } {
  const app = new App({
    builtinCloudFormationValidation: options.builtinCloudFormationValidation ?? false,
    context: { ...FEATURE_FLAGS, ...(options.skipBundling ? SKIP_BUNDLING_CONTEXT : {}) },
  });
  const stack = new RiskfnStack(app, STACK_ID, { env: options.env });
  if (options.nag ?? true) {
    // Loaded only when wanted: cdk-nag pulls in every rule pack (~1 s), which in-process synths skip.
    const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof CdkNag;
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack };
}
