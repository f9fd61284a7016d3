/**
 * The one schema of a lake bar: every staging and curated Parquet object has exactly these
 * columns, in this order. The Parquet writer's schema ({@link parquetSchema}) and the Glue
 * table's columns ({@link glueColumns}) are both derived from {@link BAR_COLUMNS}, and the
 * Parquet type of each Glue type is defined once ({@link PARQUET_TYPE_OF_GLUE}), so the files
 * and the table cannot drift apart.
 */
import type { SchemaElement } from 'hyparquet';

/** Column types of the Glue table (Hive DDL names). */
export type GlueType = 'string' | 'date' | 'double' | 'bigint' | 'int' | 'timestamp';

/** Physical Parquet type plus the logical annotation a reader needs to interpret it. */
export interface ParquetColumnType {
  type: 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'DOUBLE';
  /** STRING = UTF-8; DATE = days since 1970-01-01; TIMESTAMP_MILLIS = milliseconds since the epoch, UTC-adjusted. */
  logical?: 'STRING' | 'DATE' | 'TIMESTAMP_MILLIS';
}

/**
 * How each Glue type is stored in Parquet: the single mapping the writer's schema and the
 * independent-reader test both use. `timestamp` is INT64 milliseconds (Athena engine v3 reads
 * TIMESTAMP(MILLIS) natively; INT96 is deprecated).
 */
export const PARQUET_TYPE_OF_GLUE: Readonly<Record<GlueType, ParquetColumnType>> = {
  string: { type: 'BYTE_ARRAY', logical: 'STRING' },
  date: { type: 'INT32', logical: 'DATE' },
  double: { type: 'DOUBLE' },
  bigint: { type: 'INT64' },
  int: { type: 'INT32' },
  timestamp: { type: 'INT64', logical: 'TIMESTAMP_MILLIS' },
};

/**
 * One bar as the code sees it (camelCase). Absent optional values are `null`, as in the file.
 * Dates are `YYYY-MM-DD` (UTC calendar date), times epoch milliseconds.
 */
export interface LakeBar {
  /** Upper-case ticker (the ingest symbol rule). */
  symbol: string;
  /** UTC calendar date of the bar, `YYYY-MM-DD`. */
  date: string;
  open: number | null;
  high: number | null;
  low: number | null;
  /** Close price, > 0. */
  close: number;
  volume: number | null;
  /** Producer name, e.g. `sample:eustock_DAX.csv`. */
  source: string;
  /** Kinesis shard of the record the bar came in (`shardId-<digits>`). */
  shardId: string;
  /** Kinesis sequence number of that record: a decimal string, compared as a big integer (exceeds 2^53). */
  sequenceNumber: string;
  /** Position of the bar inside its record (0 for a single-bar record). */
  barIndex: number;
  /** The record's approximate arrival time on the stream, epoch milliseconds (UTC). */
  arrivalTime: number;
  /** 0 = the first stored version of (symbol, date); +1 per applied change. */
  revision: number;
  /** Comma-separated markers, e.g. `released` for a held bar a person released; null when none. */
  flags: string | null;
}

/** One column: its name in the file and the table, its LakeBar field, its types and whether it may be null. */
export interface BarColumn {
  name: string;
  field: keyof LakeBar;
  glue: GlueType;
  parquet: ParquetColumnType;
  nullable: boolean;
  /** Shown as the Glue column comment and in docs/data-lake.md. */
  doc: string;
}

function column(name: string, field: keyof LakeBar, glue: GlueType, nullable: boolean, doc: string): BarColumn {
  return { name, field, glue, parquet: PARQUET_TYPE_OF_GLUE[glue], nullable, doc };
}

/** The bar columns, in file and table order. */
export const BAR_COLUMNS: readonly BarColumn[] = [
  column('symbol', 'symbol', 'string', false, 'Upper-case ticker'),
  column('date', 'date', 'date', false, 'UTC calendar date of the bar'),
  column('open', 'open', 'double', true, 'Open price; null when the producer sent no open/high/low'),
  column('high', 'high', 'double', true, 'High price; null with open and low'),
  column('low', 'low', 'double', true, 'Low price; null with open and high'),
  column('close', 'close', 'double', false, 'Close price, > 0'),
  column('volume', 'volume', 'double', true, 'Traded volume, >= 0; null when not sent'),
  column('source', 'source', 'string', false, 'Producer name, e.g. sample:eustock_DAX.csv'),
  column('shard_id', 'shardId', 'string', false, 'Kinesis shard of the source record'),
  column(
    'sequence_number',
    'sequenceNumber',
    'string',
    false,
    'Kinesis sequence number of the source record (decimal; exceeds 2^53, compare as a big integer)',
  ),
  column('bar_index', 'barIndex', 'int', false, 'Position of the bar inside its record, from 0'),
  column('arrival_time', 'arrivalTime', 'timestamp', false, "The record's approximate arrival time on the stream (UTC, milliseconds)"),
  column('revision', 'revision', 'int', false, '0 = first stored version of (symbol, date); +1 per applied change'),
  column('flags', 'flags', 'string', true, 'Comma-separated markers, e.g. released (a held bar a person released); null when none'),
];

/** The Parquet SchemaElement of one column (converted_type too, for readers that only know the legacy annotations). */
function schemaElement(c: BarColumn): SchemaElement {
  const el: SchemaElement = { name: c.name, type: c.parquet.type, repetition_type: c.nullable ? 'OPTIONAL' : 'REQUIRED' };
  switch (c.parquet.logical) {
    case 'STRING':
      return { ...el, converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'DATE':
      return { ...el, converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'TIMESTAMP_MILLIS':
      return { ...el, converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
    case undefined:
      return el;
  }
}

/** The flat Parquet schema (root element first) that hyparquet-writer takes as `schema`. */
export function parquetSchema(): SchemaElement[] {
  return [{ name: 'root', num_children: BAR_COLUMNS.length }, ...BAR_COLUMNS.map(schemaElement)];
}

/** A column of the Glue table, in the shape CDK's `CfnTable` `storageDescriptor.columns` takes. */
export interface GlueColumn {
  name: string;
  type: GlueType;
  comment: string;
}

/** The Glue table's columns, in file order. The partition column `year` is not among them (it is in the key). */
export function glueColumns(): GlueColumn[] {
  return BAR_COLUMNS.map((c) => ({ name: c.name, type: c.glue, comment: c.doc }));
}
