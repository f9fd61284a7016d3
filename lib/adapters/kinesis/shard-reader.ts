/** The Kinesis read calls the local event-source mapping makes (ListShards, GetShardIterator, GetRecords). */
import {
  type _Record,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
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
