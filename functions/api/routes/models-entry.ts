/**
 * Registry items → the answers of the `/v1/models…` routes: a version's summary for listings,
 * and its full entry (summary + evaluation + what its artifact says + promotion history).
 * `riskfn models` prints the same entries.
 */
import type { ChampionPointer, ModelVersionRecord } from '../../../lib/adapters/dynamodb/model-registry.ts';
import { ObjectMissingError } from '../../../lib/adapters/s3/objects.ts';
import { ModelArtifactError } from '../../../lib/domain/model/errors.ts';
import type { ModelArtifact } from '../../../lib/domain/model/index.ts';
import { MODEL_VERSION_PATTERN, type ModelRegistryEntry, type ModelVersionSummary } from '../../../lib/schemas/model-registry-entry.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { InvalidRequestError } from '../errors.ts';
import { UnknownModelVersionError } from './models-errors.ts';

/** Most promotions listed with one version (a version is promoted once and replaced once; retries of a hand promotion add more). */
const PROMOTIONS_PER_VERSION = 20;

export function versionSummary(r: ModelVersionRecord): ModelVersionSummary {
  return {
    version: r.version,
    status: r.status,
    createdAt: r.createdAt,
    promotedAt: r.promotedAt ?? null,
    retiredAt: r.retiredAt ?? null,
    replacedBy: r.replacedBy ?? null,
    reason: r.reason ?? null,
    approval: r.approval ? { approver: r.approval.approver, at: r.approval.at } : null,
  };
}

/**
 * A record made from the champion pointer, for a champion whose version has no item (registered
 * by hand, not by the training workflow).
 */
export const championRecord = (champion: ChampionPointer): ModelVersionRecord => ({
  version: champion.version,
  artifactKey: champion.artifactKey,
  status: 'champion',
  createdAt: champion.promotedAt,
  promotedAt: champion.promotedAt,
});

/**
 * The version named in the path (`{version}`) with its registry record and the champion pointer:
 * 400 when it is not well formed, 404 naming it when the registry has neither an item nor a
 * champion pointer of that version.
 */
export async function versionInPath(
  deps: Pick<ApiDependencies, 'registry'>,
  event: { pathParameters: Record<string, string | undefined> | null },
): Promise<{ record: ModelVersionRecord; champion: ChampionPointer | null }> {
  const version = event.pathParameters?.version ?? '';
  if (!MODEL_VERSION_PATTERN.test(version)) {
    throw new InvalidRequestError('the model version is not well formed', [
      { path: '/version', message: 'letters, digits and . _ : - (at most 128, starting with a letter or digit)' },
    ]);
  }
  const [record, champion] = await Promise.all([deps.registry.getModelVersion(version), deps.registry.getChampion()]);
  const found = record ?? (champion?.version === version ? championRecord(champion) : null);
  if (!found) throw new UnknownModelVersionError(version);
  return { record: found, champion };
}

function modelDetails(a: ModelArtifact): NonNullable<ModelRegistryEntry['model']> {
  // The per-date scores are for the gate's comparison with a later challenger, not for people.
  const { byDate: _perDate, ...evaluation } = a.evaluation;
  const c = a.calibration;
  return {
    format: a.format,
    formatVersion: a.formatVersion,
    classes: a.classes,
    features: a.featureNames,
    labelRule: a.labelRule,
    options: a.options,
    training: {
      rows: a.training.rows,
      from: a.training.from,
      to: a.training.to,
      fingerprint: a.training.fingerprint,
      symbols: a.training.symbols,
      classCounts: a.training.classCounts,
    },
    testFrom: a.evaluation.testFrom,
    evaluation,
    calibration: {
      method: c.method,
      rows: c.rows,
      temperature: c.method === 'temperature' ? c.temperature : null,
      harWeight: c.harWeight,
      reason: c.method === 'none' ? c.reason : null,
    },
    libraries: a.libraries,
  };
}

/** The full entry of one version. A missing or unreadable artifact is reported in the entry (the registry facts stay useful); other failures propagate. */
export async function registryEntry(
  deps: Pick<ApiDependencies, 'registry' | 'loadArtifact'>,
  record: ModelVersionRecord,
  champion: ChampionPointer | null,
): Promise<ModelRegistryEntry> {
  const [promotions, artifact] = await Promise.all([
    deps.registry.promotionHistory({ limit: PROMOTIONS_PER_VERSION, version: record.version }),
    deps.loadArtifact(record.version, record.artifactKey).then(
      (a) => ({ model: modelDetails(a), modelError: null }),
      (err: unknown) => {
        if (err instanceof ObjectMissingError) return { model: null, modelError: `the artifact ${record.artifactKey} does not exist` };
        if (err instanceof ModelArtifactError) return { model: null, modelError: err.message };
        throw err;
      },
    ),
  ]);
  return {
    ...versionSummary(record),
    champion: champion?.version === record.version,
    artifactKey: record.artifactKey,
    evaluation: record.evaluation ?? null,
    ...artifact,
    promotions: promotions.map((p) => ({
      version: p.version,
      previousVersion: p.previousVersion,
      promotedAt: p.promotedAt,
      score: p.score,
      executionId: p.executionId ?? null,
    })),
  };
}
