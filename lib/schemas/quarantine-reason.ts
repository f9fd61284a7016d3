/**
 * Why a record (or one bar of a batch record) went to quarantine instead of the curated lake.
 * Every code is distinct, stable (it is part of the S3 key `quarantine/reason=<CODE>/…` and of
 * the quarantine object's body) and documented in docs/data-lake.md. The wire schema
 * (./price-bar.ts) tags each semantic issue with its code. When a bar breaks several rules, the
 * code listed first in QUARANTINE_REASONS wins; `detail` lists every problem. The last three codes are
 * not validation failures: IMPLAUSIBLE_PRICE and SUSPECT_REVISION mark bars held for a person to
 * check (`riskfn lake release`), CORRUPT_OBJECT marks stored objects that no longer decode.
 */
export const QUARANTINE_REASONS = {
  NOT_JSON: 'the record data is not valid UTF-8 JSON',
  BATCH_TOO_LARGE: 'a `{ "bars": [...] }` record holds more than 1000 bars',
  EMPTY_BATCH: 'a `{ "bars": [] }` record holds no bars',
  SCHEMA_MISSING_FIELD: 'a required field is absent or null (symbol, close, source, date/timestamp; open/high/low must come together)',
  SCHEMA_INVALID_FIELD: 'a field has the wrong type or format (e.g. symbol with spaces, price "abc", not an object)',
  INVALID_DATE: 'date/timestamp unparseable, impossible (2024-02-30), without a UTC offset, or date and timestamp disagree',
  NON_FINITE_PRICE: 'a price is NaN or ±Infinity (e.g. "NaN", or 1e999 overflowing)',
  NON_POSITIVE_PRICE: 'a price is zero or negative',
  HIGH_BELOW_LOW: 'high < low',
  OHLC_INCONSISTENT: 'open or close lies outside [low, high]',
  INVALID_VOLUME: 'volume is negative or not finite',
  IMPLAUSIBLE_PRICE: 'held: the close implies a move against its neighbours in the lake beyond the plausibility threshold (evidence in the object)',
  SUSPECT_REVISION: 'held: the bar revises a stored close by more than the allowed fraction (evidence in the object)',
  CORRUPT_OBJECT: 'a staging or curated lake object that does not decode as the bar schema, moved aside by compaction (original bytes and the decode error)',
} as const;

export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

export const QUARANTINE_REASON_CODES = Object.keys(QUARANTINE_REASONS) as QuarantineReason[];

export function isQuarantineReason(s: string): s is QuarantineReason {
  return Object.hasOwn(QUARANTINE_REASONS, s);
}

/** Lower rank = reported first when one bar breaks several rules. */
export function reasonRank(r: QuarantineReason): number {
  return QUARANTINE_REASON_CODES.indexOf(r);
}
