/**
 * The Lambda `Context` every local invocation gets (API server, Kinesis poller, Step
 * Functions runner, handler tests): the fields a handler or Powertools reads, with a fresh
 * request id per call and a remaining-time countdown from the function's timeout.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  functionName: string;
  /** The function's timeout in milliseconds; `getRemainingTimeInMillis` counts down from it. */
  timeoutMs: number;
  /** Default 1024. */
  memoryMb?: number;
  /** Region and account in the function ARN; default `us-east-1` and `000000000000` (what the emulators use). */
  region?: string;
  account?: string;
}

/** A context for one invocation. Callback-style completion (`done`/`fail`/`succeed`) throws: handlers return promises. */
export function createLambdaContext(opts: LambdaContextOptions): Context {
  const { functionName } = opts;
  const deadline = Date.now() + opts.timeoutMs;
  const awsRequestId = randomUUID();
  const unsupported = (): never => {
    throw new Error('callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${opts.region ?? 'us-east-1'}:${opts.account ?? '000000000000'}:function:${functionName}`,
    memoryLimitInMB: String(opts.memoryMb ?? 1024),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
