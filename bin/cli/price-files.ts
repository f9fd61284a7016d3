/**
 * Reading price files from the command line: the options every command that reads prices
 * takes (`--date-format`, `--date-col`, `--close-col`), and the loaders. The symbol of a series is
 * the file name without its extension (eustock_DAX.csv -> eustock_DAX; stdin is `stdin`).
 */
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import {
  DATE_FORMATS,
  type DateFormat,
  type ParseOptions,
  PriceFileError,
  parsePriceCsv,
  parsePriceCsvDetailed,
  parseReturnsCsv,
} from '../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../lib/domain/prices/price-series.ts';
import { wealthPath } from '../../lib/domain/risk/index.ts';
import { choiceOption } from './command-kit.ts';
import { inputName, readInput, STDIO } from './io.ts';

/** The price-file options, as commander parses them. */
export interface PriceFileOptions {
  dateFormat?: DateFormat;
  dateCol?: string;
  closeCol?: string;
}

/** Adds `--date-format`, `--date-col` and `--close-col` to a command (they apply to every price file it reads). */
export function addPriceFileOptions(command: Command): Command {
  return command
    .addOption(
      choiceOption('--date-format <format>', 'how to read the dates; needed only when day and month cannot be told apart (every part <= 12)', DATE_FORMATS),
    )
    .option('--date-col <name>', "the date column's name, when it is not Date")
    .option('--close-col <name>', "the price column's name, when it is not Close or Adj Close");
}

const symbolOf = (path: string): string => (path === STDIO ? 'stdin' : basename(path, extname(path)));

function parseOptions(path: string, opts: PriceFileOptions): ParseOptions {
  return { source: inputName(path), symbol: symbolOf(path), dateFormat: opts.dateFormat, dateColumn: opts.dateCol, closeColumn: opts.closeCol };
}

/**
 * The risk commands' loader: reads and parses a price file; a dated return file is turned into
 * a wealth index (see docs/metrics.md). An unreadable file is a PriceFileError at row 0.
 */
export async function loadPriceFile(path: string, opts: PriceFileOptions = {}): Promise<{ series: PriceSeries; droppedRows: number[]; fromReturns: boolean }> {
  const text = await readText(path);
  const po = parseOptions(path, opts);
  const header = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]
    .toLowerCase();
  const isReturnFile = opts.closeCol === undefined && !/close/.test(header) && /(^|[,;\t"\s])(returns?|ret)([,;\t"\s]|$)/.test(header);
  if (isReturnFile) {
    const r = parseReturnsCsv(text, po);
    if (!r.dates) throw new PriceFileError(po.source!, 1, 'a return file needs a Date column here', 'Date');
    // Wealth index 1 on the day before the first return, then ∏(1 + r).
    const first = new Date(`${r.dates[0]}T00:00:00Z`);
    first.setUTCDate(first.getUTCDate() - 1);
    const series: PriceSeries = { symbol: po.symbol, dates: [first.toISOString().slice(0, 10), ...r.dates], close: wealthPath(r.returns) };
    return { series, droppedRows: [], fromReturns: true };
  }
  const parsed = parsePriceCsvDetailed(text, po);
  return { ...parsed, fromReturns: false };
}

/** The model commands' loader: a price file only (no return files). */
export async function readPriceSeries(path: string, opts: PriceFileOptions = {}): Promise<PriceSeries> {
  return parsePriceCsv(await readText(path), parseOptions(path, opts));
}

/** The file's text; an unreadable file is a PriceFileError at row 0, reported like any bad row. */
async function readText(path: string): Promise<string> {
  try {
    return await readInput(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err;
    throw new PriceFileError(inputName(path), 0, `cannot read file (${code})`, undefined, { cause: err });
  }
}
