/** Defaults for the analysts' Athena workgroup and the Glue tables it queries. */

/** The workgroup's name: analysts pick it in the console or pass `--work-group riskfn-analytics`. */
export const ATHENA_WORKGROUP_NAME = 'riskfn-analytics';

/**
 * Per-query cutoff of bytes scanned: 1 GiB (Athena bills $5 per TB scanned, so at most about half a
 * US cent per query). The curated layer is one Parquet object per (symbol, year): a symbol's history
 * reads one small object per year, a cross-section of one date reads one year's objects, so no
 * query the docs show comes near it. CloudFormation takes the value as a 32-bit integer, which also
 * caps it below 2 GiB.
 */
export const ATHENA_BYTES_SCANNED_CUTOFF = 1024 ** 3;

/** Athena engine version 3 (Trino): the version that reads Parquet DATE and TIMESTAMP(millis) columns as such. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/** Key prefix of query results in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';

/** Names in the Glue Data Catalog (Athena identifiers: lower case, underscores). */
export const LAKE_CATALOG = {
  /** The database holding the lake's tables. */
  database: 'riskfn_lake',
  /** Compacted daily bars over `curated/prices/`, partitioned by `year`. */
  pricesTable: 'prices',
  /** Rejected and held parts over `quarantine/`, partitioned by `reason` and `ingest_date`. */
  quarantineTable: 'quarantine',
  /**
   * How far back the quarantine table's `ingest_date` projection reaches. A query enumerates every
   * (reason, day) in the range that its WHERE clause does not exclude, so the range is kept short;
   * older quarantine objects stay in S3 and `riskfn lake quarantine --since` lists them.
   */
  quarantineDays: 'NOW-3YEARS,NOW',
} as const;
