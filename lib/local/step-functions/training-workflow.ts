/**
 * Runs the training state machine locally: the ASL definition is the one the CDK stack
 * synthesises (never a hand-kept copy), executed by aws-local-stepfunctions, with each
 * Task state (those inside the Map states too) bound to the same handler module the deployed
 * Lambda runs. The binding mimics `lambda:invoke` exactly: the task gets the state's Parameters
 * (`{FunctionName, Payload}`), the handler receives `Payload`, and the result comes back as
 * `{Payload}` for the definition's `OutputPath: $.Payload`. Map states run their items
 * concurrently up to the definition's MaxConcurrency, as in AWS.
 *
 * What differs from AWS:
 * - aws-local-stepfunctions does not implement `.waitForTaskToken` (it invokes the function and
 *   takes its return value as the result) nor `$$.Task.Token`. The runner puts a made-up token
 *   (prefix LOCAL_TASK_TOKEN_PREFIX) in the execution context and binds the WaitForApproval state
 *   to an in-process task: it runs the request-approval handler (which stores the token in the
 *   registry, as in AWS), then waits until the version is approved in the registry (what
 *   `riskfn models approve` does; it cannot send a local token anywhere). Its result is the
 *   approval, as SendTaskSuccess's output would be.
 * - Retries happen at once (no interval), so a failure surfaces without waiting.
 */

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { dynamoModelRegistry, type ModelRegistry } from '../../adapters/dynamodb/model-registry.ts';
import { LOCAL_TASK_TOKEN_PREFIX } from '../../adapters/stepfunctions/task-tokens.ts';
import { synthesizeTrainingDefinition } from '../../infra/training-definition.ts';
import { WORKFLOW_STATES } from '../../infra/training-workflow.ts';
import { createLambdaContext } from '../lambda-context.ts';
import { ensurePromiseWithResolvers } from './promise-with-resolvers.ts';

export interface WorkflowResult {
  status: 'SUCCEEDED' | 'FAILED';
  /** Final state output (SUCCEEDED) or undefined. */
  output?: Record<string, unknown>;
  /** Names of the states entered, in order (retries appear once per attempt; a Map's item states once per item). */
  path: string[];
  /** Error name and cause for FAILED executions. */
  error?: { name: string; cause: string };
  /** Every task failure seen (retried or caught), in order: the history a console would show. */
  taskErrors: { state: string; error: string; cause: string }[];
}

/** The task functions' timeout (the stack's, and the Lambda maximum). */
const TASK_TIMEOUT_MS = 900_000;
/** How often a waiting approval looks at the registry. */
const APPROVAL_POLL_MS = 200;

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface TrainingWorkflowRunner {
  run(input?: Record<string, unknown>): Promise<WorkflowResult>;
  definition: Record<string, unknown>;
}

/** Synthesises the stack once and prepares a runner that can execute it many times. */
export async function createTrainingWorkflowRunner(
  opts: {
    handlerOverrides?: Record<string, LambdaHandler>;
    repoRoot?: string;
    /** Where a waiting approval looks for the version's approval (default: the DynamoDB registry the environment points at). */
    registry?: Pick<ModelRegistry, 'getModelVersion'>;
  } = {},
): Promise<TrainingWorkflowRunner> {
  ensurePromiseWithResolvers();
  const { definition, taskFunctions } = synthesizeTrainingDefinition();
  const root = opts.repoRoot ?? process.cwd();
  const handlers: Record<string, LambdaHandler> = {};
  for (const [state, entry] of Object.entries(taskFunctions)) {
    handlers[state] = opts.handlerOverrides?.[state] ?? ((await import(pathToFileURL(resolve(root, entry)).href)) as { handler: LambdaHandler }).handler;
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const registry = () => opts.registry ?? dynamoModelRegistry();

  const invoke = (state: string, payload: unknown) =>
    handlers[state](payload, createLambdaContext({ functionName: `riskfn-local-${state}`, timeoutMs: TASK_TIMEOUT_MS }));

  /**
   * The WaitForApproval task: record the request, then wait until the version is approved in the
   * registry, and resume with the output `riskfn models approve` sends in AWS: `{version, approver, approvedAt}`.
   */
  const waitForApproval = async (input: { Payload?: { taskToken: string } }) => {
    if (!input.Payload?.taskToken) throw new Error('WaitForApproval: no task token in the payload');
    const { version } = (await invoke(WORKFLOW_STATES.waitForApproval, input.Payload)) as { version: string };
    for (;;) {
      const record = await registry().getModelVersion(version);
      if (record?.status === 'approved' && record.approval) return { version, approver: record.approval.approver, approvedAt: record.approval.at };
      await sleep(APPROVAL_POLL_MS);
    }
  };

  const taskResourceLocalHandlers = Object.fromEntries(
    Object.keys(handlers).map((state) => [
      state,
      state === WORKFLOW_STATES.waitForApproval
        ? waitForApproval
        : async (input: { Payload?: unknown }) => ({ StatusCode: 200, Payload: await invoke(state, input?.Payload ?? input) }),
    ]),
  );
  // Retries wait for real in AWS; locally a failure should surface at once.
  const retryIntervalOverrides = Object.fromEntries(Object.keys(handlers).map((s) => [s, 0]));

  return {
    definition: definition as Record<string, unknown>,
    async run(input = {}) {
      // The one task token of this execution (`$$.Task.Token`; only WaitForApproval reads it).
      const context = { Task: { Token: `${LOCAL_TASK_TOKEN_PREFIX}${randomUUID()}` } };
      const execution = machine.run(input as never, {
        overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides },
        context: context as never,
      });
      const path: string[] = [];
      const taskErrors: WorkflowResult['taskErrors'] = [];
      type Event = { type: string; state?: { name: string; type?: string }; Error?: string; Cause?: string };
      const collect = (async () => {
        for await (const ev of execution.eventLogs as AsyncIterable<Event>) {
          if (ev.type === 'StateEntered' && ev.state) path.push(ev.state.name);
          if (ev.type === 'StateFailed' && ev.state && ev.state.type !== 'Fail') {
            taskErrors.push({ state: ev.state.name, error: ev.Error ?? 'Error', cause: String(ev.Cause ?? '') });
          }
        }
      })();
      try {
        const output = (await execution.result) as Record<string, unknown>;
        await collect;
        return { status: 'SUCCEEDED', output, path, taskErrors };
      } catch (err) {
        await collect.catch(() => undefined);
        if (!(err instanceof ExecutionError)) throw err;
        const cause = err.cause as { name?: string; message?: string; error?: string; cause?: string } | undefined;
        return {
          status: 'FAILED',
          path,
          taskErrors,
          error: { name: cause?.error ?? cause?.name ?? 'Error', cause: cause?.cause ?? cause?.message ?? String(err) },
        };
      }
    },
  };
}
