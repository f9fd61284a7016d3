/**
 * A bounded load run against the local stack (what `npm start` runs: emulators, ingest of the
 * sample prices, one training workflow run, the API server), on localhost only: autocannon
 * sends AMOUNT requests over CONNECTIONS connections to `POST /v1/risk/instrument` (DAX from the
 * lake, 7 years) and, in a second run, with a 252-price body; prints req/s, latency p50/p99 and
 * errors per run, then checks the audit trail: every answer's request id has its audit item,
 * and the audit table grew by exactly the number of answers (one item per answer, none extra).
 *
 *   npx tsx bench/api-load.ts [amount] [connections]
 *
 * Not a *.bench.ts file: it starts the whole local stack (about a minute), so `npm run bench`
 * leaves it out; run it on its own.
 */
import autocannon from 'autocannon';

const AMOUNT = Number(process.argv[2] ?? 2000);
const CONNECTIONS = Number(process.argv[3] ?? 8);

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startEmulators } = await import('../lib/local/emulators.ts');
const { startLocalStack } = await import('../lib/local/local-stack.ts');
const { dynamoDocumentClient } = await import('../lib/adapters/clients.ts');
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

const cac = samplePrices('CAC', 1860);
const runs = [
  { name: 'POST /v1/risk/instrument, lake symbol DAX (7 years)', body: { symbol: 'DAX' } },
  {
    name: 'POST /v1/risk/instrument, 252 prices in the body',
    body: { prices: cac.dates.slice(-252).map((date, i) => ({ date, close: cac.close[1860 - 252 + i] })) },
  },
];

const rows: string[][] = [['run', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'audited']];
let failed = false;
try {
  for (const run of runs) {
    const before = await auditCount();
    const ids: string[] = [];
    const statuses = new Map<number, number>();
    const result = await autocannon({
      url: stack.apiUrl,
      connections: CONNECTIONS,
      amount: AMOUNT,
      requests: [
        {
          method: 'POST',
          path: '/v1/risk/instrument',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(run.body),
          onResponse: (status: number, body: string) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            const id = (JSON.parse(body) as { requestId?: string }).requestId;
            if (id) ids.push(id);
          },
        },
      ],
    });
    const answers = [...statuses.values()].reduce((a, b) => a + b, 0);
    const grew = (await auditCount()) - before;
    const withItem = await audited(ids);
    const ok = ids.length === answers && withItem === answers && grew === answers;
    if (!ok) failed = true;
    rows.push([
      run.name,
      String(answers),
      result.requests.average.toFixed(1),
      String(result.latency.p50),
      String(result.latency.p99),
      String(result.non2xx),
      String(result.errors + result.timeouts),
      ok ? `${withItem}/${answers}, table +${grew}: one each` : `MISMATCH: ids ${ids.length}, items ${withItem}, table +${grew}, answers ${answers}`,
    ]);
    if (statuses.size > 1 || !statuses.has(200)) console.log(`${run.name}: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }
} finally {
  await stack.stop();
  await emulators.stop();
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
process.exit(failed ? 1 : 0);
