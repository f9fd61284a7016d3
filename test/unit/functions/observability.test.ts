/**
 * Tracing and metrics of the handler kit: the X-Ray SDK is loaded only inside Lambda (and then
 * captures the SDK clients), metrics go out only where something reads them, one EMF document
 * per emit with its own dimensions; the API's per-route metrics and the training gate's metrics.
 */

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { requestMetrics, routeNameOf, UNMATCHED_ROUTE } from '../../../functions/api/request-metrics.ts';
import { lambdaHandler } from '../../../functions/kit/lambda-handler.ts';
import { lambdaMetrics, type MetricsEmitter, type MetricValue, metricsWanted } from '../../../functions/kit/metrics.ts';
import { tracer, tracingWanted } from '../../../functions/kit/tracing.ts';
import { createPromoteHandler } from '../../../functions/training/promote.ts';
import { datasetMetrics, gateMetrics } from '../../../functions/training/run-metrics.ts';
import { runStartedAt } from '../../../lib/domain/training/run-id.ts';
import { createLambdaContext } from '../../../lib/local/lambda-context.ts';
import { spawnAsync } from '../../helpers/riskfn-async.ts';
import { memoryRegistry } from './memory-registry.ts';
import { memoryTrainingDependencies } from './memory-training.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** An emitter that keeps what it was given. */
function recorder(): MetricsEmitter & { calls: { values: MetricValue[]; dimensions?: Record<string, string> }[] } {
  const calls: { values: MetricValue[]; dimensions?: Record<string, string> }[] = [];
  return { calls, emit: (values, dimensions) => calls.push({ values: [...values], ...(dimensions ? { dimensions: { ...dimensions } } : {}) }) };
}

const valuesOf = (values: readonly MetricValue[]) => Object.fromEntries(values.map((v) => [v.name, v.value]));

describe('tracing', () => {
  test('only inside Lambda, never under SAM local or with POWERTOOLS_TRACE_ENABLED=false', () => {
    assert.equal(tracingWanted({}), false);
    assert.equal(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }), true);
    assert.equal(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' }), false);
    assert.equal(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' }), false);
    assert.equal(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }), false);
  });

  test('here (no Lambda) the kit has no tracer and has not loaded the X-Ray SDK (its async hook would slow every promise)', async () => {
    assert.equal(tracer, undefined);
    const handler = lambdaHandler<{ n: number }, number>(new (await import('@aws-lambda-powertools/logger')).Logger({ logLevel: 'SILENT' })).handler(
      async (e) => e.n + 1,
    );
    assert.equal(await handler({ n: 1 }, createLambdaContext({ functionName: 'riskfn-kit', timeoutMs: 1000 })), 2);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.equal(
      loaded.some((m) => m.includes('aws-xray-sdk-core') || m.includes('cls-hooked')),
      false,
    );
  });

  test('inside Lambda the tracer is loaded and every SDK client, built before or after, records its calls as subsegments', async () => {
    const script = [
      "const { s3Client, dynamoDocumentClient } = await import('./lib/adapters/clients.ts');",
      'const before = s3Client();',
      "const { tracer } = await import('./functions/kit/tracing.ts');",
      "const names = (c) => c.middlewareStack.identify().filter((n) => n.startsWith('XRaySDKInstrumentation')).length;",
      'console.log(JSON.stringify({ enabled: tracer?.isTracingEnabled(), s3: names(before), ddb: names(dynamoDocumentClient()) }));',
    ].join('\n');
    const out = await spawnAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_REGION: 'us-east-1', AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' },
    });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout.trim().split('\n').at(-1)!), { enabled: true, s3: 1, ddb: 1 });
  });
});

describe('metrics', () => {
  test('as POWERTOOLS_METRICS_DISABLED says, else only inside Lambda', () => {
    assert.equal(metricsWanted({}), false);
    assert.equal(metricsWanted({ AWS_LAMBDA_FUNCTION_NAME: 'f' }), true);
    assert.equal(metricsWanted({ AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_METRICS_DISABLED: 'true' }), false);
    assert.equal(metricsWanted({ POWERTOOLS_METRICS_DISABLED: 'false' }), true);
  });

  test('one EMF document per emit, in the riskfn namespace, its dimensions beside service and on nothing else', () => {
    const saved = { ...process.env };
    const lines: string[] = [];
    const write = process.stdout.write;
    try {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
      delete process.env.POWERTOOLS_METRICS_NAMESPACE;
      const emitter = lambdaMetrics('riskfn-test');
      process.stdout.write = ((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
      emitter.emit([{ name: 'latency', unit: 'Milliseconds', value: 12.5 }], { route: 'scoreInstrument' });
      emitter.emit([{ name: 'promotions', unit: 'Count', value: 1 }]);
    } finally {
      process.stdout.write = write;
      process.env = saved;
    }
    const docs = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(docs.length, 2);
    const [a, b] = docs.map((d) => d._aws.CloudWatchMetrics[0]);
    assert.equal(a.Namespace, 'riskfn');
    assert.deepEqual(a.Dimensions, [['service', 'route']]);
    assert.deepEqual(a.Metrics, [{ Name: 'latency', Unit: 'Milliseconds' }]);
    assert.equal(docs[0].latency, 12.5);
    assert.equal(docs[0].route, 'scoreInstrument');
    assert.deepEqual(b.Dimensions, [['service']]);
    assert.equal(docs[1].route, undefined);
    assert.equal(docs[1].service, 'riskfn-test');
  });

  test('no EMF line and no Powertools instance where metrics are off', () => {
    const saved = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const write = process.stdout.write;
    let written = 0;
    try {
      const emitter = lambdaMetrics('riskfn-test');
      process.stdout.write = (() => ++written > 0) as typeof process.stdout.write;
      emitter.emit([{ name: 'promotions', unit: 'Count', value: 1 }]);
    } finally {
      process.stdout.write = write;
      if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
      else process.env.POWERTOOLS_METRICS_DISABLED = saved;
    }
    assert.equal(written, 0);
  });
});

describe('API request metrics', () => {
  const event = (httpMethod: string, path: string, resource = '/{proxy+}') => ({ httpMethod, path, resource }) as APIGatewayProxyEvent;

  test('the route is the operationId, by resource template or by path (a literal path before a template)', () => {
    assert.equal(routeNameOf(event('POST', '/prod-ignored', '/v1/risk/instrument')), 'scoreInstrument');
    assert.equal(routeNameOf(event('POST', '/v1/risk/portfolio')), 'scorePortfolio');
    assert.equal(routeNameOf(event('GET', '/v1/models/champion')), 'getChampionModel');
    assert.equal(routeNameOf(event('GET', '/v1/models/rf-20260101T000000Z-abcdef')), 'getModelVersion');
    assert.equal(routeNameOf(event('GET', '/v1/risk/instrument')), UNMATCHED_ROUTE);
    assert.equal(routeNameOf(event('GET', '/nope')), UNMATCHED_ROUTE);
  });

  test('latency, request and error counts per route; the answering model version of a scoring answer', async () => {
    const metrics = recorder();
    let t = 1000;
    const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
      .use(
        requestMetrics(metrics, () => {
          t += 40;
          return t;
        }),
      )
      .use({
        onError: (request) => {
          request.response = { statusCode: 503, body: '{"title":"no champion"}' };
        },
      })
      .handler(async (e) => {
        if (e.path === '/v1/risk/portfolio') throw new Error('no champion');
        if (e.path === '/v1/models/x') return { statusCode: 404, body: '{}' };
        return { statusCode: 200, body: JSON.stringify({ symbol: 'SPY', model: { version: 'rf-1', riskLevel: 'low' } }) };
      });
    const context = createLambdaContext({ functionName: 'riskfn-api', timeoutMs: 1000 });
    await handler(event('POST', '/v1/risk/instrument'), context);
    await handler(event('GET', '/v1/models/x'), context);
    await handler(event('POST', '/v1/risk/portfolio'), context);
    assert.deepEqual(
      metrics.calls.map((c) => [c.dimensions, valuesOf(c.values)]),
      [
        [{ route: 'scoreInstrument' }, { requests: 1, latency: 40, clientErrors: 0, serverErrors: 0 }],
        [{ modelVersion: 'rf-1' }, { modelAnswers: 1 }],
        [{ route: 'getModelVersion' }, { requests: 1, latency: 40, clientErrors: 1, serverErrors: 0 }],
        [{ route: 'scorePortfolio' }, { requests: 1, latency: 40, clientErrors: 0, serverErrors: 1 }],
      ],
    );
  });
});

describe('training gate metrics', () => {
  test('the run start comes from the run id; malformed ids have none', () => {
    assert.equal(runStartedAt('20261130T060000Z-0a1b2c')?.toISOString(), '2026-11-30T06:00:00.000Z');
    assert.equal(runStartedAt('manual-run'), null);
    assert.equal(runStartedAt('20261399T060000Z-0a1b2c'), null);
  });

  test('decision, scores, duration of the run so far and the age of the champion it was held against', () => {
    const decision = {
      promote: false,
      reason: 'r',
      metric: 'logLoss',
      challengerScore: 0.5,
      championVersion: 'rf-0',
      championScore: 0.4,
      comparedFrom: '2020-01-01',
      comparedRows: 10,
    };
    const scores = { accuracy: 0.6, balancedAccuracy: 0.55, logLoss: 0.9, brier: 0.5, testRows: 100, testFrom: '2020-01-01' };
    const values = gateMetrics({
      runId: '20261130T060000Z-0a1b2c',
      scores,
      decision,
      championPromotedAt: '2026-11-20T06:07:30.000Z',
      now: new Date('2026-11-30T06:07:30.000Z'),
    });
    assert.deepEqual(valuesOf(values), {
      gatePassed: 0,
      challengerBalancedAccuracy: 0.55,
      challengerLogLoss: 0.9,
      challengerBrier: 0.5,
      trainingDuration: 450,
      championAgeDays: 10,
    });
    const first = gateMetrics({ runId: 'manual', scores, decision: { ...decision, promote: true }, championPromotedAt: null, now: new Date() });
    assert.deepEqual(Object.keys(valuesOf(first)), ['gatePassed', 'challengerBalancedAccuracy', 'challengerLogLoss', 'challengerBrier']);
    assert.equal(valuesOf(first).gatePassed, 1);
  });
});

describe('training metrics from the handlers', () => {
  test('BuildDataset: rows, instruments and instruments left out', () => {
    assert.deepEqual(valuesOf(datasetMetrics({ rows: 5000, symbols: ['A', 'B', 'C'], skipped: [{ symbol: 'D', observations: 3 }] })), {
      datasetRows: 5000,
      datasetSymbols: 3,
      symbolsSkipped: 1,
    });
  });

  test("Promote emits one promotion through the runtime's emitter, with no extra dimension", async () => {
    const metrics = recorder();
    const { deps } = memoryTrainingDependencies({ registry: memoryRegistry(), now: new Date('2026-11-25T09:00:00.000Z') });
    const challenger = {
      version: 'rf-new',
      artifactKey: 'models/rf-new/model.json',
      evaluation: { accuracy: 0.6, balancedAccuracy: 0.55, logLoss: 0.9, testRows: 100, testFrom: '1997-01-02' },
    };
    const evaluation = {
      promote: true,
      reason: 'test',
      metric: 'logLoss',
      challengerScore: 0.9,
      championVersion: null,
      championScore: null,
      comparedFrom: '1997-01-02',
      comparedRows: 100,
    };
    await createPromoteHandler({ ...deps, metricsEmitter: metrics })(
      { runId: 'run-1', challenger, evaluation },
      createLambdaContext({ functionName: 'riskfn-training-promote', timeoutMs: 1000 }),
    );
    assert.deepEqual(metrics.calls, [{ values: [{ name: 'promotions', unit: 'Count', value: 1 }] }]);
  });
});
