/**
 * Routing with @middy/http-router, plus the 404/405 split it does not make itself: a path that
 * exists for other methods is 405 with `Allow`, any other path 404.
 */
import httpRouter, { type Method, type Route } from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from './errors.ts';

export type ApiRoute = Route<APIGatewayProxyEvent, APIGatewayProxyResult>;

const trimSlash = (p: string): string => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

export function router(routes: ApiRoute[]) {
  return httpRouter<APIGatewayProxyEvent, APIGatewayProxyResult>({
    routes,
    notFoundResponse: ({ method, path }) => {
      const allowed = routes.filter((r) => trimSlash(r.path) === trimSlash(path)).map((r) => r.method as Method);
      if (allowed.length > 0) {
        const allow = [...new Set(allowed)].sort().join(', ');
        throw new HttpError(405, `${path} does not accept ${method}; allowed: ${allow}`, { headers: { Allow: allow } });
      }
      throw new HttpError(404, `no route for ${method} ${path}`);
    },
  });
}
