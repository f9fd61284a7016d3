/**
 * What every `riskfn` command shares, on the real CLI: generated help (`--help`, `help CMD`),
 * `--version`, "did you mean" for misspelt commands and options, exit code 2 for usage errors
 * and 1 for data errors, and one-line errors.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ensureFreshBundle, ROOT, riskfn, sample } from './run-cli.ts';

const COMMANDS = ['metrics', 'portfolio', 'backtest', 'report', 'dataset', 'train', 'predict'];

before(ensureFreshBundle);

describe('help and version', () => {
  test('riskfn --help lists every command with its summary; exit 0, stdout', () => {
    const r = riskfn(['--help']);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: riskfn \[options\] \[command\]/);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} \\[options\\]`, 'm'), c);
    assert.match(r.stdout, /help \[command\]/);
  });
  test('a bare riskfn is a usage error: the help on stderr, exit 2', () => {
    const r = riskfn([]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: riskfn/);
  });
  test('riskfn help CMD and riskfn CMD --help print the same generated help', () => {
    for (const c of COMMANDS) {
      const a = riskfn(['help', c]);
      const b = riskfn([c, '--help']);
      assert.equal(a.status, 0, c);
      assert.equal(b.status, 0, c);
      assert.equal(a.stdout, b.stdout, c);
      assert.match(a.stdout, new RegExp(`^Usage: riskfn ${c} `), c);
      assert.match(a.stdout, /-h, --help\s+show help/, c);
    }
    const m = riskfn(['help', 'metrics']).stdout;
    assert.match(m, /--confidence <c>\s+VaR\/ES confidence in \(0, 1\) \(default: 0\.95\)/);
    assert.match(m, /--date-format <format>/);
    assert.match(m, /-o, --output <file>/);
  });
  test('--version prints the version of package.json', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-V']) {
      const r = riskfn([flag]);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `${version}\n`);
    }
  });
});

describe('usage errors: exit 2, one line, a suggestion when something was misspelt', () => {
  test('a misspelt command', () => {
    const r = riskfn(['metrcs', sample('eustock_DAX.csv')]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "riskfn: unknown command 'metrcs' (did you mean metrics?) (see: riskfn --help)\n");
    // However it is asked for: commander alone would print the general help (or the version), exit 0.
    for (const args of [
      ['help', 'metrcs'],
      ['metrcs', '--help'],
      ['metrcs', '-h'],
      ['metrcs', '--version'],
    ]) {
      const h = riskfn(args);
      assert.equal(h.status, 2, args.join(' '));
      assert.equal(h.stdout, '', args.join(' '));
      assert.equal(h.stderr, r.stderr, args.join(' '));
    }
  });
  test('a misspelt option', () => {
    const r = riskfn(['metrics', sample('eustock_DAX.csv'), '--confidnce', '0.99']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "riskfn metrics: unknown option '--confidnce' (did you mean --confidence?) (see: riskfn metrics --help)\n");
    const t = riskfn(['train', 'x.csv', '--tree', '5', '-o', 'm']);
    assert.equal(t.status, 2);
    assert.match(t.stderr, /unknown option '--tree' \(did you mean --trees\?\)/);
  });
  test('missing and extra arguments, a missing option value', () => {
    const cases: [string[], string][] = [
      [['metrics'], "riskfn metrics: missing required argument 'file' (see: riskfn metrics --help)"],
      [['backtest', 'a.csv', 'b.csv'], "riskfn backtest: too many arguments for 'backtest'. Expected 1 argument but got 2. (see: riskfn backtest --help)"],
      [['metrics', 'a.csv', '--confidence'], "riskfn metrics: option '--confidence <c>' argument missing (see: riskfn metrics --help)"],
      [['metrics', 'a.csv', '--periods', 'x'], "riskfn metrics: --periods must be a positive number, got 'x' (see: riskfn metrics --help)"],
      [
        ['metrics', 'a.csv', '--date-format', 'YY/MM/DD'],
        "riskfn metrics: --date-format must be one of YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY, got 'YY/MM/DD' (see: riskfn metrics --help)",
      ],
    ];
    for (const [args, line] of cases) {
      const r = riskfn(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stderr, `${line}\n`);
      assert.equal(r.stdout, '');
    }
  });
  test('usage is checked before any file is read: a bad option wins over a missing file', () => {
    const r = riskfn(['metrics', 'no-such-file.csv', '--confidence', '2']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--confidence must be in \(0, 1\)/);
  });
});

describe('data errors: exit 1, one line naming the input', () => {
  test('in every command that reads price files', () => {
    for (const args of [
      ['metrics', 'missing.csv'],
      ['portfolio', 'missing.csv', sample('eustock_DAX.csv')],
      ['backtest', 'missing.csv'],
      ['dataset', 'missing.csv', '-o', '/tmp/riskfn-never-written.csv'],
    ]) {
      const r = riskfn(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.equal(r.stderr, `riskfn ${args[0]}: missing.csv: cannot read file (ENOENT)\n`);
    }
  });
});
