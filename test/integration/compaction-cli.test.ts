/**
 * `riskfn lake compact` in a child process against the emulators, found the way `npm start`
 * publishes them (.riskfn-local/endpoints.json), and against a named bucket (--bucket, the AWS
 * path) with the emulators' endpoints in the environment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeLocalStack, writeLocalEndpoints } from '../../bin/cli/local-endpoints.ts';
import { listObjects } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET } from '../../lib/config/resources.ts';
import type { LakeBar } from '../../lib/domain/lake/bar-schema.ts';
import { curatedObjectKey, stagingSymbolPrefix } from '../../lib/domain/lake/keys.ts';
import { useEmulators } from '../helpers/emulators.ts';
import { lakeBar } from '../helpers/lake-bar.ts';
import { putObject, putStaging } from '../helpers/lake-seed.ts';
import { riskfnAsync } from '../helpers/riskfn-async.ts';

const emu = useEmulators();
const bucket = () => emu().env.DATA_BUCKET!;
let dir: string | undefined;

/** A directory with the endpoints file `npm start` would write for these emulators (made at first use, once they run). */
function stackDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'riskfn-compact-cli-'));
    writeLocalEndpoints(dir, describeLocalStack(emu(), 'http://127.0.0.1:0'));
  }
  return dir;
}
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `riskfn ...args` in `dir`; asynchronous, since the emulators run in this process. */
const riskfn = (args: string[], env: NodeJS.ProcessEnv = {}) => riskfnAsync(args, { cwd: stackDir(), env });

const bar = (symbol: string, date: string, seq: number): LakeBar =>
  lakeBar({ symbol, date, close: 10 + seq, sequenceNumber: String(seq), arrivalTime: Date.UTC(2026, 0, 1) + seq });

async function keysOf(symbol: string): Promise<string[]> {
  const curated = (await listObjects(bucket(), DATA_LAKE_BUCKET.curatedPrefix)).map((o) => o.key).filter((k) => k.endsWith(`/${symbol}.parquet`));
  return [...curated, ...(await listObjects(bucket(), stagingSymbolPrefix(symbol))).map((o) => o.key)].sort();
}

test('riskfn lake compact --symbol S compacts that symbol only, on the local stack', async () => {
  await putStaging(bucket(), '1', [bar('CLIA', '2024-03-01', 1)]);
  await putStaging(bucket(), '2', [bar('CLIA', '2025-03-03', 2)]);
  await putStaging(bucket(), '3', [bar('CLIB', '2025-03-03', 3)]);
  const r = await riskfn(['lake', 'compact', '--symbol', 'clia']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'CLIA\t2024\tcompacted\t1 staging objects\t1 bars\nCLIA\t2025\tcompacted\t1 staging objects\t1 bars\n');
  assert.match(r.stderr, /2 partitions compacted in s3:\/\/riskfn-data-lake[^:]*: 2 staging objects folded, 2 bars written, 0 corrupt objects quarantined\n$/);
  assert.deepEqual(await keysOf('CLIA'), [curatedObjectKey({ symbol: 'CLIA', year: 2024 }), curatedObjectKey({ symbol: 'CLIA', year: 2025 })]);
  assert.equal((await keysOf('CLIB')).length, 1);
  assert.ok((await keysOf('CLIB'))[0]!.startsWith('staging/'));
});

test('riskfn lake compact (every symbol) reports corrupt objects; --bucket NAME works without the local stack file', async () => {
  const corrupt = `${stagingSymbolPrefix('CLIC')}shardId-000000000000-5-2025.parquet`;
  await putObject(bucket(), corrupt, 'garbage');
  const r = await riskfn(['lake', 'compact', '--bucket', bucket()], { ...emu().env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^CLIB\t2025\tcompacted\t1 staging objects\t1 bars\n/m);
  assert.match(r.stdout, /^CLIC\t2025\tcompacted\t1 staging objects\t0 bars\t1 corrupt moved to quarantine\n/m);
  assert.match(r.stderr, new RegExp(`corrupt lake object moved to quarantine: ${corrupt} → quarantine/reason=CORRUPT_OBJECT/`));
  assert.deepEqual(await listObjects(bucket(), stagingSymbolPrefix('CLIC')), []);
});

test('a bad --symbol is a usage error (exit 2) before anything is read', async () => {
  const r = await riskfn(['lake', 'compact', '--symbol', 'A/B']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--symbol must be/);
});
