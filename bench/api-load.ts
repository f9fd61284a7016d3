/**
 * A bounded load run against the local stack (what `npm start` runs: emulators, ingest of the
 * sample prices, one training workflow run, the API server), on localhost only: for each route
 * run, autocannon sends `--requests` requests over `--connections` connections, then the run's
 * req/s, latency p50/p99 and errors are printed and the audit trail is checked: every answer's
 * request id has its audit item, and the audit table grew by exactly the number of answers (one
 * item per answer, none extra). The runs: `POST /v1/risk/instrument` with DAX from the lake
 * (7 years) and with a 252-price body, `POST /v1/risk/portfolio` of the four lake indices, and
 * `POST /v1/risk/backtest` of DAX (250-day window).
 *
 * For the cost model (bench/cost-model.ts) it also counts the S3 and DynamoDB calls per answer
 * (bench/aws-request-counter.ts; locally the audit writer runs inside the API process, in AWS
 * it is one more Lambda invocation per answer), the answer's size and the audit item's size
 * (DynamoDB's item-size rule, on a sample of each run's items).
 *
 *   npx tsx bench/api-load.ts [--requests N] [--connections N] [--runs lake,body,portfolio,backtest] [--summary FILE.json]
 *
 * Not a *.bench.ts file: it starts the whole local stack (about a minute), so `npm run bench`
 * leaves it out; run it on its own. Exit code 1 when an answer lacks its audit item, or a request
 * got no answer or a non-2xx one.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createRequestCounter } from './aws-request-counter.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    runs: { type: 'string', default: 'lake,body,portfolio,backtest' },
    connections: { type: 'string', default: '8' },
    summary: { type: 'string' },
  },
});
const AMOUNT = Number(args.requests);
const CONNECTIONS = Number(args.connections);
if (!(Number.isInteger(AMOUNT) && AMOUNT >= 1 && Number.isInteger(CONNECTIONS) && CONNECTIONS >= 1)) {
  throw new RangeError(`--requests and --connections must be positive integers, got ${args.requests} and ${args.connections}`);
}
/** Audit items read back per run to measure their size. */
const SIZE_SAMPLE = 100;

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startEmulators } = await import('../lib/local/emulators.ts');
const { startLocalStack } = await import('../lib/local/local-stack.ts');
const { dynamoDocumentClient, s3Client } = await import('../lib/adapters/clients.ts');
const { BatchGetCommand, ScanCommand } = await import('@aws-sdk/lib-dynamodb');
const { AUDIT_TABLE, DATA_LAKE_BUCKET } = await import('../lib/config/resources.ts');
const { samplePrices } = await import('../test/unit/api/fixtures.ts');
const registry = await import('../lib/adapters/dynamodb/model-registry.ts');
const { putArtifactText } = await import('../lib/adapters/s3/model-store.ts');
const { buildTrainingSet, serializeArtifact, trainRiskModel } = await import('../lib/domain/model/index.ts');

const t0 = performance.now();
const emulators = await startEmulators();
emulators.applyEnv();
const stack = await startLocalStack({ port: 0, trainingInput: { options: { trees: 50 } } });
// The workflow's gate may reject its first challenger (it must beat the baselines); the load
// run needs a champion to score with, so one is trained here the same way and promoted.
let championNote = 'promoted by the workflow';
if (!(await registry.getChampion())) {
  const indices = (['DAX', 'CAC', 'FTSE', 'SMI'] as const).map((n) => samplePrices(n, 1860));
  const { artifact } = trainRiskModel(buildTrainingSet(indices), { trees: 50, permutationRepeats: 0 });
  const version = 'rf-load-bench';
  const artifactKey = await putArtifactText(DATA_LAKE_BUCKET.localName, version, serializeArtifact({ ...artifact, version }));
  await registry.promoteChampion({ version, artifactKey, score: 0, promotedAt: new Date().toISOString() }, null);
  championNote = 'the workflow rejected its challenger: a 50-tree model trained on the four indices promoted by the bench';
}
console.log(
  `local stack up in ${((performance.now() - t0) / 1000).toFixed(1)} s: API ${stack.apiUrl}, workflow ${stack.firstTraining.path.join(' -> ')}; champion ${championNote}`,
);
console.log(`node ${process.version}; ${AMOUNT} requests per run over ${CONNECTIONS} connections, autocannon in the same process as the server\n`);

async function auditCount(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDocumentClient().send(new ScanCommand({ TableName: AUDIT_TABLE.name, Select: 'COUNT', ExclusiveStartKey: start }));
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** How many of `ids` have an audit item (BatchGetItem, 100 keys at a time). */
async function audited(ids: readonly string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((requestId) => ({ requestId }));
    while (keys && keys.length > 0) {
      const out = await dynamoDocumentClient().send(
        new BatchGetCommand({ RequestItems: { [AUDIT_TABLE.name]: { Keys: keys, ProjectionExpression: 'requestId' } } }),
      );
      found += out.Responses?.[AUDIT_TABLE.name]?.length ?? 0;
      keys = out.UnprocessedKeys?.[AUDIT_TABLE.name]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
}

/**
 * The size DynamoDB bills an item at: attribute names plus values (strings in UTF-8, numbers about
 * one byte per two digits plus one, 3 bytes per map or list plus 1 per element, 1 per boolean or null).
 */
function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return (
      Math.ceil(
        String(Math.abs(value))
          .replace(/[^0-9]/g, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + itemBytes(v), 0);
  return 3 + Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + itemBytes(v), 0);
}

/** Mean billed size (bytes) of the audit items of the first `SIZE_SAMPLE` ids. */
async function meanAuditItemBytes(ids: readonly string[]): Promise<number> {
  const keys = ids.slice(0, SIZE_SAMPLE).map((requestId) => ({ requestId }));
  if (keys.length === 0) return 0;
  const out = await dynamoDocumentClient().send(new BatchGetCommand({ RequestItems: { [AUDIT_TABLE.name]: { Keys: keys } } }));
  const items = out.Responses?.[AUDIT_TABLE.name] ?? [];
  return items.reduce((n, item) => n + itemBytes(item), 0) / Math.max(1, items.length);
}

const counter = createRequestCounter();
counter.attach(s3Client(), 's3');
counter.attach(dynamoDocumentClient(), 'dynamodb');
/**
 * The API server answers outside any counted phase (its sockets are not the caller's): its calls count as `other`; the bench's own reads run as `check`.
 * Summed over key prefixes: the counter keeps `staging/` and `curated/` LISTs (and lake and model GETs) apart.
 */
const serverCalls = (): Map<string, number> => {
  const calls = new Map<string, number>();
  for (const c of counter.counts()) {
    if (c.phase === 'other') calls.set(`${c.service} ${c.command}`, (calls.get(`${c.service} ${c.command}`) ?? 0) + c.count);
  }
  return calls;
};
// The local stack's compaction loop would LIST the lake every 30 s in the middle of a run; nothing is ingested during the load.
await stack.compaction.stop();

// One training run with the workflow's defaults (what the daily schedule starts), timed for the cost model.
const tTrain = performance.now();
const training = await stack.workflow.run({});
const trainingSeconds = (performance.now() - tTrain) / 1000;
console.log(`training workflow with its defaults: ${training.status} in ${trainingSeconds.toFixed(1)} s, ${training.path.length} states entered\n`);

const cac = samplePrices('CAC', 1860);
const runs = [
  { key: 'lake', name: 'POST /v1/risk/instrument, lake symbol DAX (7 years)', path: '/v1/risk/instrument', body: { symbol: 'DAX' } },
  {
    key: 'body',
    name: 'POST /v1/risk/instrument, 252 prices in the body',
    path: '/v1/risk/instrument',
    body: { prices: cac.dates.slice(-252).map((date, i) => ({ date, close: cac.close[1860 - 252 + i] })) },
  },
  {
    key: 'portfolio',
    name: 'POST /v1/risk/portfolio, 4 lake indices (7 years each)',
    path: '/v1/risk/portfolio',
    body: {
      holdings: [
        { symbol: 'DAX', weight: 0.4 },
        { symbol: 'CAC', weight: 0.3 },
        { symbol: 'FTSE', weight: 0.2 },
        { symbol: 'SMI', weight: 0.1 },
      ],
    },
  },
  { key: 'backtest', name: 'POST /v1/risk/backtest, lake symbol DAX, 250-day window', path: '/v1/risk/backtest', body: { symbol: 'DAX', window: 250 } },
].filter((run) => args.runs.split(',').includes(run.key));

interface RunResult {
  name: string;
  answers: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  audited: string;
  ok: boolean;
  /** AWS calls per answer by service and command, e.g. `s3 GetObject`. */
  callsPerAnswer: Record<string, number>;
  meanAnswerBytes: number;
  meanAuditItemBytes: number;
}
const results: RunResult[] = [];
try {
  for (const run of runs) {
    const before = await counter.run('check', auditCount);
    const callsBefore = serverCalls();
    const ids: string[] = [];
    const statuses = new Map<number, number>();
    let answerBytes = 0;
    const result = await autocannon({
      url: stack.apiUrl,
      connections: CONNECTIONS,
      amount: AMOUNT,
      // The local server's Lambda timeout is 29 s; autocannon's default 10 s would count a slow answer as an error.
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: run.path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(run.body),
          onResponse: (status: number, body: string) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            answerBytes += Buffer.byteLength(body);
            const id = (JSON.parse(body) as { requestId?: string }).requestId;
            if (id) ids.push(id);
          },
        },
      ],
    });
    const callsAfter = serverCalls();
    const answers = [...statuses.values()].reduce((a, b) => a + b, 0);
    const grew = (await counter.run('check', auditCount)) - before;
    const withItem = await counter.run('check', () => audited(ids));
    const auditOk = ids.length === answers && withItem === answers && grew === answers;
    const ok = auditOk && answers === AMOUNT && result.non2xx === 0;
    const callsPerAnswer: Record<string, number> = {};
    for (const [key, n] of callsAfter) if (n > (callsBefore.get(key) ?? 0)) callsPerAnswer[key] = (n - (callsBefore.get(key) ?? 0)) / answers;
    results.push({
      name: run.name,
      answers,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      audited: auditOk
        ? `${withItem}/${answers}, table +${grew}: one each`
        : `MISMATCH: ids ${ids.length}, items ${withItem}, table +${grew}, answers ${answers}`,
      ok,
      callsPerAnswer,
      meanAnswerBytes: answerBytes / Math.max(1, answers),
      meanAuditItemBytes: await counter.run('check', () => meanAuditItemBytes(ids)),
    });
    const r = results[results.length - 1]!;
    console.log(
      `${r.name}: ${r.answers} answers, ${r.requestsPerSecond.toFixed(1)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}, errors ${r.errors}; ${r.audited}`,
    );
    if (statuses.size > 1 || !statuses.has(200)) console.log(`${run.name}: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }
} finally {
  await stack.stop();
  await emulators.stop();
}
const rows: string[][] = [['run', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'audited']];
for (const r of results) {
  rows.push([r.name, String(r.answers), r.requestsPerSecond.toFixed(1), String(r.p50Ms), String(r.p99Ms), String(r.non2xx), String(r.errors), r.audited]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
console.log('\nper answer: AWS calls (local: the audit writer runs in the API process), answer size, audit item size (DynamoDB billing rule)');
for (const r of results) {
  const calls = Object.entries(r.callsPerAnswer)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  console.log(`  ${r.name}: ${calls}; answer ${(r.meanAnswerBytes / 1024).toFixed(1)} KiB; audit item ${(r.meanAuditItemBytes / 1024).toFixed(1)} KiB`);
}
console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
if (args.summary) {
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    connections: CONNECTIONS,
    requests: AMOUNT,
    trainingSeconds,
    trainingStates: training.path.length,
    runs: results,
  };
  writeFileSync(args.summary, `${JSON.stringify(summary, null, 1)}\n`);
  console.log(`summary written to ${args.summary}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
