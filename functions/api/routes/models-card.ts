/**
 * `GET /v1/models/{version}/card[?format=json]`: the model card the training workflow stored when
 * the promotion gate decided (models/<version>/model-card.json), with its approval block replaced
 * by the registry's status now (approved, promoted, retired since); as an HTML page rendered from
 * that JSON (default), or the JSON itself. 404 for an unknown version, and for a version without a
 * card (trained before cards existed, or not yet through the gate).
 */
import type { ChampionPointer, ModelVersionRecord } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { withApproval } from '../../../lib/domain/training/model-card.ts';
import { renderModelCardHtml } from '../../../lib/reports/model-card/page.ts';
import { type ModelCardApproval, ModelCardQuerySchema, ModelCardSchema } from '../../../lib/schemas/model-card.ts';
import { LruCache } from '../../../lib/util/lru-cache.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseQuery } from '../parse-query.ts';
import { jsonResponse } from '../responses.ts';
import { versionInPath } from './models-entry.ts';
import { ModelCardMissingError } from './models-errors.ts';
import type { RouteHandler } from './route-handler.ts';

/** The registry's view of a version's approval, as the card shows it. */
function registryApproval(record: ModelVersionRecord, champion: ChampionPointer | null): ModelCardApproval {
  return {
    // The pointer is the truth about who serves; a version record may lag it by a retry.
    status: champion?.version === record.version ? 'champion' : record.status,
    source: 'registry',
    approver: record.approval?.approver ?? null,
    approvedAt: record.approval?.at ?? null,
    promotedAt: record.promotedAt ?? null,
    requireApproval: null,
  };
}

/** Pages kept per container: a stored card never changes, so a page depends only on it and the approval shown. */
const RENDERED_PAGES = 8;

export function modelsCardRoute(deps: ApiDependencies): RouteHandler {
  // Rendering a card's six charts costs a few hundred milliseconds of CPU; the same version with
  // the same registry status gives the same bytes, so a page asked for again is not drawn again.
  const pages = new LruCache<string, string>(RENDERED_PAGES);
  return async (event) => {
    const query = parseQuery(ModelCardQuerySchema, event);
    const { record, champion } = await versionInPath(deps, event);
    const text = await deps.readModelCard(record.version);
    if (text === null) throw new ModelCardMissingError(record.version);
    // A stored card that does not parse is our fault, not the caller's: a 500, logged with the reason.
    const parsed = ModelCardSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the stored model card of ${record.version} is invalid: ${parsed.error.issues[0]?.message}`);
    const card = withApproval(parsed.data, registryApproval(record, champion));
    if (query.format === 'json') return jsonResponse(200, card);
    const key = `${record.version}\n${JSON.stringify(card.approval)}`;
    let page = pages.get(key);
    if (page === undefined) {
      page = await renderModelCardHtml(card);
      pages.set(key, page);
    }
    return { statusCode: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page };
  };
}
