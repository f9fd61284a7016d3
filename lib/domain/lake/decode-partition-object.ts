/**
 * Decodes a staging or curated object and checks that every bar belongs to the partition its
 * key names (symbol, and year of the date). A bar of another symbol or year under a key would be
 * served as the wrong instrument's history, so such an object counts as corrupt, like bytes
 * that do not decode.
 */
import { parseCuratedKey, parseStagingKey } from './keys.ts';
import { CorruptLakeObjectError, decodeLakeObject, type LakeObjectContent } from './parquet-bars.ts';

/**
 * The content of the lake object stored at `key` (a staging or curated key). Rejects with
 * CorruptLakeObjectError when the bytes do not decode or a bar lies outside the key's partition.
 */
export async function decodePartitionObject(key: string, bytes: Uint8Array): Promise<LakeObjectContent> {
  const partition = parseStagingKey(key) ?? parseCuratedKey(key);
  if (!partition) throw new CorruptLakeObjectError(`"${key}" is not a staging or curated key`);
  const content = await decodeLakeObject(bytes);
  const year = String(partition.year);
  const stray = content.bars.findIndex((b) => b.symbol !== partition.symbol || b.date.slice(0, 4) !== year);
  if (stray >= 0) {
    const b = content.bars[stray]!;
    throw new CorruptLakeObjectError(`row ${stray}: bar ${b.symbol} ${b.date} lies outside the partition ${partition.symbol} ${year}`);
  }
  return content;
}
