/**
 * Template assertions for the lake's analytics side: the Glue database and tables (columns from the
 * one bar schema, partition projection), the Athena workgroup with its results bucket, and the
 * analysts' managed policy.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATA_LAKE_BUCKET } from '../../../lib/config/resources.ts';
import { glueColumns } from '../../../lib/domain/lake/bar-schema.ts';
import { ATHENA_BYTES_SCANNED_CUTOFF, ATHENA_WORKGROUP_NAME, LAKE_CATALOG } from '../../../lib/infra/defaults/athena-defaults.ts';
import { flattenCfnReference } from '../../../lib/infra/nag-acknowledgements.ts';
import { QUARANTINE_REASON_CODES } from '../../../lib/schemas/quarantine-reason.ts';
import { secureDataBucketTests } from './secure-bucket.ts';
import { logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const resources = template.toJSON().Resources as Record<string, any>;
const bucketId = logicalId(stack.dataLake.bucket);
const propsOf = (construct: Parameters<typeof logicalId>[0]) => resources[logicalId(construct)].Properties;
/** `s3://<data bucket>/<suffix>` as CloudFormation sees it. */
const s3 = (suffix: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: bucketId }, `/${suffix}`]] });

describe('Glue database', () => {
  test('is riskfn_lake in this account', () => {
    const db = propsOf(stack.catalog.database);
    assert.equal(db.DatabaseInput.Name, LAKE_CATALOG.database);
    assert.deepEqual(db.CatalogId, { Ref: 'AWS::AccountId' });
  });
  test('is the only database, and both tables are in it', () => {
    assert.equal(Object.keys(template.findResources('AWS::Glue::Database')).length, 1);
    for (const t of [stack.catalog.pricesTable, stack.catalog.quarantineTable]) {
      assert.equal(propsOf(t).DatabaseName, LAKE_CATALOG.database);
      assert.ok(resources[logicalId(t)].DependsOn.includes(logicalId(stack.catalog.database)));
    }
  });
});

describe('Glue table prices', () => {
  const input = propsOf(stack.catalog.pricesTable).TableInput;
  test('is an external Parquet table named prices', () => {
    assert.equal(input.Name, 'prices');
    assert.equal(input.TableType, 'EXTERNAL_TABLE');
    assert.equal(input.Parameters.classification, 'parquet');
    assert.equal(input.StorageDescriptor.SerdeInfo.SerializationLibrary, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.equal(input.StorageDescriptor.InputFormat, 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
  });
  test('has exactly the columns of the bar schema, in order', () => {
    const columns = input.StorageDescriptor.Columns.map((c: any) => ({ name: c.Name, type: c.Type, comment: c.Comment }));
    assert.deepEqual(columns, glueColumns());
    assert.deepEqual(columns.map((c: any) => `${c.name}:${c.type}`).slice(0, 3), ['symbol:string', 'date:date', 'open:double']);
  });
  test('lies over the compacted prefix only (staging is outside it)', () => {
    assert.deepEqual(input.StorageDescriptor.Location, s3(DATA_LAKE_BUCKET.curatedPrefix));
    assert.equal(DATA_LAKE_BUCKET.stagingPrefix.startsWith(DATA_LAKE_BUCKET.curatedPrefix), false);
  });
  test('is partitioned by year (int) only; symbol is a column', () => {
    assert.deepEqual(
      input.PartitionKeys.map((k: any) => `${k.Name}:${k.Type}`),
      ['year:int'],
    );
    assert.ok(input.StorageDescriptor.Columns.some((c: any) => c.Name === 'symbol'));
  });
  test('projects year as an integer range 1900..2100 onto year=<Y>/', () => {
    assert.equal(input.Parameters['projection.enabled'], 'true');
    assert.equal(input.Parameters['projection.year.type'], 'integer');
    assert.equal(input.Parameters['projection.year.range'], '1900,2100');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Athena location template, not a JavaScript template
    assert.deepEqual(input.Parameters['storage.location.template'], s3('curated/prices/year=${year}/'));
  });
});

describe('Glue table quarantine', () => {
  const input = propsOf(stack.catalog.quarantineTable).TableInput;
  test('is an external table read with the OpenX JSON SerDe over quarantine/', () => {
    assert.equal(input.Name, 'quarantine');
    assert.equal(input.TableType, 'EXTERNAL_TABLE');
    assert.equal(input.StorageDescriptor.SerdeInfo.SerializationLibrary, 'org.openx.data.jsonserde.JsonSerDe');
    assert.deepEqual(input.StorageDescriptor.Location, s3(DATA_LAKE_BUCKET.quarantinePrefix));
  });
  test('maps snake_case columns to the camelCase keys of a quarantine object (lower-cased, as the SerDe matches them)', () => {
    const p = input.StorageDescriptor.SerdeInfo.Parameters;
    assert.equal(p['mapping.shard_id'], 'shardid');
    assert.equal(p['mapping.sequence_number'], 'sequencenumber');
    assert.equal(p['mapping.bar_index'], 'barindex');
    assert.equal(p['mapping.arrival_time'], 'approximatearrivaltimestamp');
    assert.equal(p['mapping.source_key'], 'sourcekey');
    const columns = input.StorageDescriptor.Columns.map((c: any) => `${c.Name}:${c.Type}`);
    assert.ok(columns.includes('sequence_number:string'));
    assert.ok(columns.includes('bar_index:int'));
    // `reason` is a partition key: a data column of the same name would be refused by Glue.
    assert.ok(!input.StorageDescriptor.Columns.some((c: any) => c.Name === 'reason'));
  });
  test('is partitioned by reason and ingest_date', () => {
    assert.deepEqual(
      input.PartitionKeys.map((k: any) => `${k.Name}:${k.Type}`),
      ['reason:string', 'ingest_date:string'],
    );
  });
  test('projects reason as the enum of every quarantine reason code', () => {
    assert.equal(input.Parameters['projection.reason.type'], 'enum');
    assert.deepEqual(input.Parameters['projection.reason.values'].split(','), QUARANTINE_REASON_CODES);
    for (const code of ['IMPLAUSIBLE_PRICE', 'SUSPECT_REVISION', 'CORRUPT_OBJECT']) {
      assert.ok(input.Parameters['projection.reason.values'].split(',').includes(code), code);
    }
  });
  test('projects ingest_date as daily dates up to now onto reason=<R>/ingest_date=<D>/', () => {
    assert.equal(input.Parameters['projection.ingest_date.type'], 'date');
    assert.equal(input.Parameters['projection.ingest_date.format'], 'yyyy-MM-dd');
    assert.match(input.Parameters['projection.ingest_date.range'], /^NOW-\d+YEARS,NOW$/);
    assert.equal(input.Parameters['projection.ingest_date.interval.unit'], 'DAYS');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Athena location template, not a JavaScript template
    assert.deepEqual(input.Parameters['storage.location.template'], s3('quarantine/reason=${reason}/ingest_date=${ingest_date}/'));
  });
});

describe('Athena workgroup', () => {
  const wg = propsOf(stack.athena.workGroup);
  const config = wg.WorkGroupConfiguration;
  const resultsId = logicalId(stack.athena.resultsBucket);
  test(`is ${ATHENA_WORKGROUP_NAME}, enabled`, () => {
    assert.equal(wg.Name, ATHENA_WORKGROUP_NAME);
    assert.equal(wg.State, 'ENABLED');
  });
  test('enforces its configuration over client-side settings', () => assert.equal(config.EnforceWorkGroupConfiguration, true));
  test('encrypts query results (SSE-S3)', () => assert.deepEqual(config.ResultConfiguration.EncryptionConfiguration, { EncryptionOption: 'SSE_S3' }));
  test('writes results under results/ of the results bucket, owned by this account', () => {
    assert.deepEqual(config.ResultConfiguration.OutputLocation, { 'Fn::Join': ['', ['s3://', { Ref: resultsId }, '/results/']] });
    assert.deepEqual(config.ResultConfiguration.ExpectedBucketOwner, { Ref: 'AWS::AccountId' });
  });
  test('cancels a query past 1 GiB scanned (within the 10 MB..2 GiB CloudFormation accepts)', () => {
    assert.equal(config.BytesScannedCutoffPerQuery, ATHENA_BYTES_SCANNED_CUTOFF);
    assert.equal(config.BytesScannedCutoffPerQuery, 1073741824);
    assert.ok(config.BytesScannedCutoffPerQuery >= 10_000_000 && config.BytesScannedCutoffPerQuery < 2 ** 31);
  });
  test('publishes CloudWatch metrics and refuses requester-pays buckets', () => {
    assert.equal(config.PublishCloudWatchMetricsEnabled, true);
    assert.equal(config.RequesterPaysEnabled, false);
  });
  test('runs engine version 3', () => assert.equal(config.EngineVersion.SelectedEngineVersion, 'Athena engine version 3'));
});

describe('Athena results bucket (the lake bucket defaults)', () => {
  const resultsId = logicalId(stack.athena.resultsBucket);
  secureDataBucketTests(template, resultsId, { logsBucketId: logicalId(stack.dataLake.logsBucket), prefix: 'athena-results/' });
  test('expires results after 30 days and noncurrent versions after 30 days', () => {
    const rules = resources[resultsId].Properties.LifecycleConfiguration.Rules as any[];
    assert.ok(rules.some((r) => r.ExpirationInDays === 30 && r.Status === 'Enabled'));
    assert.ok(rules.some((r) => r.NoncurrentVersionExpiration?.NoncurrentDays === 30));
  });
});

describe('lake analyst policy', () => {
  const policyId = logicalId(stack.analystPolicy.policy);
  const doc = propsOf(stack.analystPolicy.policy).PolicyDocument;
  /** Every Allow as `action resource [if condition]`, resources flattened like cdk-nag's ids. */
  const grants = (doc.Statement as any[])
    .flatMap((st) =>
      ([] as string[])
        .concat(st.Action)
        .flatMap((a) =>
          ([] as unknown[]).concat(st.Resource).map((r) => `${a} ${flattenCfnReference(r)}${st.Condition ? ` if ${JSON.stringify(st.Condition)}` : ''}`),
        ),
    )
    .sort();
  const resultsId = logicalId(stack.athena.resultsBucket);
  const arn = (service: string, resource: string) => `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;

  test('is attached to nobody by the stack', () => {
    const p = propsOf(stack.analystPolicy.policy);
    assert.equal(p.Roles, undefined);
    assert.equal(p.Users, undefined);
    assert.equal(p.Groups, undefined);
    assert.ok(resources[policyId]);
  });
  test('allows only Allow statements, without wildcard actions', () => {
    for (const st of doc.Statement) {
      assert.equal(st.Effect, 'Allow');
      for (const a of [].concat(st.Action)) assert.doesNotMatch(a, /\*/);
    }
  });
  test('grants exactly: queries in the workgroup, the two tables, reads of their locations, and the results', () => {
    const workgroup = arn('athena', `workgroup/${ATHENA_WORKGROUP_NAME}`);
    const glueResources = [
      arn('glue', 'catalog'),
      arn('glue', 'database/riskfn_lake'),
      arn('glue', 'table/riskfn_lake/prices'),
      arn('glue', 'table/riskfn_lake/quarantine'),
    ];
    const listIf = (prefix: string) => `s3:ListBucket <${bucketId}.Arn> if {"StringLike":{"s3:prefix":["${prefix}*"]}}`;
    const expected = [
      ...[
        'StartQueryExecution',
        'StopQueryExecution',
        'GetQueryExecution',
        'GetQueryResults',
        'BatchGetQueryExecution',
        'ListQueryExecutions',
        'GetWorkGroup',
      ].map((a) => `athena:${a} ${workgroup}`),
      ...['GetDatabase', 'GetTable', 'GetPartition', 'GetPartitions', 'BatchGetPartition'].flatMap((a) => glueResources.map((r) => `glue:${a} ${r}`)),
      `s3:GetBucketLocation <${bucketId}.Arn>`,
      `s3:GetBucketLocation <${resultsId}.Arn>`,
      `s3:ListBucket <${resultsId}.Arn>`,
      `s3:ListBucketMultipartUploads <${resultsId}.Arn>`,
      `s3:GetObject <${bucketId}.Arn>/curated/prices/*`,
      listIf('curated/prices/'),
      `s3:GetObject <${bucketId}.Arn>/quarantine/*`,
      listIf('quarantine/'),
      ...['GetObject', 'PutObject', 'AbortMultipartUpload', 'ListMultipartUploadParts'].map((a) => `s3:${a} <${resultsId}.Arn>/results/*`),
      // The lake's objects are SSE-KMS: Athena reads them with the analyst's credentials.
      `kms:Decrypt <${logicalId(stack.keys.lake)}.Arn>`,
    ].sort();
    assert.deepEqual(grants, expected);
  });
  test('reads no other lake prefix (raw, staging, datasets, models)', () => {
    for (const prefix of ['raw/', 'staging/', 'datasets/', 'models/', 'failed/']) {
      assert.ok(!grants.some((g) => g.includes(`.Arn>/${prefix}`) || g.includes(`"${prefix}`)), prefix);
    }
  });
});
