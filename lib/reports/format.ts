/**
 * How numbers look on report pages. Each page cell shows a formatted number and carries the raw
 * value in `data-value` (the same JSON number the CLI's `--json` prints), so a reader's copy and
 * a test's comparison never depend on rounding.
 */

const DASH = '—';

/** A fraction as a percentage with `digits` decimals: 0.1234 → "12.34%". Non-finite → "—". */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** A plain number with `digits` decimals; non-finite → "—". */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toFixed(digits);
}

/** An integer with thousands separators (1234567 → "1,234,567"); non-finite → "—". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-US');
}

/** How a KPI's value is shown. */
export type ValueFormat = 'percent' | 'number' | 'count' | 'text';

/** A value formatted by kind (text passes through, escaped by the caller). */
export function formatValue(value: number | string | null | undefined, kind: ValueFormat, digits?: number): string {
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'percent':
      return formatPercent(value, digits);
    case 'count':
      return formatCount(value);
    case 'number':
      return formatNumber(value, digits);
    default:
      return value === null || value === undefined ? DASH : String(value);
  }
}
