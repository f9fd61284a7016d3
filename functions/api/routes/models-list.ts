/** `GET /v1/models?limit=&cursor=&status=`: registry versions, newest first, a page at a time. */
import { InvalidCursorError } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { MODEL_LIST_LIMITS, ModelListQuerySchema, type ModelListResponse } from '../../../lib/schemas/model-registry-entry.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { InvalidRequestError } from '../errors.ts';
import { parseQuery } from '../parse-query.ts';
import { jsonResponse } from '../responses.ts';
import { versionSummary } from './models-entry.ts';
import type { RouteHandler } from './route-handler.ts';

export function modelsListRoute(deps: ApiDependencies): RouteHandler {
  return async (event) => {
    const query = parseQuery(ModelListQuerySchema, event);
    try {
      const page = await deps.registry.listModelVersions({ limit: query.limit ?? MODEL_LIST_LIMITS.default, cursor: query.cursor, status: query.status });
      const body: ModelListResponse = { items: page.items.map(versionSummary), nextCursor: page.nextCursor };
      return jsonResponse(200, body);
    } catch (err) {
      if (err instanceof InvalidCursorError) {
        throw new InvalidRequestError('the cursor is not one this listing issued', [{ path: '/cursor', message: err.message }], { cause: err });
      }
      throw err;
    }
  };
}
