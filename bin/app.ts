/**
 * The CDK app (cdk.json: `npx tsx bin/app.ts`). `cdk synth` runs cdk-nag's AwsSolutions checks as a
 * validation plugin: an unacknowledged finding prints a report and makes synth exit non-zero.
 * Target account/region come from the CLI profile (CDK_DEFAULT_ACCOUNT/REGION) when present.
 * RISKFN_CFN_VALIDATION=true also runs aws-cdk-lib's built-in CloudFormation rules (slower; off by default).
 */
import { createRiskfnApp } from '../lib/infra/riskfn-app.ts';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const { app } = createRiskfnApp({
  env: account && region ? { account, region } : undefined,
  builtinCloudFormationValidation: process.env.RISKFN_CFN_VALIDATION === 'true',
});
app.synth();
