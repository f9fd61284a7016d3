/**
 * What the API needs from the outside world, as an interface so tests can pass in-memory
 * doubles, and its AWS implementation: price history from the S3 lake, the champion pointer
 * from the DynamoDB model registry, the artifact from S3, the audit log in DynamoDB.
 * Bucket and table names are read from the environment at call time (see lib/config/resources.ts ENV).
 */

import { type AuditLog, dynamoAuditLog } from '../../lib/adapters/dynamodb/audit-log.ts';
import { getChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { createLakeObjectCache, type LakeSeriesRead, readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { getText } from '../../lib/adapters/s3/objects.ts';
import { ENV } from '../../lib/config/resources.ts';
import type { ModelArtifact } from '../../lib/domain/model/artifact.ts';
import { parseArtifact } from '../../lib/domain/model/artifact.ts';
import { LruCache, loadThrough } from '../../lib/util/lru-cache.ts';
import { type HandlerRuntime, lambdaRuntime } from '../kit/runtime.ts';

/** The champion model, ready to score with. */
export interface ChampionModel {
  version: string;
  artifact: ModelArtifact;
  promotedAt?: string;
}

/** `now` stamps the audit items. */
export interface ApiDependencies extends HandlerRuntime {
  /** The symbol's history (null when the lake has none) and the corrupt objects left out of it. */
  readSeries(symbol: string): Promise<LakeSeriesRead>;
  /** The current champion, or null when none has been promoted. */
  loadChampion(): Promise<ChampionModel | null>;
  audit: AuditLog;
}

/** Parsed artifacts kept per container: a promotion makes the old champion unused, so two suffice. */
const MODEL_CACHE_VERSIONS = 2;

/**
 * The AWS implementation, built once per container. Its caches live as long as the container:
 * artifacts by version (a version's artifact never changes, so a warm container parses each
 * once) and decoded lake objects validated by ETag on every request (a warm container answers
 * with two LISTs and one conditional GET per year of history instead of re-reading every object).
 */
export function awsApiDependencies(): ApiDependencies {
  const models = new LruCache<string, Promise<ModelArtifact>>(MODEL_CACHE_VERSIONS);
  const lakeObjects = createLakeObjectCache();
  const runtime = lambdaRuntime('riskfn-api');
  return {
    ...runtime,
    readSeries: (symbol) => readSeries(requireEnv(ENV.dataBucket), symbol, { cache: lakeObjects, logger: runtime.logger }),
    async loadChampion() {
      // The pointer is read on every request so a promotion takes effect at once.
      const pointer = await getChampion();
      if (!pointer) return null;
      const artifact = await loadThrough(models, pointer.version, async () => parseArtifact(await getText(requireEnv(ENV.dataBucket), pointer.artifactKey)));
      return { version: pointer.version, artifact, promotedAt: pointer.promotedAt };
    },
    audit: dynamoAuditLog(),
  };
}
