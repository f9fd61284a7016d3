/**
 * The lake in the Glue Data Catalog, for Athena: a database with two external tables.
 * - `prices` over `curated/prices/`: Parquet, the columns of the one bar schema
 *   (lib/domain/lake/bar-schema.ts), partitioned by `year` with partition projection. `symbol` is an
 *   ordinary column: a projected symbol partition would have to be `injected`, which forbids
 *   cross-section queries (every query would need `WHERE symbol = …`).
 * - `quarantine` over `quarantine/`: one JSON object per line, partitioned by `reason` (the codes of
 *   lib/schemas/quarantine-reason.ts) and `ingest_date`, both projected.
 * Projection means no crawler and no `MSCK REPAIR`: Athena computes partition locations from the
 * table properties, so a partition written a second ago is queryable. Staging objects (not yet
 * compacted) lie outside `prices`' location: Athena sees compacted bars only.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DATA_LAKE_BUCKET } from '../config/resources.ts';
import { glueColumns } from '../domain/lake/bar-schema.ts';
import { QUARANTINE_REASON_CODES } from '../schemas/quarantine-reason.ts';
import { LAKE_CATALOG } from './defaults/athena-defaults.ts';

export interface LakeCatalogProps {
  /** The data-lake bucket. */
  readonly bucket: IBucket;
}

/** Hive's Parquet input/output formats and SerDe, as Athena expects them for a Parquet table. */
const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
} as const;

/**
 * The OpenX JSON SerDe reads one JSON object per line. Keys are matched case-insensitively (its
 * default: it lower-cases them), so the mappings name the lower-cased JSON keys.
 */
const JSON_STORAGE = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
} as const;

/** Columns of a quarantine object that the table exposes, with the JSON key each one reads. */
const QUARANTINE_COLUMNS = [
  { name: 'detail', type: 'string', key: 'detail', comment: 'every problem found, as text' },
  { name: 'shard_id', type: 'string', key: 'shardId', comment: 'Kinesis shard of the source record' },
  { name: 'sequence_number', type: 'string', key: 'sequenceNumber', comment: 'Kinesis sequence number (decimal string: exceeds 2^53)' },
  { name: 'bar_index', type: 'int', key: 'barIndex', comment: 'position of the bar in its record; NULL for a whole-record rejection' },
  { name: 'arrival_time', type: 'string', key: 'approximateArrivalTimestamp', comment: 'when the record reached the stream (ISO 8601, UTC)' },
  { name: 'payload', type: 'string', key: 'payload', comment: 'the rejected bytes as text (absent when not UTF-8)' },
  { name: 'source_key', type: 'string', key: 'sourceKey', comment: 'CORRUPT_OBJECT only: the lake key of the object that did not decode' },
] as const;

/** `${name}` placeholders of storage.location.template, kept out of JavaScript template syntax. */
const placeholder = (name: string): string => `\${${name}}`;

export class LakeCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly pricesTable: CfnTable;
  readonly quarantineTable: CfnTable;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const { bucket } = props;
    const catalogId = Stack.of(this).account;
    const { curatedPrefix, quarantinePrefix, curatedYears } = DATA_LAKE_BUCKET;
    const s3 = (prefix: string): string => `s3://${bucket.bucketName}/${prefix}`;

    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: LAKE_CATALOG.database, description: 'riskfn data lake: compacted daily bars and quarantined parts' },
    });

    this.pricesTable = new CfnTable(this, 'PricesTable', {
      catalogId,
      databaseName: LAKE_CATALOG.database,
      tableInput: {
        name: LAKE_CATALOG.pricesTable,
        description: 'Compacted daily bars: one Parquet object per (year, symbol); latest revision per (symbol, date) after dedupe',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.year.type': 'integer',
          'projection.year.range': `${curatedYears.min},${curatedYears.max}`,
          'storage.location.template': `${s3(curatedPrefix)}year=${placeholder('year')}/`,
        },
        partitionKeys: [{ name: 'year', type: 'int', comment: 'calendar year of `date` (UTC)' }],
        storageDescriptor: { columns: glueColumns(), location: s3(curatedPrefix), ...PARQUET_STORAGE },
      },
    });
    this.pricesTable.node.addDependency(this.database);

    this.quarantineTable = new CfnTable(this, 'QuarantineTable', {
      catalogId,
      databaseName: LAKE_CATALOG.database,
      tableInput: {
        name: LAKE_CATALOG.quarantineTable,
        description: 'Rejected and held parts (one JSON object per file), by reason code and ingest date',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.reason.type': 'enum',
          'projection.reason.values': QUARANTINE_REASON_CODES.join(','),
          'projection.ingest_date.type': 'date',
          'projection.ingest_date.format': 'yyyy-MM-dd',
          'projection.ingest_date.range': LAKE_CATALOG.quarantineDays,
          'projection.ingest_date.interval': '1',
          'projection.ingest_date.interval.unit': 'DAYS',
          'storage.location.template': `${s3(quarantinePrefix)}reason=${placeholder('reason')}/ingest_date=${placeholder('ingest_date')}/`,
        },
        partitionKeys: [
          { name: 'reason', type: 'string', comment: 'quarantine reason code (docs/data-lake.md)' },
          { name: 'ingest_date', type: 'string', comment: 'UTC date the part was quarantined, yyyy-MM-dd' },
        ],
        storageDescriptor: {
          columns: QUARANTINE_COLUMNS.map(({ name, type, comment }) => ({ name, type, comment })),
          location: s3(quarantinePrefix),
          ...JSON_STORAGE,
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: Object.fromEntries(QUARANTINE_COLUMNS.map((c) => [`mapping.${c.name}`, c.key.toLowerCase()])),
          },
        },
      },
    });
    this.quarantineTable.node.addDependency(this.database);
  }
}
