/**
 * Replaying an audited answer: everything its audit record points at is fetched and checked
 * against the hashes the record names (request, input series, model artifact, answer body), then
 * the answer is recomputed by the API's own routes (the same parsing, scoring and assembly code
 * that answered) over those pieces instead of the live lake and champion, and compared with the
 * recorded answer as canonical JSON, byte for byte (lib/domain/scoring/answer-replay.ts). Newer
 * data in the lake or a newer champion change nothing: the replay reads what the answer read.
 * `riskfn audit replay` prints the report (docs/lineage.md).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { AuditEvidence } from '../../lib/adapters/audit-evidence.ts';
import { readLakeInput } from '../../lib/adapters/audit-lineage.ts';
import { type CodeVersion, codeVersion } from '../../lib/adapters/code-version.ts';
import type { LakeSeriesRead } from '../../lib/adapters/s3/lake-reader.ts';
import { type ModelArtifact, parseArtifact } from '../../lib/domain/model/index.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import {
  type AnswerComparison,
  checkPiece,
  compareAnswers,
  type PieceCheck,
  type ReplayVerdict,
  replayVerdict,
} from '../../lib/domain/scoring/answer-replay.ts';
import { hashCanonical, sha256Hex } from '../../lib/domain/scoring/input-hash.ts';
import { parseSeriesDocument, seriesHash } from '../../lib/domain/scoring/series-document.ts';
import type { AuditLineage, AuditRecord } from '../../lib/schemas/audit-record.ts';
import { mapWithConcurrency } from '../../lib/util/map-with-concurrency.ts';
import type { ApiDependencies, ChampionModel } from './dependencies.ts';
import { apiRoutes, router } from './router.ts';

/** The lake objects an input was read from, as they are now: unchanged, changed since (newer data, compaction) or gone. */
export interface LakeNow {
  symbol: string | null;
  objects: number;
  unchanged: number;
  changed: number;
  gone: number;
}

/** What `riskfn audit replay` reports. */
export interface ReplayReport {
  requestId: string;
  route: string;
  status: number;
  timestamp: string;
  modelVersion: string | null;
  checks: PieceCheck[];
  comparison: AnswerComparison | null;
  verdict: ReplayVerdict;
  code: { recorded: CodeVersion | null; replaying: CodeVersion };
  /** Per lake input: how its objects stand today (the replay does not read them). */
  lakeNow: LakeNow[];
  /** Why the answer could not be recomputed, when it could not. */
  error?: string;
}

/** No audit item has this request id. */
export class AuditRecordNotFoundError extends Error {
  override name = 'AuditRecordNotFoundError';
  constructor(readonly requestId: string) {
    super(`no audit record has request id ${requestId}`);
  }
}

const sha = (text: string): string => `sha256:${sha256Hex(text)}`;

const unusable = (what: string) => () => {
  throw new Error(`a replay does not use the API's ${what}`);
};

/** The recorded answer body: inline, or its S3 copy checked against `resultRef`. */
async function recordedAnswer(record: AuditRecord, evidence: AuditEvidence, checks: PieceCheck[]): Promise<string | null> {
  if (record.result !== undefined) return record.result;
  if (!record.resultRef) return null;
  const text = await evidence.text(record.resultRef.key);
  checks.push(checkPiece('answer body', record.resultRef.key, record.resultRef.sha256, text === null ? null : sha(text)));
  return text;
}

/** The request body: the item's excerpt when it holds all of it, else its S3 copy; checked against `requestHash`. */
async function recordedRequest(record: AuditRecord, lineage: AuditLineage, evidence: AuditEvidence, checks: PieceCheck[]): Promise<string | null> {
  const text = lineage.requestKey ? await evidence.text(lineage.requestKey) : record.requestExcerpt;
  checks.push(checkPiece('request', lineage.requestKey ?? 'the item (requestExcerpt)', record.requestHash, text === null ? null : sha(text)));
  return text;
}

/**
 * The lake series as the answer read them, by upper-cased symbol: each stored copy checked against
 * its hash. A copy that is gone or no longer matches is replaced, when possible, by the series
 * reassembled from the lake objects as the answer read them (at their versions in a versioned
 * bucket, or while their ETags are unchanged), itself checked against the hash.
 */
async function recordedInputs(lineage: AuditLineage, evidence: AuditEvidence, checks: PieceCheck[]): Promise<Map<string, LakeSeriesRead>> {
  const out = new Map<string, LakeSeriesRead>();
  for (const input of lineage.inputs) {
    if (input.source !== 'lake' || !input.copyKey) continue;
    const name = input.symbol ?? '(unnamed)';
    const text = await evidence.text(input.copyKey);
    const check = checkPiece(`input series ${name}`, input.copyKey, input.sha256, text === null ? null : sha(text));
    checks.push(check);
    let series: PriceSeries | null = text !== null && check.status === 'match' ? parseSeriesDocument(text) : null;
    if (!series) {
      const lake = await readLakeInput(input, evidence);
      if (lake.series) {
        const fromLake = checkPiece(`lake objects ${name}`, `${lake.objects.length} objects as read`, input.sha256, seriesHash(lake.series));
        checks.push(fromLake);
        if (fromLake.status === 'match') series = lake.series;
      }
    }
    if (series) out.set((input.symbol ?? '').toUpperCase(), { series, skipped: input.skipped ?? [], objects: input.objects ?? [] });
  }
  return out;
}

/** The champion as it scored: the artifact at its key, checked against its hash. */
async function recordedModel(lineage: AuditLineage, evidence: AuditEvidence, checks: PieceCheck[]): Promise<ChampionModel | null> {
  const m = lineage.model;
  if (!m?.artifactKey || !m.artifactSha256) return null;
  const text = await evidence.text(m.artifactKey);
  const check = checkPiece(`model artifact ${m.version}`, m.artifactKey, m.artifactSha256, text === null ? null : sha(text));
  checks.push(check);
  if (text === null || check.status !== 'match') return null;
  const artifact: ModelArtifact = parseArtifact(text);
  return { version: m.version, artifact, ...(m.promotedAt === undefined ? {} : { promotedAt: m.promotedAt }) };
}

/** HEAD requests in flight while looking at the lake today. */
const HEAD_CONCURRENCY = 16;

/** How each lake input's objects stand today. */
async function lakeToday(lineage: AuditLineage, evidence: AuditEvidence): Promise<LakeNow[]> {
  const out: LakeNow[] = [];
  for (const input of lineage.inputs) {
    if (input.source !== 'lake') continue;
    const refs = input.objects ?? [];
    const heads = await mapWithConcurrency(refs, HEAD_CONCURRENCY, (ref) => evidence.head(ref.key));
    const now = { symbol: input.symbol, objects: refs.length, unchanged: 0, changed: 0, gone: 0 };
    refs.forEach((ref, i) => {
      const head = heads[i];
      if (!head) now.gone++;
      else if (head.etag === ref.etag && (ref.versionId === undefined || head.versionId === ref.versionId)) now.unchanged++;
      else now.changed++;
    });
    out.push(now);
  }
  return out;
}

/**
 * The answer recomputed by the API's routes from the recorded pieces: the request as received,
 * the stored series in place of the lake, the recorded champion in place of the current one,
 * the item's request id and time.
 */
async function recomputeAnswer(
  record: Pick<AuditRecord, 'requestId' | 'route' | 'timestamp'>,
  request: string,
  lake: ReadonlyMap<string, LakeSeriesRead>,
  champion: ChampionModel | null,
): Promise<APIGatewayProxyResult> {
  const used: Pick<ApiDependencies, 'logger' | 'now' | 'readSeries' | 'loadChampion'> = {
    logger: new Logger({ serviceName: 'riskfn-replay', logLevel: 'SILENT' }),
    now: () => new Date(record.timestamp),
    readSeries: async (symbol) => lake.get(symbol.toUpperCase()) ?? { series: null, skipped: [] },
    loadChampion: async () => champion,
  };
  // Everything else a route could reach (the audit log, the registry, other artifacts) is not part
  // of an answer's inputs: a replay that touched it would not be a replay, so it throws.
  const deps = new Proxy(used, {
    get: (target, name) => (name in target ? target[name as keyof typeof target] : unusable(String(name))),
  }) as ApiDependencies;
  const space = record.route.indexOf(' ');
  const event = {
    httpMethod: record.route.slice(0, space),
    path: record.route.slice(space + 1),
    resource: '/{proxy+}',
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: request,
    isBase64Encoded: false,
    requestContext: { requestId: record.requestId },
  } as unknown as APIGatewayProxyEvent;
  const context = { awsRequestId: record.requestId, functionName: 'riskfn-replay' } as Context;
  return (await router(apiRoutes(deps))(event, context)) as APIGatewayProxyResult;
}

/** Replays the answer of `requestId` (see the module comment). Throws {@link AuditRecordNotFoundError}. */
export async function replayAnswer(requestId: string, evidence: AuditEvidence): Promise<ReplayReport> {
  const record = await evidence.record(requestId);
  if (!record) throw new AuditRecordNotFoundError(requestId);
  const lineage = record.lineage;
  const base = {
    requestId,
    route: record.route,
    status: record.status,
    timestamp: record.timestamp,
    modelVersion: record.modelVersion ?? null,
    code: { recorded: lineage?.code ?? null, replaying: codeVersion() },
  };
  const checks: PieceCheck[] = [];
  if (!lineage) {
    const why = 'the item carries no lineage: only scoring answers (2xx of the POST routes) have one';
    return { ...base, checks, comparison: null, verdict: replayVerdict(checks, null, why), lakeNow: [] };
  }
  const answer = await recordedAnswer(record, evidence, checks);
  const request = await recordedRequest(record, lineage, evidence, checks);
  const lake = await recordedInputs(lineage, evidence, checks);
  const champion = await recordedModel(lineage, evidence, checks);
  const lakeNow = await lakeToday(lineage, evidence);
  const missing = [
    answer === null ? 'the answer body' : null,
    request === null ? 'the request' : null,
    lineage.model && !champion ? 'the model artifact' : null,
    lake.size < lineage.inputs.filter((i) => i.source === 'lake').length ? 'an input series' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0 || answer === null || request === null) {
    const why = `cannot recompute without ${missing.join(', ')}`;
    return { ...base, checks, comparison: null, verdict: replayVerdict(checks, null, why), lakeNow };
  }
  let recomputed: APIGatewayProxyResult;
  try {
    recomputed = await recomputeAnswer(record, request, lake, champion);
  } catch (err) {
    const error = `recomputing failed: ${(err as Error).name}: ${(err as Error).message}`;
    return { ...base, checks, comparison: null, verdict: replayVerdict(checks, null, error), lakeNow, error };
  }
  const conventions = (JSON.parse(recomputed.body) as { conventions?: unknown }).conventions ?? null;
  checks.push(checkPiece('conventions', "this code's answer", lineage.conventions, hashCanonical(conventions)));
  const comparison = compareAnswers(answer, recomputed.body);
  return { ...base, checks, comparison, verdict: replayVerdict(checks, comparison), lakeNow };
}
