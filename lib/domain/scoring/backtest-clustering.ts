/**
 * How a VaR backtest's exceptions are spread over time, and the Basel zone boundaries for its
 * sample: the numbers the backtest report draws beside Christoffersen's independence test.
 * Exceptions that arrive in bunches (short gaps, a trailing count that jumps) mean the VaR reacts
 * too slowly to a change of volatility, even when their total count is right.
 */

import { type BaselZone, baselTrafficLight, type Transitions } from '../risk/backtest.ts';
import type { BacktestPeriods } from './backtest-report.ts';

/** One exception after the first: its period and how many periods passed since the previous exception. */
export interface ExceptionGap {
  /** The exception's date. */
  readonly date: string;
  /** Its index among the forecast periods (0 = the first forecast). */
  readonly index: number;
  /** Periods since the previous exception (1 = on consecutive periods). */
  readonly gap: number;
}

/** The trailing exception count at one period. */
export interface TrailingCount {
  readonly date: string;
  /** Exceptions among the `span` periods ending at this one. */
  readonly count: number;
}

/** Result of {@link exceptionClustering}. */
export interface ExceptionClustering {
  /** One per exception after the first, oldest first. */
  readonly gaps: ExceptionGap[];
  /** The mean gap if exceptions were independent at the nominal rate: 1 / (1 − confidence) periods. */
  readonly expectedGap: number;
  /** π₀₁ = n₀₁/(n₀₀+n₀₁): the exception rate on the period after a period without one; null when there is no such period. */
  readonly pi01: number | null;
  /** π₁₁ = n₁₁/(n₁₀+n₁₁): the exception rate on the period after an exception; null when no exception has a successor. */
  readonly pi11: number | null;
  /** π = (n₀₁+n₁₁)/(T−1): the exception rate over the periods that have a predecessor. */
  readonly pi: number;
  /** Length of the trailing window of {@link trailing}, in periods. */
  readonly span: number;
  /** The trailing count at every period from the `span`-th on; empty when there are fewer than `span` periods. */
  readonly trailing: TrailingCount[];
}

/**
 * Gaps between exceptions, the conditional exception rates behind Christoffersen's independence
 * test (from its transition counts, so the two always agree), and the count of exceptions in the
 * trailing `span` periods (250: the Basel window) at each period.
 */
export function exceptionClustering(periods: BacktestPeriods, transitions: Transitions, confidence: number, span = 250): ExceptionClustering {
  const { dates, exceptions } = periods;
  const gaps: ExceptionGap[] = [];
  let previous = -1;
  for (let k = 0; k < exceptions.length; k++) {
    if (!exceptions[k]) continue;
    if (previous >= 0) gaps.push({ date: dates[k], index: k, gap: k - previous });
    previous = k;
  }
  const trailing: TrailingCount[] = [];
  let count = 0;
  for (let k = 0; k < exceptions.length; k++) {
    count += exceptions[k];
    if (k >= span) count -= exceptions[k - span];
    if (k >= span - 1) trailing.push({ date: dates[k], count });
  }
  const { n00, n01, n10, n11 } = transitions;
  const pairs = n00 + n01 + n10 + n11;
  return {
    gaps,
    expectedGap: 1 / (1 - confidence),
    pi01: n00 + n01 > 0 ? n01 / (n00 + n01) : null,
    pi11: n10 + n11 > 0 ? n11 / (n10 + n11) : null,
    pi: pairs > 0 ? (n01 + n11) / pairs : 0,
    span,
    trailing,
  };
}

/** One exception count of {@link baselZones}: the zone it falls in and the Basel figures for it. */
export interface BaselZoneRow {
  readonly exceptions: number;
  readonly zone: BaselZone;
  /** P(X ≤ exceptions), X ~ Binomial(observations, 1 − confidence). */
  readonly cumulativeProbability: number;
  /** The BCBS plus factor (null unless 250 observations at 99%). */
  readonly plusFactor: number | null;
}

/** Result of {@link baselZones}. */
export interface BaselZones {
  /** Every exception count from 0 up to the first one in the red zone (or up to `through`, if later). */
  readonly rows: BaselZoneRow[];
  /** The largest count still green (null if even 0 exceptions is not green, possible for tiny samples). */
  readonly greenMax: number | null;
  /** The largest count still yellow (null if no count is yellow). */
  readonly yellowMax: number | null;
  /** The smallest count in the red zone (observations + 1 if none is, which the binomial rule never gives). */
  readonly redMin: number;
}

/**
 * The Basel traffic-light boundaries for `observations` forecasts at `confidence`, by asking the
 * engine's own rule ({@link baselTrafficLight}) for each count in turn: for 250 days at 99% this
 * is green 0–4, yellow 5–9, red from 10. `through` extends the rows to that count (e.g. the
 * observed one, so a chart can mark it).
 */
export function baselZones(observations: number, confidence: number, through = 0): BaselZones {
  const rows: BaselZoneRow[] = [];
  for (let k = 0; k <= observations; k++) {
    const b = baselTrafficLight(k, observations, confidence);
    rows.push({ exceptions: k, zone: b.zone, cumulativeProbability: b.cumulativeProbability, plusFactor: b.plusFactor });
    if (b.zone === 'red' && k >= through) break;
  }
  const last = (zone: BaselZone) => rows.findLast((r) => r.zone === zone)?.exceptions ?? null;
  return { rows, greenMax: last('green'), yellowMax: last('yellow'), redMin: rows.find((r) => r.zone === 'red')?.exceptions ?? observations + 1 };
}
