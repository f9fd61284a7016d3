/**
 * Local stand-in for API Gateway (REST API, Lambda proxy integration): a node:http server that
 * turns each request on localhost into an `APIGatewayProxyEvent` (payload format 1.0, resource
 * `/{proxy+}`, stage `local`) plus a Lambda `Context`, calls the same handler the Lambda runs,
 * and writes its `statusCode`/`headers`/`multiValueHeaders`/`body` back.
 *
 * What it does like API Gateway:
 * - header names keep the client's casing in `headers` (last value wins) and `multiValueHeaders`;
 * - `queryStringParameters`/`multiValueQueryStringParameters`/`pathParameters`/`body` are `null`
 *   when empty; textual bodies arrive as UTF-8 text, other media types base64 with
 *   `isBase64Encoded: true`;
 * - `requestContext.requestId` is a fresh UUID per request (different from the Lambda
 *   `awsRequestId`, as in AWS);
 * - a handler that throws or returns no status gives 502 `{"message":"Internal server error"}`.
 * - `requestContext.identity` carries the caller as IAM authorisation would: `sourceIp` from the
 *   socket, `userAgent` from the `User-Agent` header, and `userArn` (with its `accountId`) from the
 *   local-only header {@link LOCAL_PRINCIPAL_HEADER}, which stands in for a SigV4 signature;
 * - a body over API Gateway's own limit (10 MB) is answered 413 here, without invoking the handler,
 *   as API Gateway answers it (so without an audit item); smaller bodies reach the handler, which
 *   applies the API's own, lower limit and audits its refusal.
 * What differs: no authorisation, throttling or timeout is applied. Binds to 127.0.0.1 unless told otherwise.
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult | undefined>;

export interface ApiServerOptions {
  handler: ProxyHandler;
  /** 0 = a free port chosen by the OS. Default 3000. */
  port?: number;
  /** Default 127.0.0.1 (local only). */
  host?: string;
  /** Largest request body passed to the handler, in bytes; default 10 MB (API Gateway's limit). */
  maxBodyBytes?: number;
  /** Stage name placed in `requestContext`; default `local`. */
  stage?: string;
  /** Lambda function name placed in the context; default `riskfn-api-local`. */
  functionName?: string;
  /** Simulated Lambda timeout for `getRemainingTimeInMillis`; default 29 000 ms (API Gateway's limit). */
  timeoutMs?: number;
}

export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  close(): Promise<void>;
}

/** API Gateway's payload limit (10 MB); the handler's own limit is lower (REQUEST_LIMITS.bodyBytes). */
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Local-only header naming the caller's IAM principal ARN (e.g. `arn:aws:iam::123456789012:user/alice`):
 * the server puts it in `requestContext.identity.userArn` (and the ARN's account in `accountId`),
 * where API Gateway puts the SigV4 signer's. API Gateway ignores it; it proves nothing locally either.
 */
const LOCAL_PRINCIPAL_HEADER = 'x-riskfn-principal';

/** The account field of an ARN (`arn:partition:service:region:account:resource`), or null. */
const arnAccount = (arn: string): string | null => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? null;

/** Thrown (inside the server) when a body exceeds the limit. */
class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

const TEXT_TYPES = /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded|javascript)\b)/i;

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { handler, port = 3000, host = '127.0.0.1', maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = opts;
  const server = createServer((req, res) => {
    serve(req, res, opts, maxBodyBytes).catch((err) => {
      // Last resort: the response could not even be written.
      if (!res.headersSent) writeJson(res, 502, { message: 'Internal server error' });
      else res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };

  async function serve(req: IncomingMessage, res: ServerResponse, o: ApiServerOptions, limit: number): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (err instanceof PayloadTooLargeError) {
        res.setHeader('Connection', 'close');
        writeJson(
          res,
          413,
          {
            type: 'about:blank',
            title: 'Payload Too Large',
            status: 413,
            detail: err.message,
            instance: new URL(req.url ?? '/', 'http://localhost').pathname,
          },
          'application/problem+json',
        );
        req.resume();
        return;
      }
      throw err;
    }
    const event = toProxyEvent(req, body, o.stage ?? 'local');
    const context = createLambdaContext({ functionName: o.functionName ?? 'riskfn-api-local', timeoutMs: o.timeoutMs ?? 29_000 });
    let result: APIGatewayProxyResult | undefined;
    try {
      result = await handler(event, context);
    } catch {
      // API Gateway answers a failed Lambda invocation this way, without details.
      writeJson(res, 502, { message: 'Internal server error' });
      return;
    }
    if (!result || typeof result.statusCode !== 'number') {
      writeJson(res, 502, { message: 'Internal server error' });
      return;
    }
    writeResult(res, result);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Builds the REST API (v1) proxy event API Gateway would deliver for this request. */
function toProxyEvent(req: IncomingMessage, body: Buffer, stage: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const hasQuery = Object.keys(query).length > 0;
  const path = url.pathname;
  const contentType = req.headers['content-type'] ?? '';
  const textual = contentType === '' || TEXT_TYPES.test(contentType);
  const now = Date.now();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const principal = req.headers[LOCAL_PRINCIPAL_HEADER];
  const userArn = typeof principal === 'string' && principal !== '' ? principal : null;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: path.length > 1 ? { proxy: path.slice(1) } : null,
    stageVariables: null,
    body: body.length === 0 ? null : textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !textual,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: req.method ?? 'GET',
      path: `/${stage}${path}`,
      stage,
      requestId: randomUUID(),
      extendedRequestId: randomUUID(),
      requestTimeEpoch: now,
      requestTime: new Date(now).toUTCString(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      domainName: req.headers.host ?? 'localhost',
      identity: {
        accessKey: null,
        accountId: userArn ? arnAccount(userArn) : null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn,
      },
    },
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult): void {
  for (const [name, value] of Object.entries(result.multiValueHeaders ?? {})) {
    res.setHeader(name, value.map(String));
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    res.setHeader(name, String(value));
  }
  const body = result.body ?? '';
  res.statusCode = result.statusCode;
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function writeJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.end(JSON.stringify(body));
}
