/**
 * What the API needs from the outside world, as an interface so tests can pass in-memory
 * doubles, and its AWS implementation: price history from the S3 lake, the champion pointer
 * from the DynamoDB model registry, the artifact from S3, the audit trail (read from DynamoDB and S3,
 * written through the audit writer).
 * Bucket and table names are read from the environment at call time (see lib/config/resources.ts ENV).
 */

import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { dynamoIdempotencyStore } from '../../lib/adapters/dynamodb/idempotency-store.ts';
import { dynamoModelRegistry, type ModelRegistryReader } from '../../lib/adapters/dynamodb/model-registry.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { createLakeObjectCache, type LakeSeriesRead, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { modelCardKeyFor } from '../../lib/adapters/s3/model-store.ts';
import { getText, ObjectMissingError } from '../../lib/adapters/s3/objects.ts';
import { ENV } from '../../lib/config/resources.ts';
import type { ModelArtifact } from '../../lib/domain/model/artifact.ts';
import { parseArtifact } from '../../lib/domain/model/artifact.ts';
import { sha256Hex } from '../../lib/domain/scoring/input-hash.ts';
import { LruCache, loadThrough } from '../../lib/util/lru-cache.ts';
import { type HandlerRuntime, lambdaRuntime } from '../kit/runtime.ts';
import { type AuditLog, awsAuditLog } from './audit-log.ts';

/** The champion model, ready to score with. */
export interface ChampionModel {
  version: string;
  artifact: ModelArtifact;
  promotedAt?: string;
  /** Where the artifact is, and the SHA-256 (`sha256:<hex>`) of its bytes: the audit trail's lineage records both. */
  artifactKey?: string;
  artifactSha256?: string;
}

/** `now` stamps the audit items. */
export interface ApiDependencies extends HandlerRuntime {
  /** The symbol's history (null when the lake has none), the corrupt objects left out of it, and the objects read (absent from in-memory lakes). */
  readSeries(symbol: string): Promise<Omit<LakeSeriesRead, 'objects'> & Partial<Pick<LakeSeriesRead, 'objects'>>>;
  /** The current champion, or null when none has been promoted. */
  loadChampion(): Promise<ChampionModel | null>;
  audit: AuditLog;
  /** Where idempotent POST requests keep their answers (see ./idempotency.ts). */
  idempotencyStore: BasePersistenceLayer;
  /** The model registry, read-only: versions, the champion pointer, promotion history. */
  registry: ModelRegistryReader;
  /** A version's parsed artifact (through the same per-container cache as the champion's). */
  loadArtifact(version: string, artifactKey: string): Promise<ModelArtifact>;
  /** A version's stored model card (the JSON text), or null when it has none. */
  readModelCard(version: string): Promise<string | null>;
}

/**
 * Parsed artifacts kept per container: a promotion makes the old champion unused, so two suffice
 * for scoring; one more so a look at another version (`GET /v1/models/{version}`) does not push
 * both out (the champion, used on every scoring request, stays the most recent).
 */
const MODEL_CACHE_VERSIONS = 3;

/**
 * The AWS implementation, built once per container. Its caches live as long as the container:
 * artifacts by version (a version's artifact never changes, so a warm container parses each
 * once) and decoded lake objects validated by ETag on every request (a warm container answers
 * with two LISTs and one conditional GET per year of history instead of re-reading every object).
 */
export function awsApiDependencies(): ApiDependencies {
  const models = new LruCache<string, Promise<{ artifact: ModelArtifact; sha256: string }>>(MODEL_CACHE_VERSIONS);
  const lakeObjects = createLakeObjectCache();
  const runtime = lambdaRuntime('riskfn-api');
  const registry = dynamoModelRegistry();
  // The hash of the bytes is taken once per version, with the parse: no extra read per answer.
  const loadHashed = (version: string, artifactKey: string) =>
    loadThrough(models, version, async () => {
      const text = await getText(requireEnv(ENV.dataBucket), artifactKey);
      return { artifact: parseArtifact(text), sha256: `sha256:${sha256Hex(text)}` };
    });
  const loadArtifact = async (version: string, artifactKey: string) => (await loadHashed(version, artifactKey)).artifact;
  return {
    ...runtime,
    readSeries: (symbol) => readSeries(requireEnv(ENV.dataBucket), symbol, { cache: lakeObjects, logger: runtime.logger }),
    async loadChampion() {
      // The pointer is read on every request so a promotion takes effect at once.
      const pointer = await registry.getChampion();
      if (!pointer) return null;
      const { artifact, sha256 } = await loadHashed(pointer.version, pointer.artifactKey);
      return { version: pointer.version, artifact, promotedAt: pointer.promotedAt, artifactKey: pointer.artifactKey, artifactSha256: sha256 };
    },
    audit: awsAuditLog(),
    idempotencyStore: dynamoIdempotencyStore(),
    registry,
    loadArtifact,
    async readModelCard(version) {
      try {
        return await getText(requireEnv(ENV.dataBucket), modelCardKeyFor(version));
      } catch (err) {
        if (err instanceof ObjectMissingError) return null;
        throw err;
      }
    },
  };
}
