/**
 * The one bar schema: the Glue columns, the writer's Parquet schema and the files agree. A file
 * written by encodeBars is read with an independent reader (parquet-wasm = arrow-rs' Parquet
 * reader, inspected with apache-arrow) and its physical schema must be what glueColumns()
 * declares; docs/data-lake.md must list exactly these columns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { BAR_COLUMNS, type GlueType, glueColumns, PARQUET_TYPE_OF_GLUE, type ParquetColumnType, parquetSchema } from '../../../lib/domain/lake/bar-schema.ts';
import { encodeBars, FOLDED_METADATA_KEY } from '../../../lib/domain/lake/parquet-bars.ts';
import { lakeBar, TEST_SEQ } from '../../helpers/lake-bar.ts';

/**
 * The Arrow type an Arrow-based engine (arrow-rs, and Athena's Parquet reader alike) gives each
 * Parquet physical + logical type, per the Parquet logical-type spec. Written out here, not
 * derived from the code under test.
 */
function arrowTypeOf(p: ParquetColumnType): string {
  const key = `${p.type}${p.logical ? `/${p.logical}` : ''}`;
  const table: Record<string, string> = {
    'BYTE_ARRAY/STRING': 'Utf8',
    'INT32/DATE': 'Date32<DAY>',
    DOUBLE: 'Float64',
    INT64: 'Int64',
    INT32: 'Int32',
    'INT64/TIMESTAMP_MILLIS': 'Timestamp<MILLISECOND, UTC>',
  };
  const t = table[key];
  assert.ok(t, `no Arrow type known for ${key}`);
  return t;
}

/** What each Glue (Hive) type holds, for the same check from the table's side. */
const ARROW_OF_GLUE: Record<GlueType, string> = {
  string: 'Utf8',
  date: 'Date32<DAY>',
  double: 'Float64',
  bigint: 'Int64',
  int: 'Int32',
  timestamp: 'Timestamp<MILLISECOND, UTC>',
};

test('glueColumns and parquetSchema list the same columns in the same order', () => {
  const glue = glueColumns();
  const schema = parquetSchema();
  assert.equal(schema[0]!.num_children, BAR_COLUMNS.length);
  assert.deepEqual(
    schema.slice(1).map((e) => e.name),
    glue.map((c) => c.name),
  );
  assert.deepEqual(
    glue.map((c) => `${c.name}:${c.type}`),
    [
      'symbol:string',
      'date:date',
      'open:double',
      'high:double',
      'low:double',
      'close:double',
      'volume:double',
      'source:string',
      'shard_id:string',
      'sequence_number:string',
      'bar_index:int',
      'arrival_time:timestamp',
      'revision:int',
      'flags:string',
    ],
  );
  // Nullable: only OHLC, volume and flags.
  assert.deepEqual(
    BAR_COLUMNS.filter((c) => c.nullable).map((c) => c.name),
    ['open', 'high', 'low', 'volume', 'flags'],
  );
  for (const c of glue) assert.ok(c.comment.length > 0 && c.comment.length <= 255, `${c.name}: Glue comments are 1-255 characters`);
});

test('every Glue type maps to the Parquet type an engine reads back as that type', () => {
  for (const [glue, parquet] of Object.entries(PARQUET_TYPE_OF_GLUE) as [GlueType, ParquetColumnType][]) {
    assert.equal(arrowTypeOf(parquet), ARROW_OF_GLUE[glue], glue);
  }
});

test('an independent reader (parquet-wasm) sees exactly the Glue columns: names, types, nullability', () => {
  const bytes = encodeBars([lakeBar(), lakeBar({ date: '2024-01-03', open: 1, high: 2, low: 0.5, volume: 10, flags: 'released' })], { folded: ['k'] });
  const table = tableFromIPC(readParquet(bytes).intoIPCStream());
  const byName = new Map(BAR_COLUMNS.map((c) => [c.name, c]));
  assert.deepEqual(
    table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
    glueColumns().map((c) => ({ name: c.name, type: ARROW_OF_GLUE[c.type], nullable: byName.get(c.name)!.nullable })),
  );
  assert.equal(table.schema.metadata.get(FOLDED_METADATA_KEY), '["k"]');
});

test('the independent reader reads the values we wrote (dates, big sequence numbers, nulls, millisecond times)', () => {
  const bar = lakeBar({ arrivalTime: Date.UTC(2024, 0, 2, 18, 0, 0, 250) });
  const table = tableFromIPC(readParquet(encodeBars([bar])).intoIPCStream());
  const row = table.get(0)!.toJSON() as Record<string, unknown>;
  assert.equal(row.date, Date.UTC(2024, 0, 2)); // Date32 as epoch ms
  assert.equal(row.sequence_number, TEST_SEQ);
  assert.equal(row.open, null);
  assert.equal(row.flags, null);
  assert.equal(Number(row.arrival_time), bar.arrivalTime);
  assert.equal(row.close, 100);
});

test('docs/data-lake.md lists exactly BAR_COLUMNS, with their Glue types and nullability', () => {
  const doc = readFileSync(new URL('../../../docs/data-lake.md', import.meta.url), 'utf8');
  const start = doc.indexOf('## Bar schema');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  const rows = section
    .split('\n')
    .filter((l) => /^\| `[a-z_]+` \|/.test(l))
    .map((l) => l.split('|').map((cell) => cell.trim()));
  assert.deepEqual(
    rows.map((r) => [r[1], r[2], r[4]]),
    BAR_COLUMNS.map((c) => [`\`${c.name}\``, `\`${c.glue}\``, c.nullable ? 'yes' : 'no']),
  );
});
