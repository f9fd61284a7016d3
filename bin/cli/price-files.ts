/**
 * Reading price files from the command line. The symbol of a series is the file name without
 * its extension (eustock_DAX.csv -> eustock_DAX).
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parsePriceCsv, parsePriceCsvDetailed, parseReturnsCsv, PriceFileError } from '../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { wealthPath } from '../../lib/domain/risk/index.ts';

const symbolOf = (path: string): string => basename(path, extname(path));

/**
 * The risk commands' loader: reads and parses a price file; a dated return file is turned into
 * a wealth index (see docs/metrics.md). An unreadable file is a PriceFileError at row 0.
 */
export function loadPriceFile(path: string): { series: PriceSeries; droppedRows: number[]; fromReturns: boolean } {
  const text = readText(path);
  const symbol = symbolOf(path);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].toLowerCase();
  if (!/close/.test(header) && /(^|[,;\t"\s])(returns?|ret)([,;\t"\s]|$)/.test(header)) {
    const r = parseReturnsCsv(text, { source: path, symbol });
    if (!r.dates) throw new PriceFileError(path, 1, 'a return file needs a Date column here', 'Date');
    // Wealth index 1 on the day before the first return, then ∏(1 + r).
    const first = new Date(`${r.dates[0]}T00:00:00Z`);
    first.setUTCDate(first.getUTCDate() - 1);
    const series: PriceSeries = { symbol, dates: [first.toISOString().slice(0, 10), ...r.dates], close: wealthPath(r.returns) };
    return { series, droppedRows: [], fromReturns: true };
  }
  const parsed = parsePriceCsvDetailed(text, { source: path, symbol });
  return { ...parsed, fromReturns: false };
}

/** The model commands' loader: a price file only (no return files). */
export function readPriceSeries(path: string): PriceSeries {
  return parsePriceCsv(readText(path), { source: path, symbol: symbolOf(path) });
}

/** The file's text; an unreadable file is a PriceFileError at row 0, reported like any bad row. */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PriceFileError(path, 0, `cannot read file (${code ?? String(err)})`, undefined, { cause: err });
  }
}
