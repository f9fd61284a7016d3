/**
 * Runs the training state machine locally: the ASL definition is the one the CDK stack
 * synthesises (never a hand-kept copy), executed by aws-local-stepfunctions, with each
 * Task state bound to the same handler module the deployed Lambda runs. The binding
 * mimics `lambda:invoke` exactly: the task gets the state's Parameters (`{FunctionName,
 * Payload}`), the handler receives `Payload`, and the result comes back as `{Payload}` for
 * the definition's `OutputPath: $.Payload`.
 */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { synthesizeTrainingDefinition } from '../../infra/training-definition.ts';
import { createLambdaContext } from '../lambda-context.ts';
import { ensurePromiseWithResolvers } from './promise-with-resolvers.ts';

export interface WorkflowResult {
  status: 'SUCCEEDED' | 'FAILED';
  /** Final state output (SUCCEEDED) or undefined. */
  output?: Record<string, unknown>;
  /** Names of the states entered, in order (retries appear once per attempt). */
  path: string[];
  /** Error name and cause for FAILED executions. */
  error?: { name: string; cause: string };
  /** Every task failure seen (retried or caught), in order: the history a console would show. */
  taskErrors: { state: string; error: string; cause: string }[];
}

/** The task functions' timeout (the stack's, and the Lambda maximum). */
const TASK_TIMEOUT_MS = 900_000;

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface TrainingWorkflowRunner {
  run(input?: Record<string, unknown>): Promise<WorkflowResult>;
  definition: Record<string, unknown>;
}

/** Synthesises the stack once and prepares a runner that can execute it many times. */
export async function createTrainingWorkflowRunner(
  opts: { handlerOverrides?: Record<string, LambdaHandler>; repoRoot?: string } = {},
): Promise<TrainingWorkflowRunner> {
  ensurePromiseWithResolvers();
  const { definition, taskFunctions } = synthesizeTrainingDefinition();
  const root = opts.repoRoot ?? process.cwd();
  const handlers: Record<string, LambdaHandler> = {};
  for (const [state, entry] of Object.entries(taskFunctions)) {
    handlers[state] = opts.handlerOverrides?.[state] ?? ((await import(pathToFileURL(resolve(root, entry)).href)) as { handler: LambdaHandler }).handler;
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });

  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (input: { Payload?: unknown }) => ({
        StatusCode: 200,
        Payload: await handler(input?.Payload ?? input, createLambdaContext({ functionName: `riskfn-local-${state}`, timeoutMs: TASK_TIMEOUT_MS })),
      }),
    ]),
  );
  // Retries wait for real in AWS; locally a failure should surface at once.
  const retryIntervalOverrides = Object.fromEntries(Object.keys(handlers).map((s) => [s, 0]));

  return {
    definition: definition as Record<string, unknown>,
    async run(input = {}) {
      const execution = machine.run(input as never, { overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, retryIntervalOverrides } });
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
