/**
 * One in-process synth per test file (bundling skipped, cdk-nag not registered: the nag test runs
 * the pack itself), shared by all assertions in that file.
 */

import type { CfnElement } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from '../../../lib/infra/nag-acknowledgements.ts';
import { createRiskfnApp } from '../../../lib/infra/riskfn-app.ts';
import type { RiskfnStack } from '../../../lib/infra/riskfn-stack.ts';

let cached: { stack: RiskfnStack; template: Template; app: ReturnType<typeof createRiskfnApp>['app'] } | undefined;

export function synthOnce(): NonNullable<typeof cached> {
  if (!cached) {
    const { app, stack } = createRiskfnApp({ skipBundling: true, nag: false });
    cached = { app, stack, template: Template.fromStack(stack) };
  }
  return cached;
}

/** Logical id of an L2 construct's CloudFormation resource (or of a CfnElement itself). */
export function logicalId(construct: IConstruct): string {
  const el = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(el.logicalId) as string;
}

/** One allowed action on one resource (flattened like cdk-nag: `<Id.Arn>/prefix/*`), with its condition. */
export interface Grant {
  action: string;
  resource: string;
  condition?: unknown;
}

/** Every Allow (action, resource) pair in the IAM policies attached to the role with this logical id. */
export function grantsOfRole(template: Template, roleLogicalId: string): Grant[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const grants: Grant[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    if (!roles.includes(roleLogicalId)) continue;
    for (const st of policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]) {
      if (st.Effect !== 'Allow') continue;
      const actions = ([] as string[]).concat(st.Action as string | string[]);
      const resources = ([] as unknown[]).concat(st.Resource);
      for (const action of actions) {
        for (const resource of resources) {
          grants.push({ action, resource: flattenCfnReference(resource), ...(st.Condition ? { condition: st.Condition } : {}) });
        }
      }
    }
  }
  return grants;
}
