/** `GET /v1/models/champion`: the version the scoring routes answer with, in full; 404 before the first promotion. */
import type { ApiDependencies } from '../dependencies.ts';
import { jsonResponse } from '../responses.ts';
import { championRecord, registryEntry } from './models-entry.ts';
import { NoChampionYetError } from './models-errors.ts';
import type { RouteHandler } from './route-handler.ts';

export function modelsChampionRoute(deps: ApiDependencies): RouteHandler {
  return async () => {
    const champion = await deps.registry.getChampion();
    if (!champion) throw new NoChampionYetError();
    const record = (await deps.registry.getModelVersion(champion.version)) ?? championRecord(champion);
    return jsonResponse(200, await registryEntry(deps, record, champion));
  };
}
