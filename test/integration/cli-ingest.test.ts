/**
 * `riskfn ingest` as users run it: the real CLI in a child process, finding the emulators through
 * an endpoints file like the one `npm start` writes, sending sample prices to kinesalite. Checks
 * the counts printed against the records on the stream, batching, retries through a proxy that
 * refuses entries as a throttled stream does, a failure's exit code, and a quiet stderr when piped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetRecordsCommand, type GetRecordsCommandOutput, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { describeLocalStack, type LocalEndpoints, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { kinesisClient } from '../../lib/adapters/clients.ts';
import { MARKET_DATA_STREAM } from '../../lib/config/resources.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { riskfnAsync, spawnAsync } from '../helpers/riskfn-async.ts';
import { ensureFreshBundle, RISKFN, sample } from '../unit/cli/run-cli.ts';

const emu = useEmulators();
before(ensureFreshBundle); // the CLI starts from the bundle: ~0.1 s instead of ~0.5 s per command
const STREAM = MARKET_DATA_STREAM.name;
const DAX_BARS = 1860;

/** A directory with an endpoints file, as `npm start` leaves in the repository root. */
function stackDir(overrides: Partial<LocalEndpoints> = {}, env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'riskfn-ingest-cli-'));
  const base = describeLocalStack(emu(), 'http://127.0.0.1:1');
  writeLocalEndpoints(dir, { ...base, ...overrides, env: { ...base.env, ...env } });
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every record put on the stream after `iterator` was taken. */
async function readFrom(iterator: string): Promise<{ partitionKey: string; json: unknown }[]> {
  const out: { partitionKey: string; json: unknown }[] = [];
  let it: string | undefined = iterator;
  for (let empty = 0; it && empty < 2; ) {
    const page: GetRecordsCommandOutput = await kinesisClient().send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
    for (const r of page.Records ?? []) out.push({ partitionKey: r.PartitionKey!, json: JSON.parse(Buffer.from(r.Data!).toString('utf8')) });
    empty = (page.Records ?? []).length === 0 ? empty + 1 : 0;
    it = page.NextShardIterator;
  }
  return out;
}
async function latest(): Promise<string> {
  const out = await kinesisClient().send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
  return out.ShardIterator!;
}

describe('riskfn ingest against the local stack', () => {
  test('one bar per record: the counts printed are the records on the stream; piped, nothing but the counts', async () => {
    const it = await latest();
    const r = await riskfnAsync(['ingest', sample('eustock_DAX.csv'), '--symbol', 'daxcli'], { cwd: stackDir() });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no progress bar or messages on a piped stderr');
    assert.ok(!r.stdout.includes('\u001b['), 'no terminal control codes');
    assert.match(r.stdout, new RegExp(`eustock_DAX.csv: ${DAX_BARS} bars of DAXCLI in ${DAX_BARS} records`));
    assert.match(
      r.stdout,
      new RegExp(
        `sent ${DAX_BARS} records \\(${DAX_BARS} bars\\), failed 0 records \\(0 bars\\), to stream ${STREAM} \\(local stack, http://127.0.0.1:\\d+\\); 4 PutRecords calls, 0 records retried`,
      ),
    );
    const got = await readFrom(it);
    assert.equal(got.length, DAX_BARS);
    assert.ok(got.every((g) => g.partitionKey === 'daxcli'));
    const first = got[0]!.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(first).sort(), ['close', 'date', 'source', 'symbol']);
    assert.equal(first.date, '1991-07-01');
    assert.equal(first.source, 'riskfn-ingest:eustock_DAX.csv');
  });

  test('--batch-bars 100 sends {bars:[...]} records of 100 (the last one shorter), OHLC files included', async () => {
    const it = await latest();
    const r = await riskfnAsync(['ingest', sample('eustock_DAX.csv'), sample('xts_sample_ohlc.csv'), '--batch-bars', '100', '--source', 'unit'], {
      cwd: stackDir(),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /eustock_DAX\.csv: 1860 bars of EUSTOCK_DAX in 19 records/);
    assert.match(r.stdout, /xts_sample_ohlc\.csv: 180 bars of XTS_SAMPLE_OHLC in 2 records/);
    const got = await readFrom(it);
    const sizes = got.map((g) => (g.json as { bars: unknown[] }).bars.length);
    assert.deepEqual(sizes, [...Array(18).fill(100), 60, 100, 80]);
    const ohlc = (got[19]!.json as { bars: Record<string, unknown>[] }).bars[0]!;
    assert.deepEqual(Object.keys(ohlc).sort(), ['close', 'date', 'high', 'low', 'open', 'source', 'symbol']);
    assert.equal(ohlc.source, 'unit');
  });

  test('a stream that does not exist: nothing sent, counts printed, one error line, exit 1', async () => {
    const r = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv')], { cwd: stackDir({ stream: 'no-such-stream' }) });
    assert.equal(r.status, 1);
    assert.match(r.stdout, /sent 0 records \(0 bars\), failed 180 records \(180 bars\), to stream no-such-stream/);
    assert.match(r.stderr, /^riskfn ingest: 180 of 180 records could not be sent: ResourceNotFoundException: .*\n$/);
  });

  test('no local stack and no --stream: exit 1 saying how to start one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-ingest-none-'));
    dirs.push(dir);
    const r = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv')], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no local stack found .*`npm start`, or use AWS with --stream NAME/);
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  test('on a terminal: a progress bar of the records sent', { skip: hasScript ? false : 'util-linux script is not installed' }, async () => {
    const command = [process.execPath, RISKFN, 'ingest', sample('xts_sample_ohlc.csv'), '--symbol', 'TTY'].map((a) => `'${a}'`).join(' ');
    const r = await spawnAsync('script', ['-qec', command, '/dev/null'], { cwd: stackDir() });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /sending records \[[█░]+\] \d+\/180/);
    assert.match(r.stdout, /sent 180 records \(180 bars\), failed 0 records/);
  });

  test('an endpoints file left by an npm start that is gone: exit 1, naming the file and the process', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const dir = stackDir({ pid: gone });
    const r = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv')], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`the local stack in .*endpoints\\.json is not running \\(process ${gone} is gone\\)`));
  });

  test('usage errors before anything is read: bad --batch-bars, stdin without --symbol, a reserved symbol', async () => {
    const dir = stackDir();
    const bad = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv'), '--batch-bars', '1001'], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--batch-bars must be an integer in \[1, 1000\], got '1001'/);
    const stdin = await riskfnAsync(['ingest', '-'], { cwd: dir });
    assert.equal(stdin.status, 2);
    assert.match(stdin.stderr, /reading stdin \('-'\) needs --symbol/);
    const dots = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv'), '--symbol', '..'], { cwd: dir });
    assert.equal(dots.status, 2);
    assert.match(dots.stderr, /symbol '\.\.' is reserved/);
  });
});

/**
 * A Kinesis endpoint in front of kinesalite that refuses PutRecords entries the way a throttled
 * stream does (FailedRecordCount, ProvisionedThroughputExceededException per entry): `refuse`
 * decides per entry, given how often that entry's data was seen before.
 */
async function throttlingProxy(target: string, refuse: (data: string, seen: number) => boolean): Promise<{ url: string; server: Server }> {
  const seen = new Map<string, number>();
  const body = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
  const forward = (req: IncomingMessage, payload: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': String(payload.length) };
      const out = request(`${target}${req.url}`, { method: req.method, headers }, async (res) => {
        resolve({ status: res.statusCode ?? 500, headers: res.headers as Record<string, string>, body: await body(res) });
      });
      out.on('error', reject);
      out.end(payload);
    });
  const server = createServer(async (req, res) => {
    const payload = await body(req);
    if (!String(req.headers['x-amz-target']).endsWith('.PutRecords')) {
      const r = await forward(req, payload);
      res.writeHead(r.status, r.headers).end(r.body);
      return;
    }
    const input = JSON.parse(payload.toString()) as { StreamName: string; Records: { Data: string; PartitionKey: string }[] };
    const refused = input.Records.map((rec) => {
      const n = seen.get(rec.Data) ?? 0;
      seen.set(rec.Data, n + 1);
      return refuse(Buffer.from(rec.Data, 'base64').toString(), n);
    });
    const accepted = input.Records.filter((_, i) => !refused[i]);
    let results: unknown[] = [];
    if (accepted.length > 0) {
      const r = await forward(req, Buffer.from(JSON.stringify({ ...input, Records: accepted })));
      results = (JSON.parse(r.body.toString()) as { Records: unknown[] }).Records;
    }
    const records = refused.map((no) =>
      no ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' } : results.shift(),
    );
    res
      .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
      .end(JSON.stringify({ FailedRecordCount: refused.filter(Boolean).length, Records: records }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('riskfn ingest against a throttled stream', () => {
  let proxy: { url: string; server: Server } | undefined;
  after(() => proxy?.server.close());

  test('every other record refused twice, then accepted: all sent, the retries counted, exit 0', async () => {
    let i = 0;
    const odd = new Set<string>();
    proxy = await throttlingProxy(emu().endpoints.kinesis, (data, seen) => {
      if (seen === 0 && i++ % 2 === 1) odd.add(data);
      return odd.has(data) && seen < 2;
    });
    const it = await latest();
    const r = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv'), '--symbol', 'THROTTLED'], {
      cwd: stackDir({}, { AWS_ENDPOINT_URL_KINESIS: proxy.url }),
    });
    proxy.server.close();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /sent 180 records \(180 bars\), failed 0 records \(0 bars\), .*; 3 PutRecords calls, 90 records retried/);
    const got = await readFrom(it);
    assert.equal(got.length, 180);
    assert.equal(new Set(got.map((g) => (g.json as { date: string }).date)).size, 180, 'every bar once');
  });

  test('records refused beyond --max-attempts: the others are sent, the refused counted as failed, exit 1', async () => {
    proxy = await throttlingProxy(emu().endpoints.kinesis, (data) => data.includes('"date":"2007-01'));
    const r = await riskfnAsync(['ingest', sample('xts_sample_ohlc.csv'), '--symbol', 'REFUSED', '--max-attempts', '3'], {
      cwd: stackDir({}, { AWS_ENDPOINT_URL_KINESIS: proxy.url }),
    });
    proxy.server.close();
    assert.equal(r.status, 1);
    const refused = Number(/failed (\d+) records/.exec(r.stdout)?.[1]);
    assert.ok(refused > 0 && refused < 180, r.stdout);
    assert.match(r.stdout, new RegExp(`sent ${180 - refused} records \\(${180 - refused} bars\\), failed ${refused} records`));
    assert.match(r.stdout, new RegExp(`${refused} records retried`));
    assert.match(
      r.stderr,
      new RegExp(
        `^riskfn ingest: ${refused} of 180 records could not be sent: still refused after 3 attempts \\(ProvisionedThroughputExceededException ×${refused}\\)\\n$`,
      ),
    );
  });
});
