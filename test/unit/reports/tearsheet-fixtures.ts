/** Sample price series for the tearsheet tests (data/sample/eustock_*.csv). */
import { readFileSync } from 'node:fs';
import { parsePriceCsv } from '../../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { sample } from '../cli/run-cli.ts';

/** The first `n` prices (all by default) of a sample index, with the file's symbol (eustock_SMI). */
export function eustock(name: 'SMI' | 'DAX' | 'CAC' | 'FTSE', n?: number): PriceSeries {
  const s = parsePriceCsv(readFileSync(sample(`eustock_${name}.csv`), 'utf8'), { symbol: `eustock_${name}` });
  return n === undefined ? s : { symbol: s.symbol, dates: s.dates.slice(0, n), close: s.close.slice(0, n) };
}
