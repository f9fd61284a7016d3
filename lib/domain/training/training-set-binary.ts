/**
 * The training workflow's stored form of a training set: binary and columnar, so it scales to
 * the sets the workflow exists for. The CSV form (training-set-codec.ts) is for people; as one
 * text a 500-symbol × 10-year set (1.2 million rows, about 560 MB of CSV) exceeds the longest
 * string a JavaScript engine can hold (V8: 2^29 − 24 characters), and every task would spend
 * its first seconds tokenising it. This form is about 190 bytes a row and decodes without parsing
 * a number.
 *
 * Layout (little-endian, every array 8-byte aligned so it is read in place):
 *
 *   "RFTS" | u32 layout version | u32 header bytes | header JSON (UTF-8) | zero padding to 8
 *   f64 features [rows × features], row-major
 *   f64 volatility [rows × 4] (daily, weekly, monthly, forward), when the header says so
 *   u32 label index [rows], u32 symbol index [rows], u32 date index [rows]
 *     (indices into the header's dictionaries; 0xFFFFFFFF: the row has no symbol / date)
 *
 * The header carries the dataset meta (format, label rule, benchmark: the same meta file the
 * CSV form has), the feature names, the row count and the dictionaries. Numbers are stored as
 * the doubles they are, so decoding gives back the identical set (tested against the CSV form).
 * A truncated or foreign object fails with a TrainingDataError naming what is wrong.
 */
import * as z from 'zod';
import { TrainingDataError } from '../model/errors.ts';
import type { TrainingRow, TrainingSet } from '../model/types.ts';

const MAGIC = 'RFTS';
/** Bumped when an older reader would mis-read the layout. */
const LAYOUT_VERSION = 1;
const NONE = 0xffffffff;
const PREAMBLE_BYTES = 12;

const HeaderSchema = z.object({
  /** The dataset meta (training-set-codec.ts DatasetMeta), checked there. */
  meta: z.unknown(),
  featureNames: z.array(z.string()).min(1),
  rows: z.number().int().nonnegative(),
  volatility: z.boolean(),
  labels: z.array(z.string()),
  symbols: z.array(z.string()),
  dates: z.array(z.string()),
});

const align8 = (n: number) => Math.ceil(n / 8) * 8;

function littleEndian(): void {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('the stored training set layout needs a little-endian machine');
}

/** A dictionary of the distinct values and each row's index into it. */
function dictionary(values: readonly (string | null)[]): { words: string[]; index: Uint32Array } {
  const at = new Map<string, number>();
  const index = new Uint32Array(values.length);
  values.forEach((v, i) => {
    if (v === null) {
      index[i] = NONE;
      return;
    }
    let k = at.get(v);
    if (k === undefined) {
      k = at.size;
      at.set(v, k);
    }
    index[i] = k;
  });
  return { words: [...at.keys()], index };
}

/** `set` in the stored layout; `meta` is the set's dataset meta object (stored as given). */
export function encodeBinaryTrainingSet(set: TrainingSet, meta: unknown): Uint8Array {
  littleEndian();
  const n = set.rows.length;
  const f = set.featureNames.length;
  // As the CSV form: the realised volatilities travel with a risk-level set only (they are its HAR inputs and its label's source).
  const volatility = set.labelRule.kind === 'volatility-bands' && n > 0 && set.rows.every((r) => r.volatility !== undefined);
  const labels = dictionary(set.rows.map((r) => r.label));
  const symbols = dictionary(set.rows.map((r) => r.symbol));
  const dates = dictionary(set.rows.map((r) => r.date));
  const header = new TextEncoder().encode(
    JSON.stringify({ meta, featureNames: set.featureNames, rows: n, volatility, labels: labels.words, symbols: symbols.words, dates: dates.words }),
  );
  const start = align8(PREAMBLE_BYTES + header.length);
  const featureBytes = n * f * 8;
  const volatilityBytes = volatility ? n * 4 * 8 : 0;
  const bytes = new Uint8Array(start + featureBytes + volatilityBytes + 3 * n * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, LAYOUT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, PREAMBLE_BYTES);
  const features = new Float64Array(bytes.buffer, start, n * f);
  set.rows.forEach((r, i) => {
    if (r.features.length !== f) throw new TrainingDataError(`row ${i + 1} has ${r.features.length} features, the set names ${f}`);
    features.set(r.features, i * f);
  });
  let offset = start + featureBytes;
  if (volatility) {
    const v = new Float64Array(bytes.buffer, offset, n * 4);
    set.rows.forEach((r, i) => {
      v.set([r.volatility!.daily, r.volatility!.weekly, r.volatility!.monthly, r.volatility!.forward], i * 4);
    });
    offset += volatilityBytes;
  }
  for (const d of [labels, symbols, dates]) {
    new Uint32Array(bytes.buffer, offset, n).set(d.index);
    offset += n * 4;
  }
  return bytes;
}

/** Whether `bytes` start like the stored layout (else it may be an older JSON form). */
export function isBinaryTrainingSet(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === MAGIC;
}

/**
 * Decodes {@link encodeBinaryTrainingSet}'s bytes into the meta object (to be checked by the
 * caller) and the rows. Throws TrainingDataError when the bytes are not, or not all of, one.
 */
export function decodeBinaryTrainingSet(bytes: Uint8Array, source: string): { meta: unknown; featureNames: string[]; rows: TrainingRow[] } {
  littleEndian();
  if (!isBinaryTrainingSet(bytes) || bytes.length < PREAMBLE_BYTES) throw new TrainingDataError(`${source} is not a stored riskfn training set`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== LAYOUT_VERSION) throw new TrainingDataError(`${source}: layout version ${version}; this reader knows ${LAYOUT_VERSION}`);
  const headerBytes = view.getUint32(8, true);
  if (PREAMBLE_BYTES + headerBytes > bytes.length) throw new TrainingDataError(`${source} is truncated (in its header)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes)));
  } catch {
    throw new TrainingDataError(`${source}: its header is not valid JSON`);
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainingDataError(`${source}: header ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const h = parsed.data;
  const n = h.rows;
  const f = h.featureNames.length;
  const start = align8(PREAMBLE_BYTES + headerBytes);
  const expected = start + n * f * 8 + (h.volatility ? n * 32 : 0) + 3 * n * 4;
  if (bytes.length !== expected) throw new TrainingDataError(`${source} has ${bytes.length} bytes; its header describes ${expected}`);
  // Copy into an aligned buffer of its own when the bytes do not start on an 8-byte boundary (a slice of a larger buffer).
  const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const features = new Float64Array(own.buffer, own.byteOffset + start, n * f);
  let offset = own.byteOffset + start + n * f * 8;
  let volatility: Float64Array | null = null;
  if (h.volatility) {
    volatility = new Float64Array(own.buffer, offset, n * 4);
    offset += n * 32;
  }
  const index = () => {
    const a = new Uint32Array(own.buffer, offset, n);
    offset += n * 4;
    return a;
  };
  const [label, symbol, date] = [index(), index(), index()];
  const word = (words: readonly string[], k: number, i: number, what: string): string => {
    const w = words[k];
    if (w === undefined) throw new TrainingDataError(`${source}: row ${i + 1}: ${what} index ${k} is outside its dictionary`);
    return w;
  };
  const rows: TrainingRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from(features.subarray(i * f, (i + 1) * f));
    const bad = x.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new TrainingDataError(`${source}: row ${i + 1}, column '${h.featureNames[bad]}': ${x[bad]} is not a finite number`);
    const row: TrainingRow = {
      symbol: symbol[i] === NONE ? null : word(h.symbols, symbol[i], i, 'symbol'),
      date: date[i] === NONE ? null : word(h.dates, date[i], i, 'date'),
      features: x,
      label: word(h.labels, label[i], i, 'label'),
    };
    if (volatility) {
      const o = i * 4;
      row.volatility = { daily: volatility[o], weekly: volatility[o + 1], monthly: volatility[o + 2], forward: volatility[o + 3] };
    }
    rows[i] = row;
  }
  return { meta: h.meta, featureNames: h.featureNames, rows };
}
