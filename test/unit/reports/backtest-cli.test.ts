/**
 * `riskfn backtest --report` as a user runs it (the real CLI in a child process): the report is an
 * extra file beside the unchanged output, and bad input or an unwritable path is one line on stderr.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { riskfn, sample, scratchDir } from '../cli/run-cli.ts';

const tmp = scratchDir('backtest-report-cli');

describe('riskfn backtest --report', () => {
  test('writes the page and prints the same text as without it; a short file still reports, saying which chart it cannot draw', () => {
    const plain = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--window', '100']);
    const withReport = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--window', '100', '--report', tmp.path('out/xts.html')]);
    assert.equal(withReport.status, 0, withReport.stderr);
    assert.equal(withReport.stdout, plain.stdout);
    const html = readFileSync(tmp.path('out/xts.html'), 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /data-key="observations" data-value="79"/);
    assert.match(html, /needs at least 250 forecasts; this backtest has 79\./);
  });

  test('too little history for the window: the existing one-line data error, and no page', () => {
    const r = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--report', tmp.path('short.html')]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `riskfn backtest: ${sample('xts_sample_ohlc.csv')} has 179 returns; --window 250 needs at least 252\n`);
    assert.equal(existsSync(tmp.path('short.html')), false);
  });

  test('an unwritable report path is one line, exit 1; the page and the result cannot both take stdout (exit 2)', () => {
    const dir = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--window', '100', '--report', tmp.path()]);
    assert.equal(dir.status, 1);
    assert.match(dir.stderr, /^riskfn backtest: cannot open .*: EISDIR\n$/);
    const both = riskfn(['backtest', sample('xts_sample_ohlc.csv'), '--report', '-']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /^riskfn backtest: --report - and the result would both go to stdout.*\(see: riskfn backtest --help\)\n$/);
  });
});
