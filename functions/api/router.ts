/**
 * Routing with @middy/http-router over the route table (lib/schemas/api-routes.ts), plus the
 * 404/405 split it does not make itself: a path that matches a route of another method is 405
 * with `Allow`, any other path 404.
 */
import httpRouter, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_ROUTES } from '../../lib/schemas/api-routes.ts';
import type { ApiDependencies } from './dependencies.ts';
import { HttpError } from './errors.ts';
import { ROUTE_FACTORIES } from './routes/index.ts';

type ApiRoute = Route<APIGatewayProxyEvent, APIGatewayProxyResult>;

const trimSlash = (p: string): string => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Whether a request path matches a path template (`{name}` matches one non-empty segment). */
export function matchesTemplate(template: string, path: string): boolean {
  const pattern = trimSlash(template)
    .split(/(\{[^/{}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${pattern}$`).test(trimSlash(path));
}

/** The routes of the table with their handlers built from `deps`. */
export function apiRoutes(deps: ApiDependencies): ApiRoute[] {
  return API_ROUTES.map((r) => ({ method: r.method, path: r.path, handler: ROUTE_FACTORIES[r.operationId](deps) }));
}

export function router(routes: ApiRoute[]) {
  return httpRouter<APIGatewayProxyEvent, APIGatewayProxyResult>({
    routes,
    notFoundResponse: ({ method, path }) => {
      const allowed = routes.filter((r) => matchesTemplate(r.path, path)).map((r) => r.method as Method);
      if (allowed.length > 0) {
        const allow = [...new Set(allowed)].sort().join(', ');
        throw new HttpError(405, `${path} does not accept ${method}; allowed: ${allow}`, { headers: { Allow: allow } });
      }
      throw new HttpError(404, `no route for ${method} ${path}`);
    },
  });
}
