/**
 * `GET /v1/openapi.json`: the OpenAPI document, built on the first request of a container and
 * served from memory afterwards (it depends only on the code).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { buildOpenApiDocument } from '../openapi-document.ts';
import type { RouteHandler } from './route-handler.ts';

export function openApiRoute(): RouteHandler {
  let body: string | undefined;
  return async (): Promise<APIGatewayProxyResult> => {
    body ??= JSON.stringify(buildOpenApiDocument());
    return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body };
  };
}
