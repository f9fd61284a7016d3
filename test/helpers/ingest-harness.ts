/**
 * What the ingest integration tests share: handler dependencies wired to the emulators with a
 * quiet logger, recorded metrics and no retry pauses; a put on the stream; listings; and the
 * reconciliation of the lake against the raw backup (every raw bar stored exactly once, as a
 * staged or compacted row or a quarantined/held part).
 */
import { gunzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { awsIngestDependencies, createIngestHandler, type IngestDependencies, type IngestMetrics } from '../../functions/ingest.ts';
import { kinesisClient } from '../../lib/adapters/clients.ts';
import { getBytes, getText, listObjects } from '../../lib/adapters/s3/objects.ts';
import { DATA_LAKE_BUCKET, MARKET_DATA_STREAM } from '../../lib/config/resources.ts';
import type { QuarantineEntry } from '../../lib/domain/ingest/plan-record.ts';
import { validateRecordData } from '../../lib/domain/ingest/validate-record.ts';
import { parseCorruptObjectQuarantineKey, parseCuratedKey, parseQuarantineKey, parseRawKey, parseStagingKey } from '../../lib/domain/lake/keys.ts';
import { decodeBars } from '../../lib/domain/lake/parquet-bars.ts';

export const bucket = DATA_LAKE_BUCKET.localName;
export const stream = MARKET_DATA_STREAM.name;

export interface MetricCounts {
  barsAccepted: number;
  barsHeld: number;
  recordsFailed: number;
  partsQuarantined: Record<string, number>;
}

export function recordingMetrics(): IngestMetrics & { counts: MetricCounts } {
  const counts: MetricCounts = { barsAccepted: 0, barsHeld: 0, recordsFailed: 0, partsQuarantined: {} };
  return {
    counts,
    barsAccepted(n) {
      counts.barsAccepted += n;
    },
    barsHeld(n) {
      counts.barsHeld += n;
    },
    recordsFailed(n) {
      counts.recordsFailed += n;
    },
    partsQuarantined(r, n) {
      counts.partsQuarantined[r] = (counts.partsQuarantined[r] ?? 0) + n;
    },
    publish: () => undefined,
  };
}

/** The AWS-wired dependencies, quiet, with recorded metrics and retries without pauses; `overrides` win. */
export function testDeps(overrides: Partial<IngestDependencies> = {}): IngestDependencies & { metrics: ReturnType<typeof recordingMetrics> } {
  // A logger silent from construction (setLogLevel applies to the current invocation only).
  const logger = new Logger({ serviceName: 'riskfn-ingest-test', logLevel: 'SILENT' });
  return { ...awsIngestDependencies(), logger, metrics: recordingMetrics(), sleep: async () => undefined, ...overrides } as IngestDependencies & {
    metrics: ReturnType<typeof recordingMetrics>;
  };
}

export const testHandler = (overrides: Partial<IngestDependencies> = {}) => createIngestHandler(testDeps(overrides));

export async function put(data: string | Uint8Array, partitionKey = 'P'): Promise<string> {
  const out = await kinesisClient().send(
    new PutRecordCommand({ StreamName: stream, PartitionKey: partitionKey, Data: typeof data === 'string' ? Buffer.from(data) : data }),
  );
  return out.SequenceNumber!;
}

export const bar = (symbol: string, date: string, close: unknown = 100) => ({ symbol, date, close, source: 'test' });

export async function keysUnder(prefix: string): Promise<string[]> {
  return (await listObjects(bucket, prefix)).map((o) => o.key);
}

export async function quarantineEntry(key: string): Promise<QuarantineEntry> {
  return JSON.parse(await getText(bucket, key)) as QuarantineEntry;
}

/** How the lake accounts for the bars of the raw backup. */
export interface Reconciliation {
  rawRecords: number;
  /** Bars in valid records of raw/ (a whole-record rejection counts as one part). */
  rawParts: number;
  /** Distinct bars (by provenance: shard, sequence number, bar index) in staging or compacted objects, released bars included. */
  storedBars: number;
  /** Quarantined parts that are not released. */
  quarantinedParts: number;
  /** Parts of raw/ found neither stored nor quarantined. */
  lost: string[];
  /** Parts stored more than once: twice in compacted objects, or stored and quarantined unreleased, or not in raw/. */
  duplicated: string[];
}

/**
 * Reconciles the lake against raw/ for the records whose sequence numbers are in `seqs` (all
 * when omitted): raw parts = stored bars + quarantined parts, nothing lost, nothing twice. A part
 * is `<shard>/<seq>/<barIndex>`; a whole-record rejection is `<shard>/<seq>/*`. Staging objects
 * may hold the same row more than once (a retried batch writes rows already stored under another
 * key; compaction keeps one), so staging counts distinct provenance; a compacted object must hold
 * each provenance once.
 */
export async function reconcile(seqs?: ReadonlySet<string>): Promise<Reconciliation> {
  const keep = (seq: string) => !seqs || seqs.has(seq);
  const expected = new Set<string>();
  let rawRecords = 0;
  for (const key of await keysUnder(DATA_LAKE_BUCKET.rawPrefix)) {
    const ref = parseRawKey(key);
    if (!ref || !keep(ref.sequenceNumber)) continue;
    rawRecords += 1;
    const v = validateRecordData(new Uint8Array(gunzipSync(await getBytes(bucket, key))), '9999-12-31');
    if (v.kind === 'invalid') expected.add(`${ref.shardId}/${ref.sequenceNumber}/*`);
    // A single-bar record is rejected or held whole: its part is the record.
    else if (v.kind === 'bar') expected.add(`${ref.shardId}/${ref.sequenceNumber}/0`);
    else for (const i of [...v.accepted.map((a) => a.index), ...v.rejected.map((r) => r.barIndex!)]) expected.add(`${ref.shardId}/${ref.sequenceNumber}/${i}`);
  }
  const stored = new Set<string>();
  const twice = new Set<string>();
  const compacted = new Set<string>();
  for (const key of await keysUnder(DATA_LAKE_BUCKET.curatedPrefix)) {
    if (!parseCuratedKey(key)) continue;
    for (const row of await decodeBars(await getBytes(bucket, key))) {
      if (!keep(row.sequenceNumber)) continue;
      const part = `${row.shardId}/${row.sequenceNumber}/${row.barIndex}`;
      if (compacted.has(part)) twice.add(part);
      compacted.add(part);
      stored.add(part);
    }
  }
  for (const key of await keysUnder(DATA_LAKE_BUCKET.stagingPrefix)) {
    if (!parseStagingKey(key)) continue;
    for (const row of await decodeBars(await getBytes(bucket, key))) {
      if (keep(row.sequenceNumber)) stored.add(`${row.shardId}/${row.sequenceNumber}/${row.barIndex}`);
    }
  }
  const seen = new Map<string, number>([...stored].map((p) => [p, 1]));
  const count = (part: string) => seen.set(part, (seen.get(part) ?? 0) + 1);
  let quarantinedParts = 0;
  for (const key of await keysUnder(DATA_LAKE_BUCKET.quarantinePrefix)) {
    const q = parseQuarantineKey(key);
    if (!q || parseCorruptObjectQuarantineKey(key) || !keep(q.sequenceNumber)) continue;
    if ((await quarantineEntry(key)).released) continue; // its bar is stored
    quarantinedParts += 1;
    const whole = q.barIndex === undefined;
    const isSingleBar = expected.has(`${q.shardId}/${q.sequenceNumber}/0`) && whole;
    count(`${q.shardId}/${q.sequenceNumber}/${whole ? (isSingleBar ? '0' : '*') : q.barIndex}`);
  }
  const lost = [...expected].filter((p) => !seen.has(p)).sort();
  const duplicated = [...seen]
    .filter(([p, n]) => n > 1 || twice.has(p) || !expected.has(p))
    .map(([p]) => p)
    .sort();
  return { rawRecords, rawParts: expected.size, storedBars: stored.size, quarantinedParts, lost, duplicated };
}

/**
 * A failure record as Lambda's Kinesis on-failure destination sends it (and the local poller
 * stores under failed/) for records `start..end` of shardId-000000000000 of the test stream.
 */
export function failureRecord(start: string, end: string, batchSize: number) {
  return {
    requestContext: {
      requestId: 'r',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    KinesisBatchInfo: {
      shardId: 'shardId-000000000000',
      startSequenceNumber: start,
      endSequenceNumber: end,
      approximateArrivalOfFirstRecord: new Date().toISOString(),
      approximateArrivalOfLastRecord: new Date().toISOString(),
      batchSize,
      streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
    },
  };
}
