/**
 * What the API needs from the outside world, as an interface so tests can pass in-memory
 * doubles, and its AWS implementation: price history from the S3 lake, the champion pointer
 * from the DynamoDB model registry, the artifact from S3, the audit log in DynamoDB.
 * Bucket and table names are read from the environment at call time (see lib/config/resources.ts ENV).
 */
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import type { ModelArtifact } from '../../lib/domain/model/artifact.ts';
import { parseArtifact } from '../../lib/domain/model/artifact.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { createCuratedObjectCache } from '../../lib/domain/lake/object-cache.ts';
import { getChampion } from '../../lib/adapters/dynamodb/model-registry.ts';
import { getArtifactText } from '../../lib/adapters/s3/model-store.ts';
import { dynamoAuditLog, type AuditLog } from '../../lib/adapters/dynamodb/audit-log.ts';
import { requireEnv } from '../../lib/adapters/env.ts';
import { ENV } from '../../lib/config/resources.ts';
import { ModelCache } from './model-cache.ts';

/** The champion model, ready to score with. */
export interface ChampionModel {
  version: string;
  artifact: ModelArtifact;
  promotedAt?: string;
}

export interface ApiDependencies {
  /** The symbol's history, or null when the lake has none. */
  readSeries(symbol: string): Promise<PriceSeries | null>;
  /** The current champion, or null when none has been promoted. */
  loadChampion(): Promise<ChampionModel | null>;
  audit: AuditLog;
  /** Clock for audit timestamps. */
  now(): Date;
}

/** Module-scope cache: artifacts are immutable per version, so a warm container parses each once. */
const models = new ModelCache();
/**
 * Module-scope cache of decoded lake objects (validated by ETag on every request): a warm
 * container answers with one LIST per symbol instead of one GET per month of history.
 */
const lakeObjects = createCuratedObjectCache();

export function awsDependencies(): ApiDependencies {
  return {
    readSeries: (symbol) => readSeries(requireEnv(ENV.dataBucket), symbol, lakeObjects),
    async loadChampion() {
      // The pointer is read on every request so a promotion takes effect at once.
      const pointer = await getChampion();
      if (!pointer) return null;
      const artifact = await models.get(pointer.version, async () => parseArtifact(await getArtifactText(requireEnv(ENV.dataBucket), pointer.artifactKey)));
      return { version: pointer.version, artifact, promotedAt: pointer.promotedAt };
    },
    audit: dynamoAuditLog(),
    now: () => new Date(),
  };
}
