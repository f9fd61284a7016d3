/** `GET /v1/models/{version}`: one registry version in full; 404 naming it when unknown. */
import { MODEL_VERSION_PATTERN } from '../../../lib/schemas/model-registry-entry.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { InvalidRequestError } from '../errors.ts';
import { jsonResponse } from '../responses.ts';
import { championRecord, registryEntry } from './models-entry.ts';
import { UnknownModelVersionError } from './models-errors.ts';
import type { RouteHandler } from './route-handler.ts';

export function modelsVersionRoute(deps: ApiDependencies): RouteHandler {
  return async (event) => {
    const version = event.pathParameters?.version ?? '';
    if (!MODEL_VERSION_PATTERN.test(version)) {
      throw new InvalidRequestError('the model version is not well formed', [
        { path: '/version', message: 'letters, digits and . _ : - (at most 128, starting with a letter or digit)' },
      ]);
    }
    const [record, champion] = await Promise.all([deps.registry.getModelVersion(version), deps.registry.getChampion()]);
    const found = record ?? (champion?.version === version ? championRecord(champion) : null);
    if (!found) throw new UnknownModelVersionError(version);
    return jsonResponse(200, await registryEntry(deps, found, champion));
  };
}
