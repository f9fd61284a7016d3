import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { type ApiServer, type ProxyHandler, startApiServer } from '../../../lib/local/api-server.ts';

/** Records what the handler received and answers with whatever `reply` says. */
function recorder() {
  const seen: Array<{ event: APIGatewayProxyEvent; context: Context }> = [];
  let reply: ProxyHandler = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
  const handler: ProxyHandler = async (event, context) => {
    seen.push({ event, context });
    return reply(event, context);
  };
  return { seen, handler, setReply: (r: ProxyHandler) => (reply = r) };
}

describe('local API server', () => {
  const rec = recorder();
  let server: ApiServer;
  before(async () => {
    server = await startApiServer({ handler: rec.handler, port: 0, maxBodyBytes: 1024 });
  });
  after(() => server.close());

  test('binds to 127.0.0.1 on the port asked for (0 = any free one)', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('delivers a REST API v1 proxy event and writes the handler result back', async () => {
    const res = await fetch(`${server.url}/v1/risk/instrument?x=1&x=2&y=3`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'abc' },
      body: '{"symbol":"DAX"}',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { ok: true });
    const { event, context } = rec.seen.at(-1)!;
    assert.equal(event.resource, '/{proxy+}');
    assert.equal(event.path, '/v1/risk/instrument');
    assert.equal(event.httpMethod, 'POST');
    assert.deepEqual(event.pathParameters, { proxy: 'v1/risk/instrument' });
    assert.equal(event.body, '{"symbol":"DAX"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.headers['X-Custom'], 'abc', 'header names keep their casing');
    assert.deepEqual(event.multiValueHeaders['X-Custom'], ['abc']);
    assert.deepEqual(event.queryStringParameters, { x: '2', y: '3' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'], y: ['3'] });
    assert.equal(event.requestContext.stage, 'local');
    assert.equal(event.requestContext.path, '/local/v1/risk/instrument');
    assert.equal(event.requestContext.httpMethod, 'POST');
    assert.equal(event.requestContext.resourcePath, '/{proxy+}');
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    assert.match(event.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.match(context.awsRequestId, /^[0-9a-f-]{36}$/);
    assert.notEqual(context.awsRequestId, event.requestContext.requestId);
    assert.equal(context.functionName, 'riskfn-api-local');
    assert.ok(context.getRemainingTimeInMillis() > 0 && context.getRemainingTimeInMillis() <= 29_000);
  });

  test('fills the caller identity: source IP from the socket, user agent from the header, principal and account from X-Riskfn-Principal', async () => {
    await fetch(`${server.url}/health`, { headers: { 'User-Agent': 'riskfn-test/1.0', 'X-Riskfn-Principal': 'arn:aws:iam::123456789012:user/alice' } });
    const identity = rec.seen.at(-1)!.event.requestContext.identity;
    assert.equal(identity.sourceIp, '127.0.0.1');
    assert.equal(identity.userAgent, 'riskfn-test/1.0');
    assert.equal(identity.userArn, 'arn:aws:iam::123456789012:user/alice');
    assert.equal(identity.accountId, '123456789012');
    await fetch(`${server.url}/health`, { headers: { 'User-Agent': 'x' } });
    const anonymous = rec.seen.at(-1)!.event.requestContext.identity;
    assert.equal(anonymous.userArn, null, 'no header, no principal');
    assert.equal(anonymous.accountId, null);
  });

  test('gives each request its own request id; empty parts are null', async () => {
    await fetch(`${server.url}/`);
    await fetch(`${server.url}/`);
    const [a, b] = rec.seen.slice(-2).map((s) => s.event);
    assert.notEqual(a.requestContext.requestId, b.requestContext.requestId);
    assert.equal(a.body, null);
    assert.equal(a.queryStringParameters, null);
    assert.equal(a.pathParameters, null);
    assert.equal(a.httpMethod, 'GET');
  });

  test('sends non-text bodies base64-encoded', async () => {
    await fetch(`${server.url}/bin`, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array([0, 255, 1]) });
    const { event } = rec.seen.at(-1)!;
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual([...Buffer.from(event.body!, 'base64')], [0, 255, 1]);
  });

  test('writes multi-value headers and base64 bodies from the result', async () => {
    rec.setReply(async () => ({
      statusCode: 201,
      headers: { 'X-One': '1' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: Buffer.from('hi').toString('base64'),
      isBase64Encoded: true,
    }));
    const res = await fetch(`${server.url}/x`);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-one'), '1');
    assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(await res.text(), 'hi');
  });

  test('answers 502 like API Gateway when the handler throws', async () => {
    rec.setReply(async () => {
      throw new Error('boom: secret internals');
    });
    const res = await fetch(`${server.url}/x`);
    assert.equal(res.status, 502);
    assert.deepEqual(await res.json(), { message: 'Internal server error' });
  });

  test('refuses a body over the limit with 413 problem+json, without calling the handler', async () => {
    const calls = rec.seen.length;
    const res = await fetch(`${server.url}/v1/risk/instrument`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(1025) });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const body = (await res.json()) as { status: number; instance: string };
    assert.equal(body.status, 413);
    assert.equal(body.instance, '/v1/risk/instrument');
    assert.equal(rec.seen.length, calls);
  });

  test('refuses a chunked body (no Content-Length) once it passes the limit', async () => {
    const calls = rec.seen.length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/risk/instrument`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write('y'.repeat(300));
      req.end();
    });
    assert.equal(status, 413);
    assert.equal(rec.seen.length, calls);
  });

  test('accepts a body exactly at the limit', async () => {
    rec.setReply(async (event) => ({ statusCode: 200, body: String(event.body?.length) }));
    const res = await fetch(`${server.url}/x`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(1024) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '1024');
  });
});
