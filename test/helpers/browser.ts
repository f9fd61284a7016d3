/**
 * Headless Chromium for the report tests: playwright-core drives the Chromium binary that the
 * `@sparticuz/chromium` npm package ships (so `npm ci` installs the browser; nothing by hand).
 * The package unpacks the binary into the temp folder on first use; test files run two at a
 * time, so the first unpack is serialised with a lock folder and a ready marker.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
import { PNG } from 'pngjs';

const READY = join(tmpdir(), 'riskfn-chromium.ready');
const LOCK = join(tmpdir(), 'riskfn-chromium.lock');

async function executablePath(): Promise<string> {
  for (;;) {
    if (existsSync(READY)) return chromium.executablePath();
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test file is unpacking; a lock older than two minutes belongs to a dead process.
      if (Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      const path = await chromium.executablePath();
      writeFileSync(READY, path);
      return path;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/** Flags for a quiet, offline headless run (the machine's network is closed; Chromium must not try). */
const ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--font-render-hinting=none',
];

/** One browser per test file: launch in `before`, close in `after`. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({ executablePath: await executablePath(), args: ARGS, headless: true });
}

/** An opened report and what happened while it loaded. */
export interface OpenedReport {
  readonly page: Page;
  /** Console errors and uncaught page errors. */
  readonly consoleErrors: string[];
  /** Every request the page made other than the report file itself. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Opens an HTML file from disk (file:// URL, as a reader would) in a fresh page 1200 px wide. */
export async function openReport(browser: Browser, htmlPath: string): Promise<OpenedReport> {
  const url = pathToFileURL(resolve(htmlPath)).href;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, consoleErrors, requests, close: () => page.close() };
}

/** Per chart figure (by id): drawn data marks, or `unavailable` for a chart replaced by a sentence. */
export async function chartMarkCounts(page: Page): Promise<Record<string, number | 'unavailable'>> {
  return page.$$eval('figure.chart', (figures) =>
    Object.fromEntries(
      figures.map((f) => [
        f.id,
        f.getAttribute('data-unavailable') === 'true'
          ? 'unavailable'
          : f.querySelectorAll('svg g.role-mark path, svg g.role-mark line, svg g.role-mark rect, svg g.role-mark circle, svg g.role-mark text').length,
      ]),
    ),
  );
}

/** Every `data-key` cell: its raw value (parsed from `data-value`) and the text shown. */
export async function kpiValues(page: Page): Promise<Record<string, { value: unknown; text: string }>> {
  return page.$$eval('[data-key]', (cells) =>
    Object.fromEntries(
      cells.map((c) => [c.getAttribute('data-key'), { value: JSON.parse(c.getAttribute('data-value') ?? 'null'), text: (c.textContent ?? '').trim() }]),
    ),
  );
}

/**
 * Variance of the grey level (0–255) over a full-page screenshot: a blank or single-colour page
 * is ~0, a page of text and charts is in the hundreds. With `RISKFN_SCREENSHOTS=<folder>` set, the
 * screenshot is also saved there as `<name>.png` (how the pictures in docs/img are made).
 */
export async function screenshotVariance(page: Page, name: string): Promise<number> {
  const png = await page.screenshot({ fullPage: true, type: 'png' });
  const folder = process.env.RISKFN_SCREENSHOTS;
  if (folder) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}.png`), png);
  }
  const { data, width, height } = PNG.sync.read(png);
  let sum = 0;
  let sumSq = 0;
  const n = width * height;
  for (let i = 0; i < data.length; i += 4) {
    const grey = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    sum += grey;
    sumSq += grey * grey;
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}
