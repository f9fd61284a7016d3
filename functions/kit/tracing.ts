/**
 * X-Ray tracing of a riskfn Lambda with Powertools Tracer: a subsegment per invocation (the
 * kit's middleware, see ./lambda-handler.ts) and one per AWS SDK call (every client the adapters
 * build is captured through `instrumentClients`).
 *
 * The tracer is loaded only where it traces: inside Lambda (the runtime sets `AWS_EXECUTION_ENV`;
 * SAM local sets `AWS_SAM_LOCAL`) and unless `POWERTOOLS_TRACE_ENABLED=false` — the rule
 * Powertools applies itself. It is checked before the import, not left to Powertools, because
 * loading the X-Ray SDK installs an async hook (cls-hooked) that costs every promise of the
 * process: the local stack, the CLI and the tests never load it. The stack turns on active
 * tracing for every function, so the deployed functions always have a trace to add to.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { instrumentClients } from '../../lib/adapters/clients.ts';

/** Whether a process with this environment traces (see the module comment). */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  if (env.AWS_SAM_LOCAL) return false;
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return executionEnv !== '' && executionEnv !== 'AWS_Lambda_amplify-mock';
}

async function startTracer(): Promise<Tracer> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  // Every outbound call is an SDK call, captured with its service and operation below; patching
  // Node's http/https as well would only add a second, anonymous subsegment per call.
  const tracer = new Tracer({ captureHTTPsRequests: false });
  instrumentClients((client) => tracer.captureAWSv3Client(client));
  return tracer;
}

/** The container's tracer, or undefined where nothing is traced (local stack, CLI, tests). */
export const tracer: Tracer | undefined = tracingWanted() ? await startTracer() : undefined;
