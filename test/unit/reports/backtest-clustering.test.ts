/**
 * The numbers the VaR backtest report draws beyond `--json`: the per-period series, the gaps and
 * trailing counts of exceptions, the conditional exception rates and the Basel zone boundaries.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { baselTrafficLight, christoffersenTest } from '../../../lib/domain/risk/backtest.ts';
import { baselZones, exceptionClustering } from '../../../lib/domain/scoring/backtest-clustering.ts';
import { backtestReport, backtestWithPeriods } from '../../../lib/domain/scoring/backtest-report.ts';
import { samplePrices } from '../risk/approx.ts';

describe('backtestWithPeriods', () => {
  test('the same report as backtestReport, with one date, return, forecast and flag per forecast period', () => {
    const dax = samplePrices('eustock_DAX.csv');
    const opts = { window: 250, confidence: 0.99, method: 'historical' as const, significance: 0.05 };
    const { report, periods } = backtestWithPeriods(dax, opts);
    assert.deepEqual(report, backtestReport(dax, opts));
    assert.equal(periods.dates.length, 1609);
    assert.equal(periods.returns.length, 1609);
    assert.equal(periods.forecasts.length, 1609);
    assert.equal(periods.dates[0], report.firstForecastDate);
    assert.equal(periods.dates.at(-1), report.lastForecastDate);
    // The period's return ends on its date: the return from the previous price to this one.
    const i = dax.dates.indexOf(periods.dates[0]);
    assert.equal(periods.returns[0], dax.close[i] / dax.close[i - 1] - 1);
    const flagged = periods.dates.filter((_, k) => periods.exceptions[k] === 1);
    assert.deepEqual(flagged, report.exceptionDates);
    for (let k = 0; k < 1609; k++) assert.equal(periods.exceptions[k], periods.returns[k] < -periods.forecasts[k] ? 1 : 0);
  });
});

describe('exceptionClustering', () => {
  const exceptions = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 1]);
  const dates = Array.from({ length: 10 }, (_, k) => `2024-01-${String(k + 1).padStart(2, '0')}`);
  const periods = { dates, exceptions, returns: new Float64Array(10), forecasts: new Float64Array(10) };
  const transitions = christoffersenTest(exceptions, 0.9).transitions;

  test('gaps between consecutive exceptions, by hand', () => {
    const c = exceptionClustering(periods, transitions, 0.9, 4);
    assert.deepEqual(c.gaps, [
      { date: '2024-01-03', index: 2, gap: 1 },
      { date: '2024-01-06', index: 5, gap: 3 },
      { date: '2024-01-10', index: 9, gap: 4 },
    ]);
    assert.ok(Math.abs(c.expectedGap - 10) < 1e-12);
  });

  test('trailing counts from the span-th period on; none when the series is shorter than the span', () => {
    const c = exceptionClustering(periods, transitions, 0.9, 4);
    assert.deepEqual(
      c.trailing.map((t) => [t.date.slice(-2), t.count]),
      [
        ['04', 2],
        ['05', 2],
        ['06', 2],
        ['07', 1],
        ['08', 1],
        ['09', 1],
        ['10', 1],
      ],
    );
    assert.deepEqual(exceptionClustering(periods, transitions, 0.9, 11).trailing, []);
  });

  test("the conditional rates from the independence test's transition counts", () => {
    // Pairs: 01 11 10 00 01 10 00 00 01 → n00 3, n01 3, n10 2, n11 1.
    assert.deepEqual(transitions, { n00: 3, n01: 3, n10: 2, n11: 1 });
    const c = exceptionClustering(periods, transitions, 0.9, 4);
    assert.equal(c.pi01, 0.5);
    assert.equal(c.pi11, 1 / 3);
    assert.equal(c.pi, 4 / 9);
    const none = exceptionClustering({ ...periods, exceptions: new Uint8Array(10) }, { n00: 9, n01: 0, n10: 0, n11: 0 }, 0.9, 4);
    assert.equal(none.pi11, null);
    assert.equal(none.pi01, 0);
    assert.deepEqual(none.gaps, []);
  });
});

describe('baselZones', () => {
  test('250 forecasts at 99%: green 0–4, yellow 5–9, red from 10, with the BCBS plus factors', () => {
    const z = baselZones(250, 0.99);
    assert.equal(z.greenMax, 4);
    assert.equal(z.yellowMax, 9);
    assert.equal(z.redMin, 10);
    assert.deepEqual(
      z.rows.map((r) => r.plusFactor),
      [0, 0, 0, 0, 0, 0.4, 0.5, 0.65, 0.75, 0.85, 1],
    );
    for (const r of z.rows) assert.equal(r.cumulativeProbability, baselTrafficLight(r.exceptions).cumulativeProbability);
  });

  test('rows extend to an observed count past the first red one', () => {
    const z = baselZones(250, 0.99, 13);
    assert.equal(z.rows.length, 14);
    assert.equal(z.redMin, 10);
    assert.equal(z.rows[13].zone, 'red');
  });

  test('a tiny sample where even no exception is not green', () => {
    // P(X = 0) = 0.99⁵ = 0.951 ≥ 95%; P(X ≤ 1) = 0.99902 < 99.99%; P(X ≤ 2) = 0.99999.
    const z = baselZones(5, 0.99);
    assert.equal(z.greenMax, null);
    assert.equal(z.yellowMax, 1);
    assert.equal(z.redMin, 2);
    assert.equal(z.rows[0].plusFactor, null);
  });
});
