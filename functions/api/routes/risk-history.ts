/**
 * What the risk routes share: the champion they score with, and the price history of a
 * `{ symbol } | { symbol?, prices }` body (or portfolio holding), read from the lake or taken
 * from the body.
 */
import type { LakeObjectRead, SkippedLakeObject } from '../../../lib/adapters/s3/lake-reader.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { seriesFromPoints } from '../../../lib/domain/scoring/series-from-points.ts';
import type { PricePoint } from '../../../lib/schemas/price-point.ts';
import type { FieldError } from '../../../lib/schemas/problem-details.ts';
import type { ApiDependencies, ChampionModel } from '../dependencies.ts';
import { LakeDataUnavailableError, NoChampionModelError, UnknownSymbolError } from '../errors.ts';

/** The champion, or 503 when none has been promoted. */
export async function requireChampion(deps: ApiDependencies): Promise<ChampionModel> {
  const champion = await deps.loadChampion();
  if (!champion) throw new NoChampionModelError();
  return champion;
}

/** A history and where it came from; `skipped` lists the corrupt lake objects left out of it, `objects` those read (for the audit's lineage). */
export interface ResolvedHistory {
  series: PriceSeries;
  source: 'lake' | 'request';
  skipped: SkippedLakeObject[];
  objects?: LakeObjectRead[];
}

/** 404 for a symbol the lake does not have, naming the field that gave it (e.g. `/holdings/2/symbol`). */
class UnknownSymbolAtError extends UnknownSymbolError {
  override readonly errors: FieldError[];
  constructor(symbol: string, path: string) {
    super(symbol);
    this.errors = [{ path, message: 'unknown symbol' }];
  }
}

/**
 * The history of `{ symbol }` (from the lake; 404 when it has none, 503 when every object of it
 * is corrupt) or of `{ symbol?, prices }` (from the body). `at` is the JSON Pointer of the
 * object holding them, '' for the body itself.
 */
export async function resolveHistory(req: { symbol?: string; prices?: PricePoint[] }, deps: ApiDependencies, at = ''): Promise<ResolvedHistory> {
  if (req.prices) return { series: seriesFromPoints(req.prices, req.symbol), source: 'request', skipped: [] };
  const symbol = req.symbol as string; // the schemas require it when prices are absent
  const { series, skipped, objects } = await deps.readSeries(symbol);
  if (!series) throw skipped.length > 0 ? new LakeDataUnavailableError(symbol, skipped) : new UnknownSymbolAtError(symbol, `${at}/symbol`);
  return { series: { ...series, symbol: series.symbol ?? symbol }, source: 'lake', skipped, ...(objects ? { objects } : {}) };
}
