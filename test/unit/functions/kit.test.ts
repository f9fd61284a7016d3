/** The handler kit: what every riskfn Lambda's log lines carry, and that nothing leaks between requests. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger } from '@aws-lambda-powertools/logger';
import { lambdaHandler } from '../../../functions/kit/lambda-handler.ts';
import { lambdaRuntime } from '../../../functions/kit/runtime.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';

/** The JSON lines the logger wrote to stdout while `fn` ran. */
async function captureLogs(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return lines
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('log lines carry the Lambda context, and keys added during a request are gone after it', async () => {
  const logger = new Logger({ serviceName: 'riskfn-kit-test', logLevel: 'INFO' });
  const handler = lambdaHandler<{ n: number }, number>(logger).handler(async (event) => {
    logger.appendKeys({ runId: `run-${event.n}` });
    logger.info('working');
    return event.n * 2;
  });
  const context = createLambdaContext({ functionName: 'riskfn-kit', timeoutMs: 1000 });
  let result = 0;
  const logs = await captureLogs(async () => {
    result = await handler({ n: 21 }, context);
    logger.info('between requests');
  });
  assert.equal(result, 42);
  assert.equal(logs[0]!.message, 'working');
  assert.equal(logs[0]!.function_name, 'riskfn-kit');
  assert.equal(logs[0]!.function_request_id, context.awsRequestId);
  assert.equal(logs[0]!.runId, 'run-21');
  assert.equal(logs[1]!.message, 'between requests');
  assert.equal(logs[1]!.runId, undefined);
});

test('lambdaRuntime names the logger from POWERTOOLS_SERVICE_NAME, else the fallback, and tells the time', async () => {
  const saved = process.env.POWERTOOLS_SERVICE_NAME;
  try {
    delete process.env.POWERTOOLS_SERVICE_NAME;
    const before = Date.now();
    const fallback = lambdaRuntime('riskfn-fallback');
    assert.ok(fallback.now().getTime() >= before);
    process.env.POWERTOOLS_SERVICE_NAME = 'riskfn-from-env';
    const named = lambdaRuntime('riskfn-fallback');
    for (const l of [fallback.logger, named.logger]) l.setLogLevel('INFO'); // whatever POWERTOOLS_LOG_LEVEL says
    const logs = await captureLogs(async () => {
      fallback.logger.info('a');
      named.logger.info('b');
    });
    assert.deepEqual(
      logs.map((l) => l.service),
      ['riskfn-fallback', 'riskfn-from-env'],
    );
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_SERVICE_NAME;
    else process.env.POWERTOOLS_SERVICE_NAME = saved;
  }
});
