/**
 * WaitForApproval task (`lambda:invoke.waitForTaskToken`): stores the execution's task token on the
 * challenger's version item (status awaiting-approval), so `riskfn models approve VERSION` can send
 * it back with SendTaskSuccess; the execution waits until then (or until the approval timeout).
 * This Lambda returns at once; its return value is not the task's output (the approver's is).
 * A version someone approved before the workflow asked (while it was a candidate) resumes the
 * execution at once: this Lambda sends the token back itself, with the approval on record.
 */
import * as z from 'zod';
import { requireSection, TrainingStateSchema } from '../../lib/schemas/training-state.ts';
import { lambdaHandler } from '../kit/lambda-handler.ts';
import { awsTrainingDependencies, type TrainingDependencies } from './dependencies.ts';

export type RequestApprovalDependencies = Pick<TrainingDependencies, 'logger' | 'registry' | 'sendApproval'>;

const ApprovalRequestSchema = z.object({ taskToken: z.string().min(1), state: z.unknown() });

export function createRequestApprovalHandler(deps: RequestApprovalDependencies) {
  return lambdaHandler<unknown, { version: string; approvedAhead: boolean }>(deps.logger).handler(async (event) => {
    const { taskToken, state: raw } = ApprovalRequestSchema.parse(event);
    const state = TrainingStateSchema.parse(raw);
    const { version } = requireSection(state, 'challenger', 'WaitForApproval');
    const ahead = await deps.registry.recordApprovalRequest(version, taskToken);
    if (ahead) {
      // The output `riskfn models approve` sends.
      await deps.sendApproval(taskToken, { version, approver: ahead.approver, approvedAt: ahead.at });
      deps.logger.info('approved before the request: run resumed', { version, runId: state.runId, approver: ahead.approver });
    } else deps.logger.info('approval requested', { version, runId: state.runId });
    return { version, approvedAhead: ahead !== null };
  });
}

export const handler = createRequestApprovalHandler(awsTrainingDependencies());
