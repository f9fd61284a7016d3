/**
 * Replays CSV price files onto the market-data stream, as a producer would: each file is
 * parsed with parsePriceCsv, cut into one `{ "bars": [...] }` record per month, and sent with
 * PutRecords (≤ 500 records per call, refused entries retried), partition key = symbol.
 * Symbol = file stem without an `eustock_` prefix, upper-cased (`eustock_DAX.csv` → DAX,
 * `xts_sample_ohlc.csv` → XTS_SAMPLE_OHLC); source = `sample:<file name>`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { putRecords, type StreamEntry } from '../adapters/kinesis/put-records.ts';
import { monthlyRecords } from '../domain/ingest/monthly-records.ts';
import { parsePriceCsv } from '../domain/prices/parse-price-csv.ts';

export interface ReplayedFile {
  file: string;
  symbol: string;
  bars: number;
  records: number;
}

export interface ReplayReport {
  files: ReplayedFile[];
  records: number;
  bars: number;
  putRecordsCalls: number;
  retriedEntries: number;
}

export function symbolForFile(file: string): string {
  return basename(file)
    .replace(/\.csv$/i, '')
    .replace(/^eustock_/i, '')
    .toUpperCase();
}

/** The `.csv` files of a directory, sorted by name. */
export async function csvFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}

/** Encodes every file's monthly records (no I/O besides reading the files). */
async function buildReplayEntries(files: readonly string[]): Promise<{ entries: StreamEntry[]; files: ReplayedFile[] }> {
  const entries: StreamEntry[] = [];
  const summary: ReplayedFile[] = [];
  for (const file of files) {
    const name = basename(file);
    const symbol = symbolForFile(file);
    const series = parsePriceCsv(await readFile(file, 'utf8'), { source: name, symbol });
    const records = monthlyRecords(series, symbol, `sample:${name}`);
    for (const r of records) entries.push({ partitionKey: symbol, data: Buffer.from(JSON.stringify(r)) });
    summary.push({ file: name, symbol, bars: series.dates.length, records: records.length });
  }
  return { entries, files: summary };
}

export async function replayPriceFiles(streamName: string, files: readonly string[]): Promise<ReplayReport> {
  const built = await buildReplayEntries(files);
  const put = await putRecords(streamName, built.entries);
  return {
    files: built.files,
    records: built.entries.length,
    bars: built.files.reduce((n, f) => n + f.bars, 0),
    putRecordsCalls: put.calls,
    retriedEntries: put.retriedEntries,
  };
}
