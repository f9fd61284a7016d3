/**
 * Cold start of the API Lambda: bundles functions/api.ts with esbuild the way the stack does
 * (LAMBDA_BUNDLING: ESM, minified, external source map, AWS SDK bundled, the createRequire
 * banner, Node 20 target) and prints the bundle's sizes; then, in N fresh node processes
 * (NODE_OPTIONS=--enable-source-maps, as the functions run), times:
 *   - import: loading the bundle (what Lambda's init phase runs),
 *   - first request: `GET /health`, which loads the champion (registry GetItem, artifact GetObject
 *     from S3, parse) and writes its audit item — the model load a cold container pays once,
 *   - warm request: the same again (pointer read and audit write only).
 * The registry, bucket and audit table are the local emulators in this process (so the network
 * part is localhost, not AWS). Medians over N runs; the champion is a default model (100 trees)
 * trained on the four eustock indices. Also prints the artifact's size and its parse time.
 *
 *   npx tsx bench/api-cold-start.ts [N]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { spawnAsync } from '../test/helpers/riskfn-async.ts';

const N = Number(process.argv[2] ?? 7);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const ROOT = join(import.meta.dirname, '..');
const { esbuildLikeLambda } = await import('../lib/infra/defaults/lambda-defaults.ts');
const dir = mkdtempSync(join(tmpdir(), 'riskfn-api-cold-'));
const bundle = join(dir, 'index.mjs');

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const t0 = performance.now();
  await build({ ...esbuildLikeLambda(bundle), entryPoints: [join(ROOT, 'functions/api.ts')] });
  const buildMs = performance.now() - t0;
  const js = readFileSync(bundle);
  const map = readFileSync(`${bundle}.map`);
  console.log(`bundle (esbuild, as the stack bundles it) in ${(buildMs / 1000).toFixed(1)} s`);
  console.log(`  index.mjs      ${kib(js.length)} (gzip -9: ${kib(gzipSync(js, { level: 9 }).length)})`);
  console.log(`  index.mjs.map  ${kib(statSync(`${bundle}.map`).size)} (gzip -9: ${kib(gzipSync(map, { level: 9 }).length)})`);

  const { startEmulators } = await import('../lib/local/emulators.ts');
  const { promoteChampion } = await import('../lib/adapters/dynamodb/model-registry.ts');
  const { putArtifactText } = await import('../lib/adapters/s3/model-store.ts');
  const { DATA_LAKE_BUCKET } = await import('../lib/config/resources.ts');
  const { buildTrainingSet, parseArtifact, serializeArtifact, trainRiskModel } = await import('../lib/domain/model/index.ts');
  const { samplePrices } = await import('../test/unit/api/fixtures.ts');

  const emulators = await startEmulators();
  emulators.applyEnv();
  try {
    const { artifact } = trainRiskModel(buildTrainingSet((['DAX', 'CAC', 'FTSE', 'SMI'] as const).map((n) => samplePrices(n, 1860))), {
      permutationRepeats: 0,
    });
    const text = serializeArtifact({ ...artifact, version: 'rf-cold' });
    const artifactKey = await putArtifactText(DATA_LAKE_BUCKET.localName, 'rf-cold', text);
    await promoteChampion({ version: 'rf-cold', artifactKey, score: 0, promotedAt: new Date().toISOString() }, null);
    const parses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p0 = performance.now();
      parseArtifact(text);
      parses.push(performance.now() - p0);
    }
    console.log(
      `champion artifact: ${artifact.options.trees} trees, ${kib(Buffer.byteLength(text))}; parseArtifact median ${median(parses).toFixed(1)} ms (warm process)\n`,
    );

    const runner = join(dir, 'runner.mjs');
    writeFileSync(
      runner,
      `const t0 = performance.now();
const { handler } = await import(${JSON.stringify(bundle)});
const t1 = performance.now();
const context = { functionName: 'riskfn-api', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:riskfn-api',
  memoryLimitInMB: '1024', awsRequestId: 'cold', logGroupName: '/aws/lambda/riskfn-api', logStreamName: 'cold', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {} };
const event = (id) => ({ resource: '/health', path: '/health', httpMethod: 'GET', headers: {}, multiValueHeaders: {}, queryStringParameters: null,
  multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
  requestContext: { accountId: '000000000000', apiId: 'cold', httpMethod: 'GET', path: '/health', stage: 'v1', requestId: id, requestTimeEpoch: Date.now(),
    resourceId: 'r', resourcePath: '/health', identity: { sourceIp: '127.0.0.1', userAgent: 'cold-start' } } });
const first = await handler(event('cold-' + process.pid + '-1'), context);
const t2 = performance.now();
const second = await handler(event('cold-' + process.pid + '-2'), context);
const t3 = performance.now();
if (first.statusCode !== 200 || !JSON.parse(first.body).champion) throw new Error('health without champion: ' + first.statusCode + ' ' + first.body);
console.log(JSON.stringify({ boot: t0, import: t1 - t0, first: t2 - t1, warm: t3 - t2, status: second.statusCode }));
process.exit(0); // idle keep-alive sockets would hold the process
`,
    );
    const runs: { boot: number; import: number; first: number; warm: number }[] = [];
    for (let i = 0; i < N; i++) {
      // Asynchronous: the emulators answer from this process's event loop.
      const r = await spawnAsync(process.execPath, [runner], {
        cwd: ROOT,
        env: {
          ...emulators.env,
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          POWERTOOLS_SERVICE_NAME: 'riskfn-api',
          NODE_OPTIONS: '--enable-source-maps',
        },
      });
      if (r.status !== 0) throw new Error(`cold-start run failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}'));
    }
    const rows = [
      ['node start to the handler import (runtime boot)', median(runs.map((r) => r.boot))],
      ['import of the bundle (init)', median(runs.map((r) => r.import))],
      ['first request: GET /health, champion loaded + audit write', median(runs.map((r) => r.first))],
      ['init + model load (import + first request)', median(runs.map((r) => r.import + r.first))],
      ['warm request: GET /health again', median(runs.map((r) => r.warm))],
    ] as const;
    console.log(`fresh node processes: ${N} (${process.version}), medians`);
    for (const [label, ms] of rows) console.log(`  ${label.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms`);
  } finally {
    await emulators.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
