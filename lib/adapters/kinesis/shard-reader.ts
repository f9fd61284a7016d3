/**
 * The Kinesis read calls the local event-source mapping and `riskfn lake redrive` make
 * (ListShards, GetShardIterator, GetRecords), and the Lambda event built from what they read.
 */
import { Buffer } from 'node:buffer';
import {
  type _Record,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { kinesisClient } from '../clients.ts';

export interface StreamInfo {
  streamArn: string;
  shardIds: string[];
}

export async function describeStream(streamName: string): Promise<StreamInfo> {
  const k = kinesisClient();
  const summary = await k.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const shardIds: string[] = [];
  let nextToken: string | undefined;
  do {
    // ListShards takes either the stream name or a NextToken, never both.
    const page = await k.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const s of page.Shards ?? []) if (s.ShardId) shardIds.push(s.ShardId);
    nextToken = page.NextToken;
  } while (nextToken);
  return { streamArn: summary.StreamDescriptionSummary!.StreamARN!, shardIds };
}

export type IteratorStart =
  | { type: Extract<ShardIteratorType, 'TRIM_HORIZON' | 'LATEST'> }
  | { type: Extract<ShardIteratorType, 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'>; sequenceNumber: string };

export async function getShardIterator(streamName: string, shardId: string, start: IteratorStart): Promise<string> {
  const out = await kinesisClient().send(
    new GetShardIteratorCommand({
      StreamName: streamName,
      ShardId: shardId,
      ShardIteratorType: start.type,
      ...('sequenceNumber' in start ? { StartingSequenceNumber: start.sequenceNumber } : {}),
    }),
  );
  return out.ShardIterator!;
}

export interface RecordsPage {
  records: _Record[];
  /** Null when the shard is closed and fully read. */
  nextIterator: string | null;
  millisBehindLatest: number;
}

export async function getRecords(iterator: string, limit: number): Promise<RecordsPage> {
  const out = await kinesisClient().send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
  return {
    records: out.Records ?? [],
    nextIterator: out.NextShardIterator ?? null,
    millisBehindLatest: out.MillisBehindLatest ?? 0,
  };
}

/**
 * The records of one shard whose sequence numbers lie in [first, last] (compared as big
 * integers), read from AT_SEQUENCE_NUMBER `first` until a record past `last` or the shard's tip.
 * Throws what Kinesis throws when `first` is no longer on the stream (retention passed).
 */
export async function readSequenceRange(streamName: string, shardId: string, first: string, last: string, pageLimit = 1000): Promise<_Record[]> {
  const end = BigInt(last);
  const out: _Record[] = [];
  let iterator: string | null = await getShardIterator(streamName, shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: first });
  while (iterator) {
    const page = await getRecords(iterator, pageLimit);
    for (const r of page.records) {
      if (BigInt(r.SequenceNumber!) > end) return out;
      out.push(r);
    }
    if (page.records.length === 0 && page.millisBehindLatest === 0) return out;
    iterator = page.nextIterator;
  }
  return out;
}

/**
 * The event Lambda's Kinesis event source mapping would deliver for `records` of one shard: the
 * shape the ingest handler takes, built for the local poller and for `riskfn lake redrive`.
 */
export function toKinesisStreamEvent(streamArn: string, shardId: string, records: readonly _Record[], functionName: string): KinesisStreamEvent {
  const [, , , region = 'us-east-1', account = '000000000000'] = streamArn.split(':');
  return {
    Records: records.map(
      (r): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.PartitionKey!,
          sequenceNumber: r.SequenceNumber!,
          data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${r.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${account}:role/${functionName}`,
        awsRegion: region,
        eventSourceARN: streamArn,
      }),
    ),
  };
}
