/**
 * Shared test material for the API unit tests: sample prices, a small real model trained on
 * them (once per process), API Gateway events, a silent logger and in-memory dependencies.
 */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { ApiDependencies, ChampionModel } from '../../../functions/api/dependencies.ts';
import { ObjectMissingError } from '../../../lib/adapters/s3/objects.ts';
import { buildTrainingSet, type ModelArtifact, parseArtifact, serializeArtifact, trainRiskModel } from '../../../lib/domain/model/index.ts';
import { parsePriceCsv } from '../../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { type MemoryRegistry, memoryRegistry } from '../functions/memory-registry.ts';
import { memoryAudit } from './memory-audit.ts';
import { MemoryIdempotencyStore } from './memory-idempotency-store.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The first `n` closes of a bundled sample file (data/sample/eustock_<name>.csv). */
export function samplePrices(name: 'DAX' | 'CAC' | 'FTSE' | 'SMI', n: number): PriceSeries {
  const full = parsePriceCsv(readFileSync(join(ROOT, 'data', 'sample', `eustock_${name}.csv`), 'utf8'), { symbol: name });
  return { symbol: name, dates: full.dates.slice(0, n), close: full.close.slice(0, n) };
}

let model: ModelArtifact | undefined;
/** A small real model (few trees) trained on two sample series, round-tripped through its JSON as the API loads it. */
export function tinyModel(): ModelArtifact {
  model ??= parseArtifact(
    serializeArtifact(trainRiskModel(buildTrainingSet([samplePrices('DAX', 500), samplePrices('CAC', 500)]), { trees: 5, permutationRepeats: 0 }).artifact),
  );
  return model;
}

export const silentLogger = (): Logger => new Logger({ serviceName: 'riskfn-api-test', logLevel: 'SILENT' });

/** An API Gateway REST (v1) proxy event like the one the local server and API Gateway deliver. */
export function proxyEvent(opts: {
  method?: string;
  path?: string;
  body?: unknown;
  headers?: Record<string, string>;
  requestId?: string | null;
}): APIGatewayProxyEvent {
  const path = opts.path ?? '/v1/risk/instrument';
  const method = opts.method ?? 'POST';
  const headers = opts.headers ?? { 'Content-Type': 'application/json' };
  const requestId = opts.requestId === undefined ? randomUUID() : opts.requestId;
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: opts.body === undefined ? null : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    isBase64Encoded: false,
    requestContext: (requestId === null
      ? undefined
      : {
          accountId: '000000000000',
          apiId: 'test',
          authorizer: null,
          protocol: 'HTTP/1.1',
          httpMethod: method,
          path: `/test${path}`,
          stage: 'test',
          requestId,
          requestTimeEpoch: 0,
          resourceId: 'r',
          resourcePath: '/{proxy+}',
          identity: { sourceIp: '127.0.0.1' },
        }) as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** A Lambda context as the local API server builds it. */
export const lambdaContext = (): Context => createLambdaContext({ functionName: 'riskfn-api-test', timeoutMs: 10_000 });

export const FIXED_NOW = new Date('2026-11-25T09:00:00.000Z');

/**
 * In-memory dependencies: a lake of `series`, an optional champion, the audit trail in memory (./memory-audit.ts), a silent logger, a fixed clock,
 * an in-memory model registry (empty unless given), artifacts by key (`tinyModel()` for every key unless given) and model cards by
 * version (none unless given).
 */
export function memoryDependencies(opts: {
  lake?: PriceSeries[];
  champion?: ChampionModel | null;
  readSeries?: ApiDependencies['readSeries'];
  auditFail?: Error;
  /** The audit writer's inline limit for answer bodies (default the real one). */
  auditInlineResultBytes?: number;
  idempotencyStore?: ApiDependencies['idempotencyStore'];
  registry?: MemoryRegistry;
  artifacts?: Map<string, ModelArtifact>;
  /** Stored model cards (JSON text) by version. */
  modelCards?: Map<string, string>;
}) {
  const lake = new Map((opts.lake ?? []).map((s) => [s.symbol!.toUpperCase(), s]));
  const { items, audit, table: auditTable, store: auditStore } = memoryAudit({ fail: opts.auditFail, inlineResultBytes: opts.auditInlineResultBytes });
  const deps: ApiDependencies = {
    readSeries: opts.readSeries ?? (async (symbol) => ({ series: lake.get(symbol.toUpperCase()) ?? null, skipped: [] })),
    loadChampion: async () =>
      opts.champion === undefined ? { version: 'v-test', artifact: tinyModel(), promotedAt: '2026-11-24T00:00:00.000Z' } : opts.champion,
    audit,
    idempotencyStore: opts.idempotencyStore ?? new MemoryIdempotencyStore(),
    logger: silentLogger(),
    now: () => FIXED_NOW,
    registry: opts.registry ?? memoryRegistry(),
    async loadArtifact(_version, artifactKey) {
      if (!opts.artifacts) return tinyModel();
      const artifact = opts.artifacts.get(artifactKey);
      if (!artifact) throw new ObjectMissingError('memory', artifactKey);
      return artifact;
    },
    readModelCard: async (version) => opts.modelCards?.get(version) ?? null,
  };
  return { deps, auditItems: items, auditTable, auditStore };
}
