/**
 * The building blocks of riskfn's HTML reports: one self-contained document (inline CSS, inline
 * SVG, no script) that opens from disk, makes no network request (its Content-Security-Policy
 * forbids any) and prints cleanly to PDF. Every piece of text that reaches a page goes through
 * {@link escapeHtml}; functions here return HTML strings.
 */
import { formatValue, type ValueFormat } from './format.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** An attribute value for `data-value`: the JSON text of the raw number (null for a missing or non-finite one, as `--json` prints it). */
export function jsonAttribute(value: number | string | null | undefined): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return escapeHtml(JSON.stringify(value ?? null));
}

/** A titled section of a report; `id` is its anchor in the table of contents. */
export interface Section {
  readonly id: string;
  readonly title: string;
  /** The section's HTML (already escaped). */
  readonly body: string;
}

/** A whole report page. */
export interface PageInput {
  readonly title: string;
  /** One line under the title (e.g. the instrument and period). */
  readonly subtitle?: string;
  /** Facts about the report itself shown as a definition list (e.g. "Generated", "Source file"). */
  readonly facts?: readonly (readonly [string, string])[];
  readonly sections: readonly Section[];
  /** Closing note (conventions, where the numbers come from). Already-escaped HTML. */
  readonly footer?: string;
}

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p.subtitle { margin: 0 0 12px; color: var(--muted); font-size: 15px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 16px; font-size: 12.5px; color: var(--muted); }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 14px; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: 8px 0; margin-bottom: 8px; font-size: 13px; }
nav.toc a { color: #0550ae; text-decoration: none; white-space: nowrap; }
section { margin-top: 28px; }
section h2 { font-size: 19px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; color: var(--muted); }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
figure.chart { margin: 14px 0 22px; padding: 0; }
figure.chart figcaption { font-size: 12.5px; color: var(--muted); margin: 4px 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart.unavailable p { margin: 6px 0; padding: 12px 14px; background: var(--band); border-left: 4px solid #e69f00; }
details { font-size: 12.5px; margin: 4px 0 0; } details summary { cursor: pointer; color: #0550ae; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 28px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12.5px; border: 1px solid currentColor; }
.note { color: var(--muted); font-size: 12.5px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  nav.toc, details { display: none; }
  section, figure, table { break-inside: avoid; }
  section h2 { break-after: avoid; }
}
`;

/** The whole document: title, facts, a table of contents, the sections and the footer. */
export function page(input: PageInput): string {
  const facts = input.facts?.length
    ? `<dl class="facts">${input.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`
    : '';
  const toc = `<nav class="toc" aria-label="Contents">${input.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>`;
  const sections = input.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}" aria-labelledby="${escapeHtml(s.id)}-h"><h2 id="${escapeHtml(s.id)}-h">${escapeHtml(s.title)}</h2>${s.body}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1>${input.subtitle ? `<p class="subtitle">${escapeHtml(input.subtitle)}</p>` : ''}${facts}</header>
${toc}
<main>
${sections}
</main>
${input.footer ? `<footer>${input.footer}</footer>` : ''}
</body>
</html>
`;
}

/** A table column: `numeric` right-aligns it. */
export interface Column {
  readonly label: string;
  readonly numeric?: boolean;
}

/** A cell: plain text (escaped here), or a number with its format and optional `data-key` for tests. */
export type Cell =
  | string
  | number
  | null
  | { readonly value: number | string | null; readonly format?: ValueFormat; readonly digits?: number; readonly key?: string; readonly html?: string };

function cellHtml(cell: Cell, numeric: boolean | undefined): string {
  const cls = numeric ? ' class="num"' : '';
  if (cell === null || typeof cell !== 'object') {
    const text = typeof cell === 'number' ? formatValue(cell, 'number') : (cell ?? '—');
    return `<td${cls}>${escapeHtml(text)}</td>`;
  }
  const key = cell.key ? ` data-key="${escapeHtml(cell.key)}" data-value="${jsonAttribute(cell.value)}"` : '';
  const content = cell.html ?? escapeHtml(formatValue(cell.value, cell.format ?? 'number', cell.digits));
  return `<td${cls}${key}>${content}</td>`;
}

/** A data table with a caption (always give one: it names the table for screen readers). */
export function dataTable(input: {
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  readonly id?: string;
}): string {
  const head = input.columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = input.rows.map((r) => `<tr>${r.map((cell, i) => cellHtml(cell, input.columns[i]?.numeric)).join('')}</tr>`).join('\n');
  const id = input.id ? ` id="${escapeHtml(input.id)}"` : '';
  return `<table${id}><caption>${escapeHtml(input.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** One KPI row: a label and, per column, the raw value (as `--json` prints it). */
export interface KpiRow {
  /** The metric's JSON key (e.g. `annualizedVolatility`); becomes each cell's `data-key` (prefixed per column). */
  readonly key: string;
  readonly label: string;
  readonly format: ValueFormat;
  readonly digits?: number;
  /** Column name → raw value. */
  readonly values: Readonly<Record<string, number | string | null | undefined>>;
}

/**
 * A KPI table: one row per metric, one column per series. Each value cell carries
 * `data-key="<keyPrefix><key>"` and `data-value` (the raw JSON value) so a reader's tool or a test can
 * compare the page with the CLI's `--json` output exactly.
 */
export function kpiTable(input: {
  readonly caption: string;
  readonly columns: readonly { readonly name: string; readonly keyPrefix: string }[];
  readonly rows: readonly KpiRow[];
  readonly id?: string;
}): string {
  return dataTable({
    caption: input.caption,
    id: input.id,
    columns: [{ label: 'Metric' }, ...input.columns.map((c) => ({ label: c.name, numeric: true }))],
    rows: input.rows.map((r) => [
      r.label,
      ...input.columns.map((c) => {
        const value = r.values[c.name];
        return { value: value ?? null, format: r.format, digits: r.digits, key: `${c.keyPrefix}${r.key}` };
      }),
    ]),
  });
}
