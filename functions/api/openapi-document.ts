/**
 * The OpenAPI 3.1 document of the risk API, generated from the route table
 * (lib/schemas/api-routes.ts) and its zod schemas (components are the schemas' `.meta({ id })`
 * names). scripts/generate-openapi.ts writes it to docs/openapi.json; a unit test keeps the
 * committed file equal to this function's output, and `GET /v1/openapi.json` serves it.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { LIBRARY_VERSIONS } from '../../lib/domain/model/versions.ts';
import { API_ROUTES, type ApiRouteSpec, pathParameterNames } from '../../lib/schemas/api-routes.ts';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsSchema } from '../../lib/schemas/problem-details.ts';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, REPLAY_HEADER } from './idempotency.ts';

/** What a problem status means on any route; a route's `problemNotes` say it more precisely. */
const PROBLEM_MEANINGS: Readonly<Record<number, string>> = {
  400: 'The body or a parameter is not valid, or exceeds a documented limit; `errors` names each bad field.',
  404: 'Unknown route, or the thing named in the path or body does not exist.',
  405: 'The path exists but not for this method; `Allow` lists the methods it accepts.',
  409: 'The request id was answered before and the first answer cannot be returned, or the first request with this `Idempotency-Key` is still running (retry after `Retry-After` seconds).',
  413: 'The body is larger than the limit (1 MiB on the local server, 10 MB on API Gateway).',
  415: 'The body is not declared as `application/json`.',
  422: 'The request is valid but cannot be answered as asked (the detail says why), or its `Idempotency-Key` was used with another body.',
  500: 'Unexpected error; the body names no internals. Quote `requestId` when reporting it.',
  503: 'A dependency is not ready (e.g. no champion model has been promoted yet).',
};

/** Statuses every POST route may answer because of its `Idempotency-Key` (in progress, reused). */
const IDEMPOTENCY_PROBLEMS = [409, 422];

/** The optional idempotency header of POST routes (see docs/api.md, "Idempotency"). */
const IdempotencyHeadersSchema = z.object({
  [IDEMPOTENCY_KEY_HEADER]: z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    .optional()
    .meta({
      description:
        'Makes retries safe: a retry with the same key and body (same caller, method and path) within 24 hours gets the stored answer ' +
        'instead of running again; the same key with another body is a 422. A UUID per logical request is a good key.',
      example: '3f1c9a52-8d0e-4c59-9b1e-2a7f6d0c4e11',
    }),
});

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemDetailsSchema } } });

function routeConfig(route: ApiRouteSpec): RouteConfig {
  const params = pathParameterNames(route.path);
  const isPost = route.method === 'POST';
  const request: RouteConfig['request'] = {
    ...(params.length > 0 ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
    ...(route.querySchema ? { query: route.querySchema } : {}),
    ...(isPost ? { headers: IdempotencyHeadersSchema } : {}),
    ...(route.requestSchema ? { body: { required: true, content: { 'application/json': { schema: route.requestSchema } } } } : {}),
  };
  const statuses = [...new Set([...route.problems, ...(isPost ? IDEMPOTENCY_PROBLEMS : [])])].sort((a, b) => a - b);
  const problems = Object.fromEntries(
    statuses.map((status) => [status, problem(route.problemNotes?.[status] ?? PROBLEM_MEANINGS[status] ?? `Problem ${status}.`)]),
  );
  return {
    method: route.method === 'GET' ? 'get' : 'post',
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(Object.keys(request).length > 0 ? { request } : {}),
    responses: {
      200: {
        description: route.htmlPage ? 'The answer: an HTML page (`text/html`), or with `?format=json` the JSON document.' : 'The answer.',
        ...(isPost
          ? {
              headers: {
                [REPLAY_HEADER]: {
                  description: '`true` when the answer is the stored answer of an earlier request with the same `Idempotency-Key`.',
                  schema: { type: 'string', enum: ['true'] },
                },
              },
            }
          : {}),
        content: route.htmlPage
          ? { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: route.responseSchema } }
          : { 'application/json': { schema: route.responseSchema } },
      },
      ...problems,
    },
  };
}

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  for (const route of API_ROUTES) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'riskfn risk API',
      version: LIBRARY_VERSIONS.riskfn,
      description: 'Investment-risk scoring, models and the audit trail. Every answer, refusals included, is audited. Errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: 'http://localhost:3000', description: 'local server (npm start)' }],
  });
}
