import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient, kinesisClient, s3Client } from '../../lib/adapters/clients.ts';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, MARKET_DATA_STREAM, MODEL_REGISTRY_TABLE } from '../../lib/config/resources.ts';
import { startEmulators } from '../../lib/local/emulators.ts';
import { useEmulators } from '../helpers/emulators.ts';

const emu = useEmulators();
const bucket = DATA_LAKE_BUCKET.localName;

describe('emulators are provisioned from lib/config/resources.ts', () => {
  test('env names the resources and the local endpoints', () => {
    const { env, endpoints } = emu();
    assert.equal(env.DATA_BUCKET, bucket);
    assert.equal(env.AUDIT_TABLE, AUDIT_TABLE.name);
    assert.equal(env.MODEL_TABLE, MODEL_REGISTRY_TABLE.name);
    assert.equal(env.AWS_ACCESS_KEY_ID, 'S3RVER');
    assert.equal(process.env.AWS_ENDPOINT_URL_S3, endpoints.s3);
    for (const url of Object.values(endpoints)) assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('the stream exists, active, with the configured shard count', async () => {
    const s = await kinesisClient().send(new DescribeStreamSummaryCommand({ StreamName: MARKET_DATA_STREAM.name }));
    assert.equal(s.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
    assert.equal(s.StreamDescriptionSummary?.OpenShardCount, MARKET_DATA_STREAM.shardCount);
  });

  test('both tables exist with the configured key schemas', async () => {
    const ddb = dynamoDocumentClient();
    const audit = await ddb.send(new DescribeTableCommand({ TableName: AUDIT_TABLE.name }));
    assert.deepEqual(audit.Table?.KeySchema, [{ AttributeName: 'requestId', KeyType: 'HASH' }]);
    const models = await ddb.send(new DescribeTableCommand({ TableName: MODEL_REGISTRY_TABLE.name }));
    assert.deepEqual(models.Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.equal(models.Table?.TableStatus, 'ACTIVE');
    await ddb.send(new PutCommand({ TableName: MODEL_REGISTRY_TABLE.name, Item: { pk: 'MODEL', sk: 'v1', score: 0.5 } }));
    const got = await ddb.send(new GetCommand({ TableName: MODEL_REGISTRY_TABLE.name, Key: { pk: 'MODEL', sk: 'v1' } }));
    assert.equal(got.Item?.score, 0.5);
  });

  test('the bucket exists and stores bodies byte for byte (no aws-chunked framing)', async () => {
    const s3 = s3Client();
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const body = '{"a":1}\n{"b":"é"}\n';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe/one.jsonl', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'probe/one.jsonl' }));
    assert.equal(await got.Body?.transformToString(), body);
  });

  test('ListObjectsV2 paginates (s3rver continuation tokens need single DES)', async () => {
    const s3 = s3Client();
    const keys = ['page/a', 'page/b', 'page/c', 'page/d', 'page/e'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: bucket, Prefix: 'page/' })) {
      pages += 1;
      for (const o of page.Contents ?? []) seen.push(o.Key!);
    }
    assert.deepEqual(seen, keys);
    assert.equal(pages, 3);
  });

  test('a record put on the stream can be read back with the real Kinesis API', async () => {
    const k = kinesisClient();
    const put = await k.send(new PutRecordCommand({ StreamName: MARKET_DATA_STREAM.name, PartitionKey: 'X', Data: Buffer.from('hello') }));
    const shards = await k.send(new ListShardsCommand({ StreamName: MARKET_DATA_STREAM.name }));
    const it = await k.send(
      new GetShardIteratorCommand({
        StreamName: MARKET_DATA_STREAM.name,
        ShardId: shards.Shards![0]!.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: put.SequenceNumber,
      }),
    );
    const recs = await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    assert.equal(Buffer.from(recs.Records![0]!.Data!).toString(), 'hello');
  });
});

describe('lifecycle', () => {
  test('stop() closes every port and restores process.env', async () => {
    const before = process.env.AWS_ENDPOINT_URL_S3;
    const second = await startEmulators();
    second.applyEnv();
    assert.equal(process.env.AWS_ENDPOINT_URL_S3, second.endpoints.s3);
    await second.stop();
    await second.stop(); // idempotent
    assert.equal(process.env.AWS_ENDPOINT_URL_S3, before);
    for (const url of Object.values(second.endpoints)) {
      const port = Number(new URL(url).port);
      const refused = await new Promise<boolean>((resolve) => {
        const sock = connect(port, '127.0.0.1');
        sock.once('connect', () => {
          sock.destroy();
          resolve(false);
        });
        sock.once('error', () => resolve(true));
      });
      assert.equal(refused, true, `${url} still accepts connections`);
    }
  });

  test('a port already in use fails start-up with EADDRINUSE (what had started is closed again)', async () => {
    const taken = Number(new URL(emu().endpoints.kinesis).port);
    await assert.rejects(startEmulators({ ports: { dynamodb: taken } }), /EADDRINUSE/);
  });
});

describe('DES shim (without --openssl-legacy-provider)', () => {
  test('OpenSSL 3 refuses single DES; the shim reproduces the classic DES worked example', () => {
    // A child process without NODE_OPTIONS, as under plain `npm start` (scripts/run-tests.mjs adds the legacy provider).
    const shim = fileURLToPath(new URL('../../lib/local/emulators/des-shim.ts', import.meta.url));
    const script = `
      import crypto from 'node:crypto';
      import { installDesShim } from ${JSON.stringify(shim)};
      const key = Buffer.from('133457799bbcdff1', 'hex'), iv = Buffer.alloc(8);
      let before;
      try { crypto.createCipheriv('des', key, iv); before = 'ok'; } catch (e) { before = e.code; }
      const active = installDesShim();
      const c = crypto.createCipheriv('des', key, iv); c.setAutoPadding(false);
      const ct = c.update(Buffer.from('0123456789abcdef', 'hex'));
      const d = crypto.createDecipheriv('des', key, iv); d.setAutoPadding(false);
      console.log(JSON.stringify({ before, active, ct: ct.toString('hex'), pt: d.update(ct).toString('hex') }));
    `;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(out, {
      before: 'ERR_OSSL_EVP_UNSUPPORTED',
      active: true,
      ct: '85e813540f0ab405', // the classic DES worked example (J. Orlin Grabbe): K=133457799BBCDFF1, P=0123456789ABCDEF
      pt: '0123456789abcdef',
    });
  });
});
