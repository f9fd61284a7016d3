/**
 * An in-memory {@link ModelRegistry} that behaves like the DynamoDB one: the champion
 * pointer's conditional write, the promotion history, newest-first listing with the same
 * cursors, and the approval conditions. Shared by the training handler and API tests.
 */
import {
  ChampionChangedError,
  type ChampionPointer,
  decodeVersionCursor,
  encodeVersionCursor,
  isSamePromotion,
  ModelNotApprovableError,
  type ModelRegistry,
  ModelVersionNotFoundError,
  type ModelVersionRecord,
  type PromotionRecord,
} from '../../../lib/adapters/dynamodb/model-registry.ts';

export interface MemoryRegistry extends ModelRegistry {
  champion: ChampionPointer | null;
  versions: Map<string, ModelVersionRecord>;
  /** In the order they happened (oldest first). */
  promotions: PromotionRecord[];
}

export function memoryRegistry(champion: ChampionPointer | null = null): MemoryRegistry {
  // Newest first, like the reverse Query on the sort key (versions start with their training time).
  const newestFirst = () => [...registry.versions.values()].sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
  const registry: MemoryRegistry = {
    champion,
    versions: new Map(),
    promotions: [],
    getChampion: async () => registry.champion,
    async promoteChampion(next, expectedVersion) {
      if ((registry.champion?.version ?? null) !== expectedVersion) {
        // A retry of the same execution's promotion carries on from the stored pointer, as in DynamoDB.
        if (!isSamePromotion(registry.champion, next)) throw new ChampionChangedError(expectedVersion);
        return registry.champion!;
      }
      registry.champion = next;
      registry.promotions.push({
        version: next.version,
        previousVersion: expectedVersion,
        promotedAt: next.promotedAt,
        score: next.score,
        ...(next.executionId === undefined ? {} : { executionId: next.executionId }),
      });
      return next;
    },
    async recordModelVersion(record) {
      registry.versions.set(record.version, structuredClone(record));
    },
    async markChampionVersion(version, update) {
      const { taskToken: _token, ...kept } = registry.versions.get(version) ?? { version, createdAt: update.promotedAt };
      registry.versions.set(version, {
        ...kept,
        version,
        status: 'champion',
        artifactKey: update.artifactKey,
        promotedAt: update.promotedAt,
        ...(update.evaluation === undefined ? {} : { evaluation: structuredClone(update.evaluation) }),
      } as ModelVersionRecord);
    },
    async retireModelVersion(version, replacedBy, at) {
      const record = registry.versions.get(version);
      if (record) registry.versions.set(version, { ...record, status: 'retired', retiredAt: at, replacedBy });
    },
    getModelVersion: async (version) => structuredClone(registry.versions.get(version) ?? null),
    async listModelVersions({ limit, cursor, status }) {
      const after = cursor ? decodeVersionCursor(cursor) : null;
      const all = newestFirst().filter((r) => (after === null || r.version < after) && (status === undefined || r.status === status));
      const items = all.slice(0, limit).map((r) => structuredClone(r));
      return { items, nextCursor: all.length > limit ? encodeVersionCursor(items.at(-1)!.version) : null };
    },
    async promotionHistory({ limit, version }) {
      return registry.promotions
        .filter((p) => version === undefined || p.version === version || p.previousVersion === version)
        .reverse()
        .slice(0, limit)
        .map((p) => ({ ...p }));
    },
    async recordApprovalRequest(version, taskToken) {
      const record = registry.versions.get(version);
      if (!record) throw new ModelVersionNotFoundError(version);
      if (record.status === 'approved') {
        registry.versions.set(version, { ...record, taskToken });
        return record.approval ? { ...record.approval } : null;
      }
      registry.versions.set(version, { ...record, status: 'awaiting-approval', taskToken });
      return null;
    },
    async approveModelVersion(version, approval) {
      const record = registry.versions.get(version);
      if (!record) throw new ModelVersionNotFoundError(version);
      if (record.status !== 'candidate' && record.status !== 'awaiting-approval') throw new ModelNotApprovableError(version, record.status);
      const approved: ModelVersionRecord = { ...record, status: 'approved', approval: { ...approval } };
      registry.versions.set(version, approved);
      return structuredClone(approved);
    },
  };
  return registry;
}
