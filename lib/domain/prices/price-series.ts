/**
 * The in-memory shape of one instrument's daily price history, shared by the risk
 * engine, the feature builder, the training workflow and the API.
 *
 * Invariants (enforced by whoever builds one, e.g. the CSV parser or the lake reader):
 * dates are ISO `YYYY-MM-DD`, strictly ascending and unique; every array has the same
 * length as `dates`; prices are finite and > 0.
 */
export interface PriceSeries {
  /** Instrument identifier, when known (file name stem, or the bar's symbol). */
  symbol?: string;
  /** ISO dates, strictly ascending. */
  dates: string[];
  /** Price used for returns: `Adj Close` when the source had it, else `Close`. */
  close: Float64Array;
  /** Unadjusted close, present only when the source also had `Adj Close`. */
  rawClose?: Float64Array;
  open?: Float64Array;
  high?: Float64Array;
  low?: Float64Array;
  volume?: Float64Array;
}
