import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';

test('names, ARN and log group follow the function name, region and account', () => {
  const c = createLambdaContext({ functionName: 'riskfn-ingest', timeoutMs: 60_000, memoryMb: 512, region: 'eu-west-1', account: '123456789012' });
  assert.equal(c.functionName, 'riskfn-ingest');
  assert.equal(c.invokedFunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:riskfn-ingest');
  assert.equal(c.memoryLimitInMB, '512');
  assert.equal(c.logGroupName, '/aws/lambda/riskfn-ingest');
  assert.equal(c.logStreamName, `local/[$LATEST]${c.awsRequestId.replaceAll('-', '')}`);
});

test("defaults to the emulators' region and account and 1024 MB", () => {
  const c = createLambdaContext({ functionName: 'f', timeoutMs: 1000 });
  assert.equal(c.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:f');
  assert.equal(c.memoryLimitInMB, '1024');
});

test('every invocation gets its own request id and a countdown from the timeout', async () => {
  const a = createLambdaContext({ functionName: 'f', timeoutMs: 200 });
  const b = createLambdaContext({ functionName: 'f', timeoutMs: 200 });
  assert.notEqual(a.awsRequestId, b.awsRequestId);
  assert.match(a.awsRequestId, /^[0-9a-f-]{36}$/);
  const first = a.getRemainingTimeInMillis();
  assert.ok(first <= 200 && first > 100, String(first));
  await new Promise((r) => setTimeout(r, 30));
  assert.ok(a.getRemainingTimeInMillis() <= first - 25);
  assert.equal(createLambdaContext({ functionName: 'f', timeoutMs: 0 }).getRemainingTimeInMillis(), 0);
});

test('callback-style completion is refused: handlers return promises', () => {
  const c = createLambdaContext({ functionName: 'f', timeoutMs: 1000 });
  assert.throws(() => c.succeed('done'), /return a promise/);
  assert.throws(() => c.done(), /return a promise/);
});
