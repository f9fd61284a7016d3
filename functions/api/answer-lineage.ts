/**
 * What a scoring route tells the audit trail about how it made its answer, beside the answer
 * itself: the series it scored (with the lake objects they were read from) and the champion that
 * scored them. The route attaches these facts to its response ({@link withLineage}) under a symbol
 * key, which neither API Gateway nor the local server sends; the audit trail turns them into the
 * item's `lineage` ({@link answerLineage}) and the copies the audit writer stores.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { CodeVersion } from '../../lib/adapters/code-version.ts';
import { auditInputKey, auditRequestKey } from '../../lib/adapters/s3/audit-store.ts';
import type { LakeObjectRead, SkippedLakeObject } from '../../lib/adapters/s3/lake-reader.ts';
import { packCopy } from '../../lib/adapters/write-audit-entry.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { hashCanonical } from '../../lib/domain/scoring/input-hash.ts';
import { seriesCopy, seriesHash } from '../../lib/domain/scoring/series-document.ts';
import type { AuditInput, AuditLineage, AuditWriteRequest } from '../../lib/schemas/audit-record.ts';
import type { LruCache } from '../../lib/util/lru-cache.ts';
import type { ChampionModel } from './dependencies.ts';

/** One series an answer used, and where it came from. */
export interface AnswerInputFacts {
  symbol: string | null;
  source: 'lake' | 'request';
  series: PriceSeries;
  /** The lake objects read (absent from in-memory lakes). */
  objects?: LakeObjectRead[];
  skipped: SkippedLakeObject[];
}

/** What the answer was made of: its series, in request order, and the champion (none for a backtest). */
export interface AnswerFacts {
  inputs: AnswerInputFacts[];
  champion?: ChampionModel;
}

const FACTS = Symbol('riskfn.answerFacts');

/** `response` carrying `facts` for the audit trail (not serialised: a symbol-keyed, non-enumerable member). */
export function withLineage(response: APIGatewayProxyResult, facts: AnswerFacts): APIGatewayProxyResult {
  Object.defineProperty(response, FACTS, { value: facts, enumerable: false });
  return response;
}

/** The facts a route attached to its response, if any. */
export function answerFactsOf(response: APIGatewayProxyResult): AnswerFacts | undefined {
  return (response as { [FACTS]?: AnswerFacts })[FACTS];
}

/** What the audit trail knows of the request besides the facts. */
interface LineageContext {
  /** The answer's `conventions` member (parsed). */
  conventions: unknown;
  requestHash: string;
  requestTruncated: boolean;
  /** The body's text, sent to the writer when the item's excerpt does not hold all of it. */
  requestText: () => string;
  code: CodeVersion;
  /** Input hashes whose copies the writer has confirmed stored (per container): their text is not sent again. */
  stored: LruCache<string, true>;
}

/** The item's lineage and the copies the writer must store with it (`request`, `inputs`). */
export function answerLineage(facts: AnswerFacts, ctx: LineageContext): { lineage: AuditLineage } & Pick<AuditWriteRequest, 'request' | 'inputs'> {
  const copies: NonNullable<AuditWriteRequest['inputs']> = [];
  const inputs = facts.inputs.map((f): AuditInput => {
    if (f.source === 'request') return { symbol: f.symbol, source: 'request', sha256: seriesHash(f.series) };
    const copy = seriesCopy(f.series);
    const sha256 = copy.sha256;
    // A copy the writer has stored before is not sent again (nor written: its key is its content).
    if (ctx.stored.get(sha256) === undefined && !copies.some((c) => c.sha256 === sha256)) copies.push({ sha256, ...packCopy(copy.text()) });
    return {
      symbol: f.symbol,
      source: 'lake',
      sha256,
      copyKey: auditInputKey(sha256),
      objects: f.objects ?? [],
      ...(f.skipped.length > 0 ? { skipped: f.skipped } : {}),
    };
  });
  const c = facts.champion;
  const lineage: AuditLineage = {
    ...(ctx.requestTruncated ? { requestKey: auditRequestKey(ctx.requestHash) } : {}),
    inputs,
    ...(c
      ? {
          model: {
            version: c.version,
            ...(c.artifactKey === undefined ? {} : { artifactKey: c.artifactKey }),
            ...(c.artifactSha256 === undefined ? {} : { artifactSha256: c.artifactSha256 }),
            ...(c.promotedAt === undefined ? {} : { promotedAt: c.promotedAt }),
          },
        }
      : {}),
    code: ctx.code,
    conventions: hashCanonical(ctx.conventions ?? null),
  };
  return { lineage, ...(ctx.requestTruncated ? { request: packCopy(ctx.requestText()) } : {}), ...(copies.length > 0 ? { inputs: copies } : {}) };
}
