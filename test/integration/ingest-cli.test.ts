/**
 * `riskfn lake quarantine | release | redrive | rebuild` as users run them: the real CLI in a
 * child process, finding the emulators through an endpoints file like the one `npm start`
 * writes, on a lake filled by the real ingest handler.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeLocalStack, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { readSeries } from '../../lib/adapters/s3/lake-reader.ts';
import { writeLakeObjects } from '../../lib/adapters/s3/lake-writer.ts';
import type { LakeObject } from '../../lib/domain/ingest/plan-record.ts';
import { createKinesisPoller } from '../../lib/local/kinesis-poller.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { bar, bucket, failureRecord, keysUnder, put, quarantineEntry, stream, testHandler } from '../helpers/ingest-harness.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';
import { ensureFreshBundle } from '../unit/cli/run-cli.ts';

const emu = useEmulators();

/** `riskfn ...args` in `cwd`, asynchronously: the emulators run in this process and must keep answering. */
const riskfn = (args: string[], cwd: string) => riskfnAsync(args, { cwd });

describe('riskfn lake quarantine | release | redrive | rebuild', () => {
  let dir = '';
  const seqs: Record<string, string> = {};
  let broken = true;

  before(async () => {
    await ensureFreshBundle();
    dir = mkdtempSync(join(tmpdir(), 'riskfn-lake-cli-'));
    writeLocalEndpoints(dir, describeLocalStack(emu(), 'http://127.0.0.1:1'));
    const writer = async (objects: readonly LakeObject[]) => {
      if (broken && objects.some((o) => o.key.includes('symbol=LATE/'))) throw new Error('injected: partition LATE unwritable');
      return writeLakeObjects(bucket, objects);
    };
    const poller = createKinesisPoller({
      streamName: stream,
      handler: testHandler({ writeObjects: writer }),
      retryDelayMs: 1,
      maxRetryAttempts: 1,
      failedBucket: bucket,
    });
    seqs.base = await put(
      JSON.stringify({ bars: Array.from({ length: 20 }, (_, i) => bar('cli', `2024-02-${String(i + 1).padStart(2, '0')}`, 50 + (i % 2))) }),
    );
    seqs.spike = await put(JSON.stringify(bar('cli', '2024-02-21', 5000)));
    seqs.bad = await put('{"symbol":"cli"');
    seqs.late = await put(JSON.stringify(bar('late', '2024-02-21', 7)));
    await poller.drain();
    broken = false;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('quarantine lists the held and the rejected part; --reason narrows it', async () => {
    const all = await riskfn(['lake', 'quarantine'], dir);
    assert.equal(all.status, 0, all.stderr);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    assert.deepEqual(lines.map((l) => [l[1], l[2], l[3]]).sort(), [
      ['IMPLAUSIBLE_PRICE', 'held', 'CLI 2024-02-21'],
      ['NOT_JSON', 'rejected', '-'],
    ]);
    assert.match(all.stderr, /^2 parts \(1 held awaiting release\) in s3:\/\/riskfn-data-lake\/quarantine\/\n$/);
    const held = await riskfn(['lake', 'quarantine', '--reason', 'IMPLAUSIBLE_PRICE'], dir);
    assert.equal(held.stdout.trim().split('\n').length, 1);
    assert.match(held.stdout, /\tclose 5000 on 2024-02-21 moves \|log return\|/);
    const bad = await riskfn(['lake', 'quarantine', '--reason', 'NOPE'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--reason must be one of NOT_JSON, /);
  });

  test('release applies the held bar; releasing a rejected part is a data error', async () => {
    const key = (await keysUnder('quarantine/reason=IMPLAUSIBLE_PRICE/'))[0]!;
    const r = await riskfn(['lake', 'release', key], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^released\tCLI 2024-02-21 close 5000\tstaging\/prices\/symbol=CLI\//);
    assert.ok((await quarantineEntry(key)).released);
    assert.equal((await readSeries(bucket, 'CLI')).series!.close.at(-1), 5000);
    const rejected = (await keysUnder('quarantine/reason=NOT_JSON/'))[0]!;
    const no = await riskfn(['lake', 'release', rejected], dir);
    assert.equal(no.status, 1);
    assert.match(no.stderr, /is not a held part/);
  });

  test('redrive ingests the range the poller gave up on, removes its failure record and compacts what it wrote', async () => {
    const failed = await keysUnder('failed/');
    assert.equal(failed.length, 1);
    assert.equal((await readSeries(bucket, 'LATE')).series, null);
    const r = await riskfn(['lake', 'redrive'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\tredriven 1 records, failure record removed\n$/);
    assert.deepEqual(await keysUnder('failed/'), []);
    assert.deepEqual([...(await readSeries(bucket, 'LATE')).series!.close], [7]);
    assert.deepEqual(await keysUnder('staging/prices/symbol=LATE/'), []);
    assert.deepEqual(await keysUnder('curated/prices/year=2024/LATE.parquet'), ['curated/prices/year=2024/LATE.parquet']);
  });

  test('redrive --from takes failure records as `aws sqs receive-message` prints them; a bad one fails with exit 1', async () => {
    const gone = failureRecord(seqs.late!, seqs.late!, 1);
    const file = join(dir, 'messages.json');
    writeFileSync(
      file,
      JSON.stringify({
        Messages: [
          { MessageId: 'm1', Body: JSON.stringify(gone) },
          { MessageId: 'm2', Body: '{"not":"a record"}' },
        ],
      }),
    );
    const r = await riskfn(['lake', 'redrive', '--from', file], dir);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^shardId-000000000000 \d+-\d+\tredriven 1 records$/);
    assert.match(lines[1]!, /^record 2\tNOT redriven/);
  });

  test('rebuild reports every year the same after compaction; exit 0', async () => {
    const r = await riskfn(['lake', 'rebuild', '--symbol', 'cli'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 2)),
      [['2024', 'same']],
    );
    assert.match(r.stderr, /^CLI: 21 bars from 4 raw records \(0 held or rejected parts left out\)\n$/);
  });
});
