/**
 * The API's CloudWatch metrics, one EMF document per request with the dimension `route` (the
 * route's operationId, `unmatched` for a path no route has): `requests` (1), `latency` (ms, from
 * the chain's start to the final answer), `clientErrors` and `serverErrors` (1 or 0, so their
 * average is the 4xx and 5xx rate). A scoring answer adds one document with the dimension
 * `modelVersion` (the champion that answered): `modelAnswers` (1).
 * Register it first after the kit: middy runs `after` and `onError` hooks last-registered
 * first, so this one sees the answer the client gets (audited, or turned into a problem).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { API_ROUTES } from '../../lib/schemas/api-routes.ts';
import type { MetricsEmitter } from '../kit/metrics.ts';
import { matchesTemplate } from './router.ts';

/** The `route` dimension of a request that matched no route (404, 405). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The operationId of the route a request is for: by API Gateway's resource template when it is
 * a route's path, else by matching the path against the templates (the local server sends a
 * proxy resource). Literal paths win over templates (`/v1/models/champion` before `{version}`).
 */
export function routeNameOf(event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'path' | 'resource'>): string {
  const routes = API_ROUTES.filter((r) => r.method === event.httpMethod);
  const byResource = routes.find((r) => r.path === event.resource);
  if (byResource) return byResource.operationId;
  const matching = routes.filter((r) => matchesTemplate(r.path, event.path ?? ''));
  const literal = matching.find((r) => !r.path.includes('{'));
  return (literal ?? matching[0])?.operationId ?? UNMATCHED_ROUTE;
}

/** The champion version a 2xx JSON answer names in `model.version`, if any. */
function answeringModel(response: APIGatewayProxyResult): string | undefined {
  if (response.statusCode >= 300 || !response.body?.includes('"model"')) return undefined;
  try {
    const version = (JSON.parse(response.body) as { model?: { version?: unknown } | null }).model?.version;
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}

type ApiRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

export function requestMetrics(
  emitter: MetricsEmitter | undefined,
  clock: () => number = () => performance.now(),
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const started = new WeakMap<ApiRequest, number>();
  const record = (request: ApiRequest) => {
    if (!emitter) return;
    const status = request.response?.statusCode ?? 500;
    const latency = clock() - (started.get(request) ?? clock());
    emitter.emit(
      [
        { name: 'requests', unit: MetricUnit.Count, value: 1 },
        { name: 'latency', unit: MetricUnit.Milliseconds, value: latency },
        { name: 'clientErrors', unit: MetricUnit.Count, value: status >= 400 && status < 500 ? 1 : 0 },
        { name: 'serverErrors', unit: MetricUnit.Count, value: status >= 500 ? 1 : 0 },
      ],
      { route: routeNameOf(request.event) },
    );
    const version = request.response ? answeringModel(request.response) : undefined;
    if (version) emitter.emit([{ name: 'modelAnswers', unit: MetricUnit.Count, value: 1 }], { modelVersion: version });
  };
  return {
    before: (request) => {
      started.set(request, clock());
    },
    after: record,
    onError: record,
  };
}
