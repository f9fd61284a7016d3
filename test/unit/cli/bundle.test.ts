/**
 * bin/riskfn.js starts the prebuilt bundle only while it matches the sources: in a scratch copy
 * of the entry points (bin/riskfn.js, scripts/cli-bundle.mjs) with a stand-in bundle and a
 * stand-in source, an edited, removed or unlisted source makes it run the TypeScript sources.
 * Also: the real bundle builds from the current sources and answers like them.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCli, freshBundle } from '../../../scripts/cli-bundle.mjs';
import { ROOT, riskfn } from './run-cli.ts';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('bin/riskfn.js picks the bundle only when it is fresh', () => {
  let dir: string;
  const run = () => spawnSync(process.execPath, [join(dir, 'bin/riskfn.js'), 'x'], { cwd: dir, encoding: 'utf8' });
  const SOURCE = "export async function main(argv: string[]): Promise<number> { console.log('from source', argv.join(' ')); return 0; }\n";
  const writeBundle = (inputs: Record<string, string>) =>
    writeFileSync(
      join(dir, 'dist/riskfn.mjs'),
      `// riskfn-bundle-inputs ${JSON.stringify(inputs)}\nexport async function main(argv) { console.log('from bundle', argv.join(' ')); return 3; }\n`,
    );

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'riskfn-bundle-'));
    for (const d of ['bin/cli', 'scripts', 'dist']) mkdirSync(join(dir, d), { recursive: true });
    copyFileSync(join(ROOT, 'bin/riskfn.js'), join(dir, 'bin/riskfn.js'));
    copyFileSync(join(ROOT, 'scripts/cli-bundle.mjs'), join(dir, 'scripts/cli-bundle.mjs'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'bin/cli/main.ts'), SOURCE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every input unchanged: the bundle runs (and its exit code is the process exit code)', () => {
    writeBundle({ 'bin/cli/main.ts': sha1(SOURCE) });
    const r = run();
    assert.equal(r.stdout, 'from bundle x\n', r.stderr);
    assert.equal(r.status, 3);
  });
  test('an input edited since the build: the sources run', () => {
    writeBundle({ 'bin/cli/main.ts': sha1(SOURCE) });
    writeFileSync(join(dir, 'bin/cli/main.ts'), SOURCE.replace('from source', 'from edited source'));
    const r = run();
    assert.equal(r.stdout, 'from edited source x\n', r.stderr);
    assert.equal(r.status, 0);
    writeFileSync(join(dir, 'bin/cli/main.ts'), SOURCE);
  });
  test('an input gone, or a bundle without its input list: the sources run', () => {
    writeBundle({ 'bin/cli/main.ts': sha1(SOURCE), 'bin/cli/gone.ts': sha1('') });
    assert.equal(run().stdout, 'from source x\n');
    writeFileSync(join(dir, 'dist/riskfn.mjs'), "export async function main() { console.log('unlisted'); return 0; }\n");
    assert.equal(run().stdout, 'from source x\n');
  });
  test('no bundle: the sources run', () => {
    rmSync(join(dir, 'dist/riskfn.mjs'));
    assert.equal(run().stdout, 'from source x\n');
  });
});

test('the real bundle builds from the current sources, is fresh, and answers as the sources do', async () => {
  const out = await buildCli();
  assert.equal(freshBundle(), out);
  const viaBin = riskfn(['--help']);
  assert.equal(viaBin.status, 0);
  const viaTsx = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "const { main } = await import('./bin/cli/main.ts'); process.exitCode = await main(['--help']);"],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  assert.equal(viaTsx.status, 0, viaTsx.stderr);
  assert.equal(viaBin.stdout, viaTsx.stdout);
});
