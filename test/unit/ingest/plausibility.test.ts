import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseHistory, checkPlausibility, PLAUSIBILITY_RULES } from '../../../lib/domain/ingest/plausibility.ts';

/** `n` business-ish days from 2024-01-01 with closes from `f(i)`. */
function history(n: number, f: (i: number) => number): CloseHistory {
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
  return new CloseHistory(
    dates,
    dates.map((_, i) => f(i)),
  );
}
/** A price path from a repeating cycle of daily log returns scaled by `scale`. */
const CYCLE = [0.01, -0.005, 0.003, -0.012, 0.007, -0.002, 0.004];
const path = (scale: number, start = 100) => {
  const closes = [start];
  for (let i = 1; i < 200; i++) closes.push(closes[i - 1]! * Math.exp(scale * CYCLE[i % CYCLE.length]!));
  return (i: number) => closes[i]!;
};
const calm = path(1);

/** 1.4826 × MAD of the last 63 log returns of `closes`, computed independently of the module. */
function robustSigma(closes: readonly number[]): number {
  const r = closes
    .slice(1)
    .map((c, i) => Math.log(c / closes[i]!))
    .slice(-63);
  const med = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const m = med(r);
  return 1.4826 * med(r.map((x) => Math.abs(x - m)));
}

describe('checkPlausibility', () => {
  test('a symbol without history accepts anything', () => {
    assert.deepEqual(checkPlausibility(new CloseHistory(), '2024-01-01', 1e9), { ok: true });
  });

  test('the issue example: close 1000 after a series near 105 is held with its evidence', () => {
    const h = history(70, path(1, 105));
    const v = checkPlausibility(h, '2024-03-11', 1000);
    assert.equal(v.ok, false);
    if (v.ok || v.evidence.kind !== 'IMPLAUSIBLE_PRICE') return;
    assert.equal(v.reason, 'IMPLAUSIBLE_PRICE');
    assert.equal(v.evidence.previous?.date, '2024-03-10');
    const prev = h.closes.at(-1)!;
    assert.equal(v.evidence.previous?.close, prev);
    assert.ok(Math.abs(v.evidence.previous!.logReturn - Math.log(1000 / prev)) < 1e-12);
    assert.equal(v.evidence.next, undefined);
    // σ is small, so the floor governs.
    assert.equal(v.evidence.threshold, PLAUSIBILITY_RULES.floor);
    assert.ok(Math.abs(v.evidence.robustVolatility! - robustSigma(h.closes)) < 1e-12, String(v.evidence.robustVolatility));
    assert.ok(v.evidence.robustVolatility! > 0.005);
    assert.equal(v.evidence.returnsUsed, 63);
    assert.match(
      v.detail,
      new RegExp(
        `^close 1000 on 2024-03-11 moves \\|log return\\| ${Math.log(1000 / prev).toFixed(3)} against the previous close ${prev} \\(2024-03-10\\), above the limit 0\\.250`,
      ),
    );
  });

  test('the floor: a 20 % day is accepted, a 30 % day is held (calm series)', () => {
    const h = history(70, calm);
    const last = h.closes.at(-1)!;
    assert.equal(checkPlausibility(h, '2024-03-11', last * Math.exp(0.2)).ok, true);
    assert.equal(checkPlausibility(h, '2024-03-11', last * Math.exp(-0.2)).ok, true);
    assert.equal(checkPlausibility(h, '2024-03-11', last * Math.exp(0.3)).ok, false);
  });

  test('k × robust volatility: a volatile symbol may move beyond the floor', () => {
    // The cycle scaled ×10: daily moves up to 12 %, limit 10 × σ well above the floor.
    const h = history(70, path(10));
    const limit = 10 * robustSigma(h.closes);
    assert.ok(limit > 0.5, String(limit));
    const last = h.closes.at(-1)!;
    assert.equal(checkPlausibility(h, '2024-03-11', last * Math.exp(limit - 0.01)).ok, true);
    const v = checkPlausibility(h, '2024-03-11', last * Math.exp(limit + 0.01));
    assert.equal(v.ok, false);
    if (!v.ok && v.evidence.kind === 'IMPLAUSIBLE_PRICE') assert.ok(Math.abs(v.evidence.threshold - limit) < 1e-12);
  });

  test('with fewer than 20 returns only the floor applies', () => {
    const h = history(10, path(10));
    const v = checkPlausibility(h, '2024-01-11', h.closes.at(-1)! * Math.exp(0.5));
    assert.equal(v.ok, false);
    if (!v.ok && v.evidence.kind === 'IMPLAUSIBLE_PRICE') {
      assert.equal(v.evidence.threshold, 0.25);
      assert.equal(v.evidence.robustVolatility, undefined);
      assert.equal(v.evidence.returnsUsed, 9);
    }
  });

  test('between two neighbours: held only when far from both', () => {
    const h = new CloseHistory(['2024-01-01', '2024-01-03'], [100, 50]);
    assert.equal(checkPlausibility(h, '2024-01-02', 50).ok, true); // agrees with the next day: a jump already in the series
    assert.equal(checkPlausibility(h, '2024-01-02', 100).ok, true);
    const spike = checkPlausibility(h, '2024-01-02', 1000);
    assert.equal(spike.ok, false);
    if (!spike.ok && spike.evidence.kind === 'IMPLAUSIBLE_PRICE') {
      assert.deepEqual([spike.evidence.previous?.close, spike.evidence.next?.close], [100, 50]);
      assert.ok(Math.abs(spike.evidence.next!.logReturn - Math.log(50 / 1000)) < 1e-12);
    }
    // Before all history only the next day counts.
    assert.equal(checkPlausibility(h, '2023-12-29', 101).ok, true);
    assert.equal(checkPlausibility(h, '2023-12-29', 10).ok, false);
  });

  test('revisions: up to 10 % of the stored close applies, more is held as SUSPECT_REVISION', () => {
    const h = history(5, () => 100);
    assert.equal(checkPlausibility(h, '2024-01-03', 100).ok, true); // a replay of the same bar
    assert.equal(checkPlausibility(h, '2024-01-03', 110).ok, true);
    assert.equal(checkPlausibility(h, '2024-01-03', 90).ok, true);
    const v = checkPlausibility(h, '2024-01-03', 50);
    assert.deepEqual(v.ok ? undefined : [v.reason, v.evidence], [
      'SUSPECT_REVISION',
      { kind: 'SUSPECT_REVISION', close: 50, date: '2024-01-03', storedClose: 100, revisionFraction: 0.5, maxRevisionFraction: 0.1 },
    ]);
  });

  test('CloseHistory.set keeps dates sorted and replaces a stored date', () => {
    const h = new CloseHistory(['2024-01-02', '2024-01-04'], [2, 4]);
    h.set('2024-01-05', 5);
    h.set('2024-01-01', 1);
    h.set('2024-01-03', 3);
    h.set('2024-01-04', 40);
    assert.deepEqual(h.dates, ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    assert.deepEqual(h.closes, [1, 2, 3, 40, 5]);
  });
});
