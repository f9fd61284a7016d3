/**
 * `GET /health`: liveness plus the champion the scoring routes would answer with (loaded the
 * same way, so a champion whose artifact cannot be read shows up here as a 500, not as healthy).
 */
import { LIBRARY_VERSIONS } from '../../../lib/domain/model/versions.ts';
import type { HealthResponse } from '../../../lib/schemas/health-response.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { jsonResponse } from '../responses.ts';
import type { RouteHandler } from './route-handler.ts';

export function healthRoute(deps: ApiDependencies): RouteHandler {
  return async () => {
    const champion = await deps.loadChampion();
    const body: HealthResponse = {
      status: 'ok',
      champion: champion ? { version: champion.version, promotedAt: champion.promotedAt ?? null } : null,
      version: LIBRARY_VERSIONS.riskfn,
    };
    return jsonResponse(200, body);
  };
}
