/**
 * API latency in-process: the real middy handler (createApiHandler: correlation id, limits, the
 * audit trail, problem responses, the router and each route's own chain) called with API Gateway
 * proxy events, with in-memory dependencies (lake, champion, registry, audit writer), so the
 * numbers are the handler's own cost without network or emulators. Per route: p50, p99 and mean
 * over N warm calls (fewer for a slow route: at most 20 s of calls, at least 50). Inputs: a lake
 * symbol with 7 years of daily history (eustock DAX, 1,860 closes), a body of 252 prices, a
 * portfolio of 10 lake symbols with 7 years each, and the registry reads. Targets: instrument
 * p50 <= 1 ms, portfolio p50 <= 5 ms. Those rows repeat one history, whose price columns the input
 * hash remembers; two more rows give every call histories not seen before (the cost of writing
 * them for the hash included).
 *
 *   npx tsx bench/api.bench.ts [calls]
 *
 * The champion is a 50-tree forest trained on the four eustock indices (the reference
 * handler: middy + zod + a 50-tree forest at 0.11 ms).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApiHandler } from '../functions/api/create-handler.ts';
import { buildTrainingSet, parseArtifact, serializeArtifact, trainRiskModel } from '../lib/domain/model/index.ts';
import type { PriceSeries } from '../lib/domain/prices/price-series.ts';
import { Xoshiro128 } from '../lib/util/prng.ts';
import { lambdaContext, memoryDependencies, proxyEvent, samplePrices } from '../test/unit/api/fixtures.ts';
import { memoryRegistry } from '../test/unit/functions/memory-registry.ts';

const CALLS = Number(process.argv[2] ?? 2000);
const WARMUP = Math.min(300, Math.ceil(CALLS / 5));
/** A route stops after this much measured time once it has MIN_CALLS calls. */
const BUDGET_MS = 20_000;
const MIN_CALLS = 50;
const SAMPLE_ROWS = 1860;

/** Ten correlated random walks over DAX's dates (a market factor plus noise), named P0..P9. */
function portfolioLake(dates: readonly string[]): PriceSeries[] {
  const rng = new Xoshiro128(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const closes = Array.from({ length: 10 }, () => new Float64Array(dates.length));
  const last = new Float64Array(10).fill(100);
  for (let t = 0; t < dates.length; t++) {
    const market = normal() * 0.009;
    for (let j = 0; j < 10; j++) {
      if (t > 0) last[j] *= 1 + (0.5 + j / 10) * market + normal() * 0.011;
      closes[j][t] = last[j];
    }
  }
  return closes.map((close, j) => ({ symbol: `P${j}`, dates: [...dates], close }));
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const indices = (['DAX', 'CAC', 'FTSE', 'SMI'] as const).map((n) => samplePrices(n, SAMPLE_ROWS));
  const t0 = performance.now();
  const { artifact } = trainRiskModel(buildTrainingSet(indices), { trees: 50, permutationRepeats: 0 });
  const model = parseArtifact(serializeArtifact({ ...artifact, version: 'rf-bench' }));
  const trainMs = performance.now() - t0;

  const dax = indices[0];
  const holdings = portfolioLake(dax.dates);
  const registry = memoryRegistry();
  await registry.recordModelVersion({
    version: 'rf-bench',
    artifactKey: 'models/rf-bench/model.json',
    status: 'candidate',
    createdAt: '2026-11-30T09:00:00.000Z',
  });
  await registry.promoteChampion({ version: 'rf-bench', artifactKey: 'models/rf-bench/model.json', score: 0.6, promotedAt: '2026-11-30T10:00:00.000Z' }, null);
  await registry.markChampionVersion('rf-bench', { artifactKey: 'models/rf-bench/model.json', promotedAt: '2026-11-30T10:00:00.000Z' });
  const { deps } = memoryDependencies({
    lake: [dax, ...holdings],
    champion: { version: 'rf-bench', artifact: model, promotedAt: '2026-11-30T10:00:00.000Z' },
    registry,
    artifacts: new Map([['models/rf-bench/model.json', model]]),
  });
  const handler = createApiHandler(deps);
  const ctx = lambdaContext();

  // Histories never seen before: each lake read (and each body) has new closes — rounded to cents
  // and moved by a cent per read, like a lake's prices after a correction — so the input hash
  // writes every price column anew. The other rows repeat one history, whose column texts the
  // hash remembers.
  let reads = 0;
  const lake = new Map([dax, ...holdings].map((s) => [s.symbol as string, s]));
  const newCloses = (close: Float64Array) => {
    reads++;
    return close.map((c) => Math.round(c * 100 + reads) / 100);
  };
  const { deps: unseenDeps } = memoryDependencies({
    champion: { version: 'rf-bench', artifact: model, promotedAt: '2026-11-30T10:00:00.000Z' },
    registry,
    readSeries: async (symbol) => {
      const s = lake.get(symbol);
      return { series: s ? { ...s, close: newCloses(s.close) } : null, skipped: [] };
    },
  });
  const unseenHandler = createApiHandler(unseenDeps);

  const cac = indices[1];
  const body252 = {
    prices: Array.from({ length: 252 }, (_, i) => ({ date: cac.dates[SAMPLE_ROWS - 252 + i], close: cac.close[SAMPLE_ROWS - 252 + i] })),
  };
  const routes: { name: string; target?: number; event: () => APIGatewayProxyEvent; handler?: typeof handler }[] = [
    { name: 'POST /v1/risk/instrument, lake symbol, 7 years', target: 1, event: () => proxyEvent({ body: { symbol: 'DAX' } }) },
    { name: 'POST /v1/risk/instrument, 252 prices in the body', target: 1, event: () => proxyEvent({ body: body252 }) },
    {
      name: 'POST /v1/risk/portfolio, 10 lake symbols, 7 years',
      target: 5,
      event: () => proxyEvent({ path: '/v1/risk/portfolio', body: { holdings: holdings.map((h) => ({ symbol: h.symbol, weight: 0.1 })) } }),
    },
    {
      name: 'POST /v1/risk/instrument, 252 prices in the body, a new history each call',
      handler: unseenHandler,
      event: () => {
        const close = newCloses(Float64Array.from(body252.prices, (p) => p.close));
        return proxyEvent({ body: { prices: body252.prices.map((p, i) => ({ date: p.date, close: close[i] })) } });
      },
    },
    {
      name: 'POST /v1/risk/portfolio, 10 lake symbols, 7 years, histories not seen before',
      handler: unseenHandler,
      event: () => proxyEvent({ path: '/v1/risk/portfolio', body: { holdings: holdings.map((h) => ({ symbol: h.symbol, weight: 0.1 })) } }),
    },
    { name: 'GET /v1/models/champion', event: () => proxyEvent({ method: 'GET', path: '/v1/models/champion', headers: {} }) },
    { name: 'GET /v1/models', event: () => proxyEvent({ method: 'GET', path: '/v1/models', headers: {} }) },
    { name: 'GET /health', event: () => proxyEvent({ method: 'GET', path: '/health', headers: {} }) },
  ];

  console.log(
    `champion: 50 trees, ${model.featureNames.length} features, trained in ${(trainMs / 1000).toFixed(1)} s; up to ${CALLS} calls per route (${BUDGET_MS / 1000} s at most, at least ${MIN_CALLS}) after up to ${WARMUP} warm-up calls`,
  );
  // Timings depend on what else the machine runs: the load is printed before and after the routes.
  const load = () =>
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min) on ${availableParallelism()} cores`;
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; ${load()}\n`);
  const rows: string[][] = [['route', 'status', 'calls', 'p50 ms', 'p99 ms', 'mean ms', 'target p50']];
  let missed = 0;
  for (const route of routes) {
    const call = route.handler ?? handler;
    const first = (await call(route.event(), ctx)) as APIGatewayProxyResult;
    if (first.statusCode !== 200) throw new Error(`${route.name}: ${first.statusCode} ${first.body.slice(0, 300)}`);
    const warmStart = performance.now();
    for (let i = 0; i < WARMUP && performance.now() - warmStart < BUDGET_MS / 4; i++) await call(route.event(), ctx);
    const all = new Float64Array(CALLS);
    let n = 0;
    const started = performance.now();
    while (n < CALLS && (n < MIN_CALLS || performance.now() - started < BUDGET_MS)) {
      const event = route.event();
      event.requestContext.requestId = randomUUID();
      const start = process.hrtime.bigint();
      await call(event, ctx);
      all[n++] = Number(process.hrtime.bigint() - start) / 1e6;
    }
    const times = all.subarray(0, n);
    const sorted = times.slice().sort();
    const p50 = percentile(sorted, 50);
    const met = route.target === undefined ? '' : p50 <= route.target ? `<= ${route.target} ms: met` : `<= ${route.target} ms: MISSED`;
    if (route.target !== undefined && p50 > route.target) missed++;
    const mean = times.reduce((a, b) => a + b, 0) / n;
    rows.push([route.name, String(first.statusCode), String(n), p50.toFixed(3), percentile(sorted, 99).toFixed(3), mean.toFixed(3), met]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  console.log(`\nafter the routes: ${load()}`);
  if (missed > 0) console.log(`\n${missed} route(s) above their p50 target`);
}

await main();
