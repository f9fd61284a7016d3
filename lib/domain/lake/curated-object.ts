/**
 * Encoding of curated objects: JSON Lines, one CuratedBar per line, `\n`-terminated, keys
 * in a fixed order so a rewritten object is byte-identical.
 */
import { type CuratedBar, CuratedBarSchema } from '../../schemas/price-bar.ts';

export const CURATED_CONTENT_TYPE = 'application/x-ndjson';

/**
 * A curated object that does not decode. A plain Error, not a DomainError: stored data is
 * corrupt, which no caller can fix, so every edge reports it as an internal failure.
 */
export class CuratedObjectError extends Error {
  override name = 'CuratedObjectError';
  constructor(
    readonly key: string,
    readonly line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${key} line ${line}: ${message}`, options);
  }
}

export function encodeCuratedObject(bars: readonly CuratedBar[]): string {
  return bars
    .map((b) =>
      JSON.stringify({
        symbol: b.symbol,
        date: b.date,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
        source: b.source,
        shardId: b.shardId,
        sequenceNumber: b.sequenceNumber,
        index: b.index,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** Parses and validates every line; a bad line throws CuratedObjectError naming the key and line (1-based). */
export function decodeCuratedObject(key: string, text: string): CuratedBar[] {
  const out: CuratedBar[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new CuratedObjectError(key, i + 1, 'not JSON', { cause: err });
    }
    const parsed = CuratedBarSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new CuratedObjectError(key, i + 1, `${first.path.join('.') || 'line'}: ${first.message}`, { cause: parsed.error });
    }
    out.push(parsed.data);
  }
  return out;
}
