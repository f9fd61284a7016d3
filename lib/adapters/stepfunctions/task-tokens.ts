/**
 * Resuming a training workflow execution that waits on a callback task token (the WaitForApproval
 * state): SendTaskSuccess with the approver's output, which becomes the state's result
 * (`$.approval`). The caller needs `states:SendTaskSuccess` on the state machine.
 *
 * Tokens the local runner issues (prefix {@link LOCAL_TASK_TOKEN_PREFIX}) are not sent anywhere:
 * there is no Step Functions endpoint locally, and the local runner resumes by itself once the
 * version's approval is in the registry.
 */
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { instrumented } from '../clients.ts';

/** Prefix of the task tokens the local Step Functions runner makes up. */
export const LOCAL_TASK_TOKEN_PREFIX = 'riskfn-local-task-token:';

let client: SFNClient | undefined;

/**
 * Completes the waiting task of `token` with `output` (serialised as JSON; at most 256 KiB).
 * Resolves to false for a local runner's token (nothing sent), true once Step Functions accepted it.
 * Rejects with the SDK's error otherwise (e.g. TaskTimedOut, InvalidToken: the run no longer waits).
 */
export async function sendApproval(token: string, output: Record<string, unknown>): Promise<boolean> {
  if (token.startsWith(LOCAL_TASK_TOKEN_PREFIX)) return false;
  client ??= instrumented(new SFNClient({}));
  await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  return true;
}
