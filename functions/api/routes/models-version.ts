/** `GET /v1/models/{version}`: one registry version in full; 404 naming it when unknown. */
import type { ApiDependencies } from '../dependencies.ts';
import { jsonResponse } from '../responses.ts';
import { registryEntry, versionInPath } from './models-entry.ts';
import type { RouteHandler } from './route-handler.ts';

export function modelsVersionRoute(deps: ApiDependencies): RouteHandler {
  return async (event) => {
    const { record, champion } = await versionInPath(deps, event);
    return jsonResponse(200, await registryEntry(deps, record, champion));
  };
}
