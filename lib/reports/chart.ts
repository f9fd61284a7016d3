/**
 * Charts for the HTML reports: a vega-lite specification, compiled and rendered to SVG on the
 * server by vega's headless `View.toSVG()` (no browser, no canvas, no script in the page).
 * vega-lite was chosen over Observable Plot because it renders to SVG in Node without a DOM
 * implementation, its specifications are plain JSON (easy to build and test as data), and it
 * writes ARIA attributes (the description becomes the SVG's label) out of the box.
 *
 * Every chart is a `<figure>` with the SVG, a caption and a table alternative in `<details>`, so
 * the numbers are readable without seeing the picture. A chart that cannot be drawn (too little
 * data for its window) is {@link chartUnavailable}: a sentence saying why, never an empty box.
 */
import type { TopLevelSpec } from 'vega-lite';
import { type Cell, type Column, dataTable, escapeHtml } from './html.ts';
import { SERIES_COLOURS } from './palette.ts';

/** The table alternative of a chart (shown under it in `<details>`). */
export interface ChartTable {
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

/** One chart: its vega-lite specification with inline data, and the words around it. */
export interface ChartInput {
  /** The figure's element id (unique in the page; tests look charts up by it). */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in one or two sentences: the SVG's accessible label and the caption. */
  readonly description: string;
  /** A vega-lite specification with inline `data.values`; `title`, `description` and the look are filled in here. */
  readonly spec: TopLevelSpec;
  readonly table: ChartTable;
}

/** The house look: fonts, sizes, the colour-blind-safe palette, white background. */
const CONFIG = {
  background: 'white',
  font: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif',
  padding: 6,
  view: { stroke: null },
  range: { category: [...SERIES_COLOURS] },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, gridColor: '#e6e9ed' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'top' },
  title: { fontSize: 14, anchor: 'start', offset: 8 },
  line: { strokeWidth: 1.4 },
} as const;

/** Default size of a chart's plotting area, in CSS pixels (the SVG scales down to the page width). */
const CHART_WIDTH = 960;
const CHART_HEIGHT = 240;

/** A loader that refuses everything: a report must never fetch data, fonts or images. */
const NO_LOADER = {
  load: () => Promise.reject(new Error('reports render inline data only')),
  sanitize: () => Promise.reject(new Error('reports render inline data only')),
  http: () => Promise.reject(new Error('reports render inline data only')),
  file: () => Promise.reject(new Error('reports render inline data only')),
};

/**
 * vega-lite's compile-time warnings (a dropped encoding, an impossible scale) mean the chart is not
 * the one the specification asks for: they fail the render instead of printing to the console.
 */
const STRICT_LOGGER = {
  level(): number {
    return 2;
  },
  error(...args: readonly unknown[]): never {
    throw new Error(`chart specification: ${args.join(' ')}`);
  },
  warn(...args: readonly unknown[]): never {
    throw new Error(`chart specification: ${args.join(' ')}`);
  },
  info(): void {},
  debug(): void {},
};

/** The SVG text of a vega-lite specification (with the house look applied). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use so that commands that draw nothing never pay for vega's start-up.
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const full = { width: CHART_WIDTH, height: CHART_HEIGHT, ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const compiled = vegaLite.compile(full, { logger: STRICT_LOGGER as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error, loader: NO_LOADER as never });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A chart as a `<figure>`: the SVG, its caption and its table alternative. */
export async function renderChart(input: ChartInput): Promise<string> {
  const svg = await renderSvg({ ...input.spec, title: input.title, description: input.description } as TopLevelSpec);
  return `<figure class="chart" id="${escapeHtml(input.id)}">${svg}<figcaption>${escapeHtml(input.description)}</figcaption><details><summary>Table: ${escapeHtml(input.title)}</summary>${dataTable(input.table)}</details></figure>`;
}

/** In place of a chart that cannot be drawn: its title and one sentence saying why. */
export function chartUnavailable(input: { readonly id: string; readonly title: string; readonly reason: string }): string {
  return `<figure class="chart unavailable" id="${escapeHtml(input.id)}" data-unavailable="true"><figcaption><strong>${escapeHtml(input.title)}</strong></figcaption><p>${escapeHtml(input.reason)}</p></figure>`;
}

/**
 * At most `max` rows, evenly spaced, always keeping the first and the last: for table alternatives
 * and for lines with more points than a page can show (say so in the caption when it applies).
 */
export function thin<T>(rows: readonly T[], max: number): T[] {
  if (rows.length <= max) return [...rows];
  if (max < 2) return rows.slice(-1);
  const out: T[] = [];
  const step = (rows.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(rows[Math.round(i * step)]);
  return out;
}
