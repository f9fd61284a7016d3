/**
 * The data lake end to end, as a user meets it: the local stack `npm start` runs
 * (lib/local/local-stack.ts, with its endpoints file), one-bar records of a new symbol sent by the
 * real `riskfn ingest` in a child process, the ingest handler and compaction of the stack, the
 * API answering from the lake. Checks that the curated objects are Parquet and at most
 * (years + 1) per symbol, that the API's numbers are those of the file sent, that an implausible
 * bar is held without changing the answer, that a corrupt object is skipped (200 with
 * dataWarnings, never a 500), and that a partition made unwritable loses nothing once the failure
 * record is redriven with `riskfn lake redrive`: raw records = curated bars + held parts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describeLocalStack, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { s3Client } from '../../lib/adapters/clients.ts';
import { getBytes, listObjects } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import { curatedObjectKey, stagingSymbolPrefix } from '../../lib/domain/lake/keys.ts';
import { decodeLakeObject } from '../../lib/domain/lake/parquet-bars.ts';
import { parsePriceCsv } from '../../lib/domain/prices/parse-price-csv.ts';
import { annualizedVolatility, simpleReturns } from '../../lib/domain/risk/index.ts';
import { type Emulators, startEmulators } from '../../lib/local/emulators.ts';
import type { LocalStack } from '../../lib/local/local-stack.ts';
import { Xoshiro128 } from '../../lib/util/prng.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { ensureFreshBundle } from '../unit/cli/run-cli.ts';

/** A small forest (20 trees, depth tuned): enough for a champion on the sample data, quick to train. */
const WEAK = { trees: 20 };
const SYMBOL = 'LAKEE2E';
const BUCKET = DATA_LAKE_BUCKET.localName;
/**
 * How long the stack may take to store and compact what was sent: the documented bound (new bars
 * are compacted within 60 s). It usually takes a few seconds: the stack compacts as soon as an
 * ingest round settles.
 */
const SETTLE_MS = 60_000;

let emu: Emulators;
let stack: LocalStack;
let dir: string;

before(async () => {
  await ensureFreshBundle(); // the CLI starts from the bundle: ~0.1 s instead of ~0.5 s per command
  // The handlers' loggers and metrics read these when they load: the injected failures below log
  // errors by design, and the metric lines (EMF on stdout) would only clutter the test output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'CRITICAL';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const { startLocalStack } = await import('../../lib/local/local-stack.ts');
  emu = await startEmulators();
  emu.applyEnv();
  stack = await startLocalStack({ port: 0, trainingInput: { options: WEAK } });
  dir = mkdtempSync(join(tmpdir(), 'riskfn-lake-e2e-'));
  // What `npm start` writes, so the CLI in the child process finds this stack.
  writeLocalEndpoints(dir, describeLocalStack(emu, stack.apiUrl));
});

after(async () => {
  await stack?.stop();
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `riskfn ...args` in the stack's directory; asynchronous, since the stack runs in this process. */
const riskfn = (...args: string[]) => riskfnAsync(args, { cwd: dir });

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = SETTLE_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Weekday dates from `from` (inclusive), `n` of them. */
function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); out.length < n; t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

function writeCsv(name: string, rows: [string, number][]): string {
  const file = join(dir, name);
  writeFileSync(file, `Date,Close\n${rows.map(([d, c]) => `${d},${c}`).join('\n')}\n`);
  return file;
}

/** The symbol's lake objects: curated (one per year) and staging. */
async function symbolObjects(): Promise<{ curated: string[]; staging: string[] }> {
  const curated = (await listObjects(BUCKET, DATA_LAKE_BUCKET.curatedPrefix)).map((o) => o.key).filter((k) => k.endsWith(`/${SYMBOL}.parquet`));
  const staging = (await listObjects(BUCKET, stagingSymbolPrefix(SYMBOL))).map((o) => o.key);
  return { curated: curated.sort(), staging };
}

/** Every bar of the symbol in its curated objects, by date. */
async function curatedBars(): Promise<Map<string, number>> {
  const bars = new Map<string, number>();
  for (const key of (await symbolObjects()).curated) {
    for (const b of (await decodeLakeObject(await getBytes(BUCKET, key))).bars) {
      assert.ok(!bars.has(b.date), `${b.date} stored once`);
      bars.set(b.date, b.close);
    }
  }
  return bars;
}

/** Waits until the symbol has no staging objects left and its curated objects hold `n` bars. */
function compacted(n: number): Promise<Map<string, number>> {
  return waitFor(`${n} compacted bars of ${SYMBOL}`, async () => {
    const { staging } = await symbolObjects();
    if (staging.length > 0) return undefined;
    const bars = await curatedBars();
    return bars.size === n ? bars : undefined;
  });
}

interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { metrics?: Record<string, unknown>; observations?: number; dataWarnings?: { key: string; reason: string }[] };
}
async function score(): Promise<ApiAnswer> {
  const res = await fetch(`${stack.apiUrl}/v1/risk/instrument`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ symbol: SYMBOL }),
  });
  return { status: res.status, body: (await res.json()) as ApiAnswer['body'] };
}

// A calm random walk over two calendar years (43 bars in 2023, 137 in 2024: the model needs 127
// consecutive prices, so 2024 alone still scores when 2023 is unreadable). No bar is implausible.
const rng = new Xoshiro128(11);
const history: [string, number][] = [];
{
  let close = 50;
  for (const d of weekdays('2023-11-01', 180)) {
    close = Math.round(close * (1 + (rng.nextFloat() - 0.5) * 0.03) * 1e4) / 1e4;
    history.push([d, close]);
  }
}
const lastClose = history.at(-1)![1];
let baseline: ApiAnswer;
/** What an answer says about the instrument (without its request id): the scored input's hash, the history's span, metrics and model. */
const answerOf = (a: ApiAnswer) => {
  const { asOf, firstDate, observations, inputHash, metrics, model } = a.body;
  return { asOf, firstDate, observations, inputHash, metrics, model };
};

describe('one-bar records of a new symbol through riskfn ingest', () => {
  test('are compacted into Parquet, at most (years + 1) objects, and the API answers from them', async () => {
    const file = writeCsv('lake-e2e.csv', history);
    const sent = await riskfn('ingest', file, '--symbol', SYMBOL);
    assert.equal(sent.status, 0, sent.stderr);
    assert.match(sent.stdout, /sent 180 records \(180 bars\), failed 0 records/);

    const bars = await compacted(history.length);
    assert.deepEqual([...bars], history);
    const { curated } = await symbolObjects();
    assert.deepEqual(curated, [curatedObjectKey({ symbol: SYMBOL, year: 2023 }), curatedObjectKey({ symbol: SYMBOL, year: 2024 })]);
    assert.ok(curated.length <= 2 + 1, 'years + 1');
    for (const key of curated) {
      const bytes = await getBytes(BUCKET, key);
      const magic = (at: number) => Buffer.from(bytes.subarray(at, at + 4)).toString('latin1');
      assert.equal(magic(0), 'PAR1', `${key} starts as Parquet`);
      assert.equal(magic(bytes.length - 4), 'PAR1', `${key} ends as Parquet`);
    }

    baseline = await score();
    assert.equal(baseline.status, 200, JSON.stringify(baseline.body));
    assert.equal(baseline.body.source, 'lake');
    assert.equal(baseline.body.observations, history.length);
    assert.equal(baseline.body.dataWarnings, undefined);
    const series = parsePriceCsv(`Date,Close\n${history.map(([d, c]) => `${d},${c}`).join('\n')}\n`);
    const vol = (baseline.body.metrics as { annualizedVolatility: number }).annualizedVolatility;
    assert.ok(Math.abs(vol - annualizedVolatility(simpleReturns(series.close))) < 1e-12, `volatility ${vol}`);
  });

  test('a bar ten times the last close is held with its evidence, and the API answer does not change', async () => {
    const file = writeCsv('spike.csv', [['2025-01-02', lastClose * 10]]);
    const sent = await riskfn('ingest', file, '--symbol', SYMBOL);
    assert.equal(sent.status, 0, sent.stderr);
    const held = await waitFor('the held bar in quarantine', async () => {
      for (const o of await listObjects(BUCKET, `${DATA_LAKE_BUCKET.quarantinePrefix}reason=IMPLAUSIBLE_PRICE/`)) {
        const entry = JSON.parse(Buffer.from(await getBytes(BUCKET, o.key)).toString('utf8')) as { held?: { bar: { symbol: string; date: string } } };
        if (entry.held?.bar.symbol === SYMBOL) return entry;
      }
      return undefined;
    });
    assert.equal(held.held!.bar.date, '2025-01-02');
    await compacted(history.length);
    const now = await score();
    assert.equal(now.status, 200);
    assert.deepEqual(answerOf(now), answerOf(baseline));
  });

  test('a corrupt curated object is skipped: 200 with dataWarnings naming it, not a 500', async () => {
    const key = curatedObjectKey({ symbol: SYMBOL, year: 2023 });
    const original = await getBytes(BUCKET, key);
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from('this is not parquet') }));
    try {
      const r = await score();
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.dataWarnings?.length, 1);
      assert.equal(r.body.dataWarnings![0]!.key, key);
      assert.equal(r.body.observations, history.filter(([d]) => d >= '2024').length);
    } finally {
      await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: original }));
    }
    assert.deepEqual(answerOf(await score()), answerOf(baseline));
  });

  test('a partition that cannot be written: the batch goes to failed/, redrive stores it, nothing lost or duplicated', async () => {
    const client = s3Client();
    const send = client.send.bind(client);
    const unwritable = `${stagingSymbolPrefix(SYMBOL)}`;
    let refused = 0;
    (client as { send: unknown }).send = async (command: unknown, ...rest: unknown[]) => {
      if (command instanceof PutObjectCommand && command.input.Key?.startsWith(unwritable) && command.input.Key.endsWith('-2025.parquet')) {
        refused++;
        throw Object.assign(new Error('injected: partition not writable'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
      }
      return (send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(command, ...rest);
    };
    const next = weekdays('2025-01-06', 5).map((d, i): [string, number] => [d, Math.round(lastClose * (1 + 0.002 * (i + 1)) * 1e4) / 1e4]);
    let failedKeys: string[];
    try {
      const sent = await riskfn('ingest', writeCsv('next.csv', next), '--symbol', SYMBOL);
      assert.equal(sent.status, 0, sent.stderr);
      failedKeys = await waitFor('a failure record in failed/', async () => {
        const keys = (await listObjects(BUCKET, DATA_LAKE_BUCKET.failedPrefix)).map((o) => o.key);
        return keys.length > 0 ? keys : undefined;
      });
    } finally {
      (client as { send: unknown }).send = send;
    }
    assert.ok(refused > 0, 'the failure was injected');

    const redrive = await riskfn('lake', 'redrive');
    assert.equal(redrive.status, 0, `${redrive.stdout}\n${redrive.stderr}`);
    // The redrive ran in another process, which the stack's compaction loop does not hear of: the
    // redrive compacted what it wrote itself, so nothing is left in staging for the 30 s timer.
    assert.match(
      redrive.stderr,
      /^1 partition compacted in s3:\/\/riskfn-data-lake[^:]*: \d+ staging objects? folded, \d+ bars written, 0 corrupt objects quarantined$/m,
    );
    assert.deepEqual((await symbolObjects()).staging, []);
    const bars = await compacted(history.length + next.length);
    assert.deepEqual([...bars], [...history, ...next]);
    assert.deepEqual(
      (await listObjects(BUCKET, DATA_LAKE_BUCKET.failedPrefix)).map((o) => o.key).filter((k) => failedKeys.includes(k)),
      [],
      'the redriven failure record is gone',
    );

    // Reconcile: every raw record of the symbol is a curated bar or a held part, once.
    let rawBars = 0;
    for (const o of await listObjects(BUCKET, DATA_LAKE_BUCKET.rawPrefix)) {
      const raw = JSON.parse(gunzipSync(await getBytes(BUCKET, o.key)).toString('utf8')) as { symbol?: string };
      if (raw.symbol === SYMBOL) rawBars++;
    }
    const heldParts = (await listObjects(BUCKET, `${DATA_LAKE_BUCKET.quarantinePrefix}reason=IMPLAUSIBLE_PRICE/`)).length;
    assert.equal(rawBars, history.length + 1 + next.length);
    assert.equal(rawBars, bars.size + heldParts);
  });
});
