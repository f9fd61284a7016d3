/**
 * The lineage of an audited answer, read link by link (docs/lineage.md): answer → model version
 * (its artifact, checked against the hash the answer recorded) → training run (the run id in the
 * version, the registry's record, its execution and promotions) → dataset fingerprint (the run's
 * stored training set, its rows fingerprinted again) → lake partitions (the objects the run read,
 * as it recorded them, each against today's; for each input series the exact objects the answer
 * read, reassembled and hashed again) → raw records (the Kinesis records behind the input's bars,
 * in the raw backup). Each link says what it checked; a link the stored metadata cannot reach
 * says why.
 */
import { assemblePriceSeries } from '../domain/lake/assemble-series.ts';
import { rawRecordsOf } from '../domain/lake/bar-provenance.ts';
import type { LakeBar } from '../domain/lake/bar-schema.ts';
import { decodePartitionObject } from '../domain/lake/decode-partition-object.ts';
import { parseCuratedKey } from '../domain/lake/keys.ts';
import { fingerprintRows, parseArtifact } from '../domain/model/artifact.ts';
import { TrainingDataError } from '../domain/model/errors.ts';
import type { PriceSeries } from '../domain/prices/price-series.ts';
import { sha256Hex } from '../domain/scoring/input-hash.ts';
import { seriesHash } from '../domain/scoring/series-document.ts';
import { parseTrainingSet } from '../domain/training/training-set-codec.ts';
import type { AuditInput, AuditRecord } from '../schemas/audit-record.ts';
import { TrainingLakeObjectsSchema } from '../schemas/training-lake-objects.ts';
import { mapWithConcurrency } from '../util/map-with-concurrency.ts';
import type { AuditEvidence, ObjectHead } from './audit-evidence.ts';
import type { CodeVersion } from './code-version.ts';
import type { PromotionRecord } from './dynamodb/model-registry.ts';
import { datasetKeyFor, legacyDatasetKeyFor } from './s3/model-store.ts';
import { listObjects } from './s3/objects.ts';

/** How a stored piece compares with the hash the record names. */
export type HashCheck = 'match' | 'mismatch' | 'missing';

/** One lake object an input (or the training run) was read from, and how it stands now. */
export interface LineageLakeObject {
  key: string;
  etag: string;
  versionId?: string;
  folded?: number;
  /** `unchanged` (same ETag and version), `changed` (newer data or a compaction since), `gone`. */
  now: 'unchanged' | 'changed' | 'gone';
}

/** One input series' link to the lake and the raw records. */
export interface LineageInput {
  symbol: string | null;
  source: 'lake' | 'request';
  sha256: string;
  /** The stored copy (lake inputs) against its hash; `request` inputs are in the request. */
  copy: HashCheck | null;
  copyKey: string | null;
  objects: LineageLakeObject[];
  /**
   * The objects as the answer read them (at their version, or unchanged since), decoded and
   * assembled by the lake's rules, hashed again: `match` proves the lake produced the stored series;
   * `unreadable` when an object changed or went and the bucket keeps no version of it.
   */
  reassembled: 'match' | 'mismatch' | 'unreadable' | null;
  /** The Kinesis records behind the series' bars (raw backup keys): how many, how many are still there, the first and last key. */
  rawRecords: { records: number; present: number; first: string | null; last: string | null } | null;
}

/** The whole chain of one answer. */
export interface LineageReport {
  answer: {
    requestId: string;
    route: string;
    status: number;
    timestamp: string;
    principal: string | null;
    inputHash: string;
    /** `sha256:` of the answer body as stored. */
    answerSha256: string | null;
    stored: string;
  };
  request: { requestHash: string; stored: string; check: HashCheck };
  model: {
    version: string;
    artifactKey: string | null;
    artifactSha256: string | null;
    artifact: HashCheck | null;
    status: string | null;
    createdAt: string | null;
    promotedAt: string | null;
    promotions: PromotionRecord[];
  } | null;
  training: {
    runId: string | null;
    /** The Step Functions execution that trained the version (registry entry); null when not recorded (local runs, older versions). */
    executionArn: string | null;
    /** Where the run kept its training set. */
    datasetKey: string | null;
    fingerprint: string | null;
    /** The stored training set's rows fingerprinted again, against the artifact's fingerprint. */
    dataset: HashCheck | 'not-checked';
    rows: number | null;
    from: string | null;
    to: string | null;
    symbols: string[];
    /** Where the run recorded the lake objects it read (registry entry); null for a run from before they were recorded. */
    lakeObjectsKey: string | null;
    /** That record: `read`, `missing` (no object at the key), `unreadable` (not the record's format), `not-recorded`. */
    lakeObjectsRecord: 'read' | 'missing' | 'unreadable' | 'not-recorded';
    /** The training symbols' objects as the run read them, in the record's order, each against the object under its key today. */
    lakeObjects: LineageLakeObject[];
    /** Only when the run recorded no objects: the training symbols' compacted objects today. */
    partitions: string[];
  } | null;
  inputs: LineageInput[];
  code: CodeVersion | null;
  conventions: string | null;
  /** Why there is no more to show (no lineage on the item). */
  note?: string;
}

const sha = (text: string): string => `sha256:${sha256Hex(text)}`;
const hashCheck = (expected: string, text: string | null): HashCheck => (text === null ? 'missing' : sha(text) === expected ? 'match' : 'mismatch');

/** Lake objects read, and raw backup objects checked, at once. */
const HEAD_CONCURRENCY = 16;

/** The fingerprint of a stored training set's rows; null when the bytes are no longer a training set (damaged). */
function storedSetFingerprint(bytes: Uint8Array): string | null {
  try {
    return fingerprintRows(parseTrainingSet(bytes).rows);
  } catch (err) {
    if (err instanceof TrainingDataError) return null;
    throw err;
  }
}

/** The run id of a workflow-made version (`rf-<run id>`), else null. */
const runIdOf = (version: string): string | null => /^rf-(\d{8}T\d{6}Z-[0-9a-f]{6})$/.exec(version)?.[1] ?? null;

/** How an object read at some time stands today, by its ETag: the same bytes, other bytes, or no object under the key. */
const objectNow = (etag: string, head: ObjectHead | null): LineageLakeObject['now'] => (head === null ? 'gone' : head.etag === etag ? 'unchanged' : 'changed');

/** A lake input as its objects give it back today: each object's state, and the series reassembled (null when an object cannot be read as it was). */
export interface LakeInputRead {
  objects: LineageLakeObject[];
  bars: LakeBar[];
  series: PriceSeries | null;
}

/**
 * Reads a lake input's objects as the answer read them (at their version, or while their ETag is
 * unchanged) and reassembles the series by the lake's rules; `series` is null when an object has
 * changed or gone and the bucket keeps no version of it.
 */
export async function readLakeInput(input: AuditInput, evidence: AuditEvidence): Promise<LakeInputRead> {
  const reads = await mapWithConcurrency(input.objects ?? [], HEAD_CONCURRENCY, async (ref) => {
    const read = await evidence.lakeObject(ref);
    if (!('bytes' in read)) return { object: { ...ref, now: read.changed === null ? ('gone' as const) : ('changed' as const) }, bars: null };
    // Read at its version: whether the key still holds that version today is another question.
    const now = read.how === 'etag' || objectNow(ref.etag, await evidence.head(ref.key)) === 'unchanged' ? ('unchanged' as const) : ('changed' as const);
    return { object: { ...ref, now }, bars: (await decodePartitionObject(ref.key, read.bytes)).bars };
  });
  const objects = reads.map((r) => r.object);
  const bars = reads.flatMap((r) => r.bars ?? []);
  const readable = reads.every((r) => r.bars !== null);
  return { objects, bars, series: readable ? assemblePriceSeries((input.symbol ?? '').toUpperCase(), bars) : null };
}

async function inputLineage(input: AuditInput, evidence: AuditEvidence): Promise<LineageInput> {
  const base = { symbol: input.symbol, source: input.source, sha256: input.sha256, copyKey: input.copyKey ?? null };
  if (input.source === 'request') return { ...base, copy: null, objects: [], reassembled: null, rawRecords: null };
  const copy = input.copyKey ? hashCheck(input.sha256, await evidence.text(input.copyKey)) : 'missing';
  const { objects, bars, series } = await readLakeInput(input, evidence);
  if (!series && objects.some((o) => o.now !== 'unchanged')) return { ...base, copy, objects, reassembled: 'unreadable', rawRecords: null };
  const reassembled = series && seriesHash(series) === input.sha256 ? 'match' : 'mismatch';
  const raw = series ? rawRecordsOf(bars, series.dates) : [];
  const present = await mapWithConcurrency(raw, HEAD_CONCURRENCY, async (r) => (await evidence.head(r.key)) !== null);
  return {
    ...base,
    copy,
    objects,
    reassembled,
    rawRecords: { records: raw.length, present: present.filter(Boolean).length, first: raw[0]?.key ?? null, last: raw.at(-1)?.key ?? null },
  };
}

async function modelAndTraining(record: AuditRecord, evidence: AuditEvidence): Promise<Pick<LineageReport, 'model' | 'training'>> {
  const m = record.lineage?.model ?? (record.modelVersion ? { version: record.modelVersion } : undefined);
  if (!m) return { model: null, training: null };
  const [entry, promotions] = await Promise.all([
    evidence.registry.getModelVersion(m.version),
    evidence.registry.promotionHistory({ limit: 20, version: m.version }),
  ]);
  const artifactKey = m.artifactKey ?? entry?.artifactKey ?? null;
  const artifactText = artifactKey ? await evidence.text(artifactKey) : null;
  const model = {
    version: m.version,
    artifactKey,
    artifactSha256: m.artifactSha256 ?? null,
    artifact: m.artifactSha256 ? hashCheck(m.artifactSha256, artifactText) : null,
    status: entry?.status ?? null,
    createdAt: entry?.createdAt ?? null,
    promotedAt: m.promotedAt ?? entry?.promotedAt ?? null,
    promotions,
  };
  let artifact: ReturnType<typeof parseArtifact> | null = null;
  try {
    artifact = artifactText === null ? null : parseArtifact(artifactText);
  } catch {
    artifact = null; // a tampered or foreign artifact: the model link says mismatch, the training link has nothing to read
  }
  const runId = runIdOf(m.version) ?? model.promotions.find((p) => p.version === m.version && p.executionId)?.executionId ?? null;
  const executionArn = entry?.executionArn ?? null;
  if (!artifact) return { model, training: runId || executionArn ? { ...emptyTraining(), runId, executionArn } : null };
  // Runs store their set in the binary form; older runs stored one JSON text under another name.
  let datasetKey = runId ? datasetKeyFor(runId) : null;
  let datasetBytes = datasetKey ? await evidence.bytes(datasetKey) : null;
  if (runId && datasetBytes === null) {
    const legacy = await evidence.bytes(legacyDatasetKeyFor(runId));
    if (legacy !== null) [datasetKey, datasetBytes] = [legacyDatasetKeyFor(runId), legacy];
  }
  const { fingerprint, rows, from, to, symbols } = artifact.training;
  let dataset: HashCheck | 'not-checked' = datasetKey ? 'missing' : 'not-checked';
  if (datasetBytes !== null) dataset = storedSetFingerprint(datasetBytes) === fingerprint ? 'match' : 'mismatch';
  const wanted = new Set(symbols);
  const lakeObjectsKey = entry?.lakeObjectsKey ?? null;
  const recorded = await trainingLakeObjects(lakeObjectsKey, wanted, evidence);
  const partitions = lakeObjectsKey
    ? []
    : (await listObjects(evidence.bucket, 'curated/prices/'))
        .map((o) => o.key)
        .filter((k) => {
          const p = parseCuratedKey(k);
          return p !== null && wanted.has(p.symbol);
        });
  return {
    model,
    training: { runId, executionArn, datasetKey, fingerprint, dataset, rows, from, to, symbols, lakeObjectsKey, ...recorded, partitions },
  };
}

/** The objects of the training symbols as the run recorded them, each looked up (HEAD) today. */
async function trainingLakeObjects(
  key: string | null,
  symbols: Set<string>,
  evidence: AuditEvidence,
): Promise<Pick<NonNullable<LineageReport['training']>, 'lakeObjectsRecord' | 'lakeObjects'>> {
  if (key === null) return { lakeObjectsRecord: 'not-recorded', lakeObjects: [] };
  const text = await evidence.text(key);
  if (text === null) return { lakeObjectsRecord: 'missing', lakeObjects: [] };
  let parsed: ReturnType<typeof TrainingLakeObjectsSchema.safeParse>;
  try {
    parsed = TrainingLakeObjectsSchema.safeParse(JSON.parse(text));
  } catch {
    return { lakeObjectsRecord: 'unreadable', lakeObjects: [] };
  }
  if (!parsed.success) return { lakeObjectsRecord: 'unreadable', lakeObjects: [] };
  const refs = parsed.data.symbols.filter((s) => symbols.has(s.symbol)).flatMap((s) => s.objects);
  const lakeObjects = await mapWithConcurrency(refs, HEAD_CONCURRENCY, async (ref) => ({ ...ref, now: objectNow(ref.etag, await evidence.head(ref.key)) }));
  return { lakeObjectsRecord: 'read', lakeObjects };
}

const emptyTraining = (): NonNullable<LineageReport['training']> => ({
  runId: null,
  executionArn: null,
  datasetKey: null,
  fingerprint: null,
  dataset: 'not-checked',
  rows: null,
  from: null,
  to: null,
  symbols: [],
  lakeObjectsKey: null,
  lakeObjectsRecord: 'not-recorded',
  lakeObjects: [],
  partitions: [],
});

/** The lineage of the answer recorded as `record` (read through `evidence`). */
export async function answerLineageReport(record: AuditRecord, evidence: AuditEvidence): Promise<LineageReport> {
  const lineage = record.lineage;
  const answerText = record.result ?? (record.resultRef ? await evidence.text(record.resultRef.key) : null);
  const requestText = lineage?.requestKey ? await evidence.text(lineage.requestKey) : record.requestTruncated ? null : record.requestExcerpt;
  const report: LineageReport = {
    answer: {
      requestId: record.requestId,
      route: record.route,
      status: record.status,
      timestamp: record.timestamp,
      principal: record.caller.principal,
      inputHash: record.inputHash,
      answerSha256: answerText === null ? null : sha(answerText),
      stored: record.resultRef?.key ?? 'the item',
    },
    request: { requestHash: record.requestHash, stored: lineage?.requestKey ?? 'the item (requestExcerpt)', check: hashCheck(record.requestHash, requestText) },
    ...(await modelAndTraining(record, evidence)),
    inputs: [],
    code: lineage?.code ?? null,
    conventions: lineage?.conventions ?? null,
  };
  if (!lineage) return { ...report, note: 'the item carries no lineage: only scoring answers (2xx of the POST routes) have one' };
  for (const input of lineage.inputs) report.inputs.push(await inputLineage(input, evidence));
  return report;
}
