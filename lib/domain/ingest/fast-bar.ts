/**
 * The hot path of bar validation: a hand-written check of the usual wire bar (JSON numbers,
 * a `date`, no `timestamp`) that allocates nothing but the normalised bar. It only ever ACCEPTS:
 * anything it is not sure about (numeric strings, timestamps, any rule broken) returns undefined
 * and the caller runs PriceBarSchema (./validate-bar.ts), which decides and explains. A property
 * test checks that every bar accepted here is accepted by the schema with the same result.
 *
 * Why it exists: the schema (zod, with preprocessing and refinements) costs several microseconds
 * per bar, which alone capped ingest below the throughput target.
 */
import { isReservedSymbol, type PriceBar, SYMBOL_PATTERN } from '../../schemas/price-bar.ts';
import { calendarDateProblem } from '../../util/calendar-date.ts';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9] as const;
const digitAt = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** `YYYY-MM-DD` and a real calendar date, checked without a regex or substrings. */
function isIsoCalendarDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of DIGIT_POSITIONS) if (!isDigit(s.charCodeAt(i))) return false;
  const year = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  return calendarDateProblem(year, digitAt(s, 5) * 10 + digitAt(s, 6), digitAt(s, 8) * 10 + digitAt(s, 9)) === undefined;
}

const isPrice = (v: unknown): v is number => typeof v === 'number' && v > 0 && v < Infinity;
const absent = (v: unknown): boolean => v === undefined || v === null;

/** The normalised bar when `v` is a plainly valid wire bar; undefined means "ask the schema". */
export function fastBar(v: unknown): PriceBar | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const { symbol, date, close, source, open, high, low, volume } = o;
  if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol) || isReservedSymbol(symbol)) return undefined;
  if (typeof date !== 'string' || !absent(o.timestamp) || !isIsoCalendarDate(date)) return undefined;
  if (!isPrice(close)) return undefined;
  if (typeof source !== 'string' || source.length < 1 || source.length > 256) return undefined;
  if (!absent(volume) && !(typeof volume === 'number' && volume >= 0 && volume < Infinity)) return undefined;
  const upper = symbol.toUpperCase();
  if (absent(open) && absent(high) && absent(low)) {
    return absent(volume) ? { symbol: upper, date, close, source } : { symbol: upper, date, close, volume: volume as number, source };
  }
  if (!isPrice(open) || !isPrice(high) || !isPrice(low)) return undefined;
  if (high < low || open < low || open > high || close < low || close > high) return undefined;
  return absent(volume)
    ? { symbol: upper, date, open, high, low, close, source }
    : { symbol: upper, date, open, high, low, close, volume: volume as number, source };
}
