/**
 * The README's CLI examples run as printed: the lines of the first `sh` block under
 * "The `riskfn` CLI" are read from README.md (so the test breaks when README and CLI drift) and
 * run in order in a scratch directory that has the repository's data/ folder, with `npx riskfn`
 * meaning this checkout's CLI. Every file they leave behind must be covered by .gitignore.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { ROOT, scratchDir, shell } from './run-cli.ts';

/** The example lines of the README's CLI section. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `riskfn` CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has a sh block in its CLI section');
  return block[1].split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

const tmp = scratchDir('readme');
before(() => symlinkSync(join(ROOT, 'data'), tmp.path('data')));

test("the README's CLI lines run in order, each with exit 0 and no error output", () => {
  const lines = readmeExamples();
  assert.ok(lines.length >= 8, `expected the README's examples, found ${lines.length} lines`);
  assert.ok(lines.some((l) => /npx riskfn predict model\/ rows\.csv/.test(l)));
  const outputs: string[] = [];
  for (const line of lines) {
    const r = shell(`set -o pipefail\n${line.replaceAll('npx riskfn', 'riskfn')}`, { cwd: tmp.path() });
    assert.equal(r.status, 0, `${line}\n${r.stderr}`);
    assert.equal(r.stderr, '', line);
    outputs.push(r.stdout);
  }
  const at = (re: RegExp) => outputs[lines.findIndex((l) => re.test(l))];
  assert.match(at(/riskfn metrics data/), /^eustock_DAX: 1991-07-01 \.\. 1998-08-14/);
  assert.match(at(/riskfn metrics data/), /Relative to eustock_FTSE/);
  assert.match(at(/riskfn portfolio/), /^Portfolio of 3:/);
  assert.match(at(/riskfn backtest/), /historical VaR 99%, window 250/);
  assert.match(at(/riskfn dataset/), /^wrote dataset\.csv: 6852 rows, 4 instruments/);
  assert.match(at(/riskfn train/), /wrote model\/model\.json/);
  const predictions = at(/riskfn predict model\/ rows\.csv/)
    .trimEnd()
    .split('\n');
  assert.equal(predictions.length, 3);
  for (const p of predictions) assert.match(p, /^row \d 1998-07-16 eustock_\w+\s+(low|medium|high) /);
  assert.match(at(/--prices/), /^1998-08-14 eustock_DAX\s+(low|medium|high) /);
  assert.equal(at(/metrics - --json/).split('\n')[0], '{');
  assert.match(at(/riskfn report/), /^wrote report\.html/);
  assert.match(readFileSync(tmp.path('report.html'), 'utf8'), /<title>Risk tearsheet: eustock_SMI<\/title>/);
  assert.match(readFileSync(tmp.path('backtest.html'), 'utf8'), /^<!doctype html>/);
});

test('every file the examples write is ignored by git', () => {
  const written: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (p === tmp.path('data')) continue;
      if (statSync(p).isDirectory()) walk(p);
      else written.push(relative(tmp.path(), p));
    }
  };
  walk(tmp.path());
  assert.deepEqual(written.sort(), [
    'backtest.html',
    'dataset.csv',
    'dataset.meta.json',
    'model/evaluation_metrics.json',
    'model/model-card.html',
    'model/model-card.json',
    'model/model-summary.txt',
    'model/model.json',
    'report.html',
    'rows.csv',
  ]);
  for (const f of written) {
    const r = spawnSync('git', ['check-ignore', '--no-index', '-q', f], { cwd: ROOT });
    assert.equal(r.status, 0, `${f} is not in .gitignore`);
  }
});
