/**
 * Progress bars: drawn on a terminal, silent when piped. The helper is checked against a stream
 * that says it is a terminal and against one that does not; the real `riskfn dataset` under a
 * pseudo-terminal (util-linux `script`, skipped where it is missing) and with a pipe.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, test } from 'node:test';
import { startProgress } from '../../../bin/cli/progress.ts';
import { ensureFreshBundle, RISKFN, riskfn, sample } from './run-cli.ts';

function fakeStream(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('startProgress', () => {
  test('on a terminal: a bar with label and counts, cleared at the end', () => {
    const { stream, text } = fakeStream(true);
    const p = startProgress('reading prices', 4, stream);
    p.update(1);
    p.update(4);
    p.stop();
    const out = text();
    assert.match(out, /reading prices \[[█░]+\] 0\/4/);
    assert.match(out, /reading prices \[█+\] 4\/4/);
  });
  test('not a terminal: nothing at all is written', () => {
    const { stream, text } = fakeStream(false);
    const p = startProgress('reading prices', 4, stream);
    p.update(2);
    p.stop();
    assert.equal(text(), '');
  });
});

describe('riskfn dataset', () => {
  before(ensureFreshBundle);
  const files = ['DAX', 'SMI', 'CAC', 'FTSE'].map((n) => sample(`eustock_${n}.csv`));

  test('piped: stderr has no progress output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-progress-'));
    try {
      const r = riskfn(['dataset', ...files, '-o', join(dir, 'd.csv')]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.ok(!r.stdout.includes('reading prices') && !r.stdout.includes('\u001b['), 'no progress bar or terminal control codes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  test('on a terminal: the bar is drawn on it', { skip: hasScript ? false : 'util-linux script is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'riskfn-progress-'));
    try {
      const command = [process.execPath, RISKFN, 'dataset', ...files, '-o', join(dir, 'd.csv')].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout);
      assert.match(r.stdout, /reading prices \[[█░]+\] \d\/4/);
      assert.match(r.stdout, /wrote .*d\.csv: 6852 rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
