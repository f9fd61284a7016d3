/**
 * Splits one Kinesis record's data into accepted, normalised bars and rejected parts, each
 * rejection with a reason code. A record-level failure (not JSON, bad batch envelope, too
 * many bars, or a single-bar record that fails) rejects the record's whole payload; inside
 * a valid batch each bad bar is rejected on its own and the others are accepted.
 */
import { MAX_BARS_PER_RECORD } from '../../schemas/market-data-record.ts';
import type { PriceBar } from '../../schemas/price-bar.ts';
import type { QuarantineReason } from '../../schemas/quarantine-reason.ts';
import { type BarIssue, formatIssues, validateBar } from './validate-bar.ts';

export interface AcceptedBar {
  /** Position in the record: 0 for a single-bar record, the array index in a batch. */
  index: number;
  bar: PriceBar;
  /** The bar as it came in (parsed JSON), kept as evidence should the bar be held. */
  raw: unknown;
}

export interface RejectedPart {
  reason: QuarantineReason;
  detail: string;
  issues: BarIssue[];
  /** Set when one bar of a batch was rejected; absent when the whole record was. */
  barIndex?: number;
  /** The rejected bytes: the record's data unchanged, or the bar re-serialised as JSON. */
  payload: Uint8Array;
  /** `payload` as text when it is valid UTF-8. */
  payloadText?: string;
}

export interface RecordValidation {
  kind: 'bar' | 'batch' | 'invalid';
  accepted: AcceptedBar[];
  rejected: RejectedPart[];
  /** The batch said `"split": true`: its bars restate history and bypass the plausibility hold. */
  split: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** JSON.stringify, except that numbers which overflowed to ±Infinity (or NaN) stay visible as text. */
export function stringifyEvidence(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? 'null';
}

function wholeRecord(data: Uint8Array, text: string | undefined, reason: QuarantineReason, issues: BarIssue[]): RecordValidation {
  const part: RejectedPart = { reason, issues, detail: formatIssues(issues), payload: data };
  if (text !== undefined) part.payloadText = text;
  return { kind: 'invalid', accepted: [], rejected: [part], split: false };
}

/**
 * Validates one record's data. `latestDate` is the last bar date accepted (`latestBarDate(now)`,
 * lib/schemas/price-bar.ts).
 */
export function validateRecordData(data: Uint8Array, latestDate: string): RecordValidation {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return wholeRecord(data, undefined, 'NOT_JSON', [{ path: '', message: 'data is not valid UTF-8', reason: 'NOT_JSON' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = `data is not JSON: ${(err as Error).message}`;
    return wholeRecord(data, text, 'NOT_JSON', [{ path: '', message, reason: 'NOT_JSON' }]);
  }

  const isBatch = typeof json === 'object' && json !== null && !Array.isArray(json) && 'bars' in json;
  if (!isBatch) {
    const v = validateBar(json, latestDate);
    if (v.ok) return { kind: 'bar', accepted: [{ index: 0, bar: v.bar, raw: json }], rejected: [], split: false };
    return wholeRecord(data, text, v.reason, v.issues);
  }

  // The envelope (MarketDataRecordSchema's batch branch without its bars), checked by hand: a schema
  // would walk the whole bars array once more before each bar is validated.
  const { bars, split } = json as { bars: unknown; split?: unknown };
  if (!Array.isArray(bars)) {
    return wholeRecord(data, text, 'SCHEMA_INVALID_FIELD', [{ path: 'bars', message: 'bars must be an array of bars', reason: 'SCHEMA_INVALID_FIELD' }]);
  }
  if (split !== undefined && split !== null && typeof split !== 'boolean') {
    return wholeRecord(data, text, 'SCHEMA_INVALID_FIELD', [{ path: 'split', message: 'split must be true or false', reason: 'SCHEMA_INVALID_FIELD' }]);
  }
  if (bars.length === 0) {
    return wholeRecord(data, text, 'EMPTY_BATCH', [{ path: 'bars', message: 'bars is empty', reason: 'EMPTY_BATCH' }]);
  }
  if (bars.length > MAX_BARS_PER_RECORD) {
    const message = `bars holds ${bars.length} bars, at most ${MAX_BARS_PER_RECORD} are allowed per record`;
    return wholeRecord(data, text, 'BATCH_TOO_LARGE', [{ path: 'bars', message, reason: 'BATCH_TOO_LARGE' }]);
  }

  const out: RecordValidation = { kind: 'batch', accepted: [], rejected: [], split: split === true };
  for (let index = 0; index < bars.length; index++) {
    const raw: unknown = bars[index];
    const v = validateBar(raw, latestDate);
    if (v.ok) {
      out.accepted.push({ index, bar: v.bar, raw });
      continue;
    }
    const barText = stringifyEvidence(raw);
    const issues = v.issues.map((i) => ({ ...i, path: [`bars.${index}`, i.path].filter(Boolean).join('.') }));
    out.rejected.push({
      reason: v.reason,
      detail: formatIssues(issues),
      issues,
      barIndex: index,
      payload: utf8Encoder.encode(barText),
      payloadText: barText,
    });
  }
  return out;
}
