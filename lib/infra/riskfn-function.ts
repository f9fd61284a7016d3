/**
 * A riskfn Lambda function with secure defaults: NodejsFunction bundled by the local esbuild (ESM,
 * no Docker), latest Node.js runtime, X-Ray tracing, Powertools environment, its own log group with
 * a retention, and its own role that may write only to that log group (no AWS-managed policy).
 */
import { join } from 'node:path';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import pkg from '../../package.json' with { type: 'json' };
import { gitCommit } from '../util/git-commit.ts';
import {
  DEFAULT_FUNCTION_SIZING,
  type FunctionSizing,
  LAMBDA_ARCHITECTURE,
  LAMBDA_BUNDLING,
  LAMBDA_LOG_RETENTION,
  LAMBDA_RUNTIME,
  LAMBDA_TRACING,
  powertoolsEnvironment,
} from './defaults/lambda-defaults.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import { PROJECT_ROOT } from './project-root.ts';

export interface RiskfnFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/ingest.ts`; it must export `handler`. */
  readonly entry: string;
  /** Powertools service name (logs and traces). */
  readonly serviceName: string;
  readonly description: string;
  /** Extra environment variables (merged over the Powertools ones). */
  readonly environment?: Record<string, string>;
  /** Memory and timeout; default DEFAULT_FUNCTION_SIZING. */
  readonly sizing?: FunctionSizing;
}

export class RiskfnFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Entry file relative to the repository root (the local runner binds this same file). */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: RiskfnFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = new LogGroup(this, 'LogGroup', { retention: LAMBDA_LOG_RETENTION });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName}: execution role`,
    });
    // Instead of AWSLambdaBasicExecutionRole (log actions on every log group): this log group only.
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      ...(props.sizing ?? DEFAULT_FUNCTION_SIZING),
      description: props.description,
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      tracing: LAMBDA_TRACING,
      role: this.role,
      logGroup: this.logGroup,
      bundling: { ...LAMBDA_BUNDLING, define: codeVersionDefines() },
      environment: { ...powertoolsEnvironment(props.serviceName), ...props.environment },
    });

    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords, which have no resource-level permissions.
    acknowledgeWildcardResources(
      this.role,
      ['*'],
      'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions; AWS documents Resource "*" for them.',
    );
  }
}

let defines: Record<string, string> | undefined;

/** The code version every bundle carries for the audit trail (lib/adapters/code-version.ts), as esbuild `define`s; git is read once per synth. */
function codeVersionDefines(): Record<string, string> {
  if (defines) return defines;
  const git = gitCommit(PROJECT_ROOT);
  defines = {
    'process.env.RISKFN_PACKAGE_VERSION': JSON.stringify(pkg.version),
    'process.env.RISKFN_GIT_COMMIT': JSON.stringify(git?.commit ?? ''),
    'process.env.RISKFN_GIT_DIRTY': JSON.stringify(String(git?.dirty ?? false)),
  };
  return defines;
}
