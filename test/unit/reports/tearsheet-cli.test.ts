/** `riskfn report`'s command line: bad input is one line on stderr and a non-zero exit, never a stack or a half-written file. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { riskfn, sample, scratchDir } from '../cli/run-cli.ts';

describe('riskfn report: errors and stdout', () => {
  const tmp = scratchDir('tearsheet-cli');
  const smi = sample('eustock_SMI.csv');

  it('refuses a benchmark with no dates in common, naming both files', () => {
    const later = tmp.write('later.csv', 'Date,Close\n2030-01-02,10\n2030-01-03,11\n2030-01-06,12\n');
    const out = tmp.path('none.html');
    const r = riskfn(['report', smi, '--benchmark', later, '-o', out]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `riskfn report: ${smi} and ${later} have no dates in common; a benchmark needs at least 3\n`);
    assert.equal(existsSync(out), false);
  });

  it('reports an output path that cannot be written in one line', () => {
    const blocker = tmp.write('a-file', 'x');
    const r = riskfn(['report', smi, '-o', `${blocker}/report.html`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^riskfn report: cannot \w+ .*a-file.*: (ENOTDIR|EEXIST)\n$/);
  });

  it('needs -o, and writes the page to stdout with -o -', () => {
    const missing = riskfn(['report', smi]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^riskfn report: required option '-o, --output <file>' not specified/);
    const piped = riskfn(['report', '-', '-o', '-'], { input: 'Date,Close\n2024-01-02,100\n2024-01-03,101\n2024-01-04,99\n2024-01-05,100\n' });
    assert.equal(piped.status, 0, piped.stderr);
    assert.match(piped.stdout, /^<!doctype html>[\s\S]*<h1>Risk tearsheet: stdin<\/h1>[\s\S]*<\/html>\n$/);
    assert.equal(piped.stderr, '');
  });
});
