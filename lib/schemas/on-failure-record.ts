/**
 * What Lambda sends to a Kinesis event source mapping's on-failure destination when it gives up
 * on a batch (retries exhausted or record too old): the batch's metadata — shard and sequence
 * range — not its data, which stays on the stream until its retention ends. The local poller
 * writes the same JSON to `failed/` in the data bucket; `riskfn lake redrive` reads either.
 * Extra fields are kept (passthrough) so a record from AWS round-trips unchanged.
 */
import * as z from 'zod';

const SEQUENCE_NUMBER = z.string().regex(/^\d+$/, 'a Kinesis sequence number (decimal digits)');

export const OnFailureRecordSchema = z.looseObject({
  requestContext: z.looseObject({
    requestId: z.string(),
    functionArn: z.string(),
    /** `RetryAttemptsExhausted` or `RecordAgeExceeded` (AWS); the local poller only uses the first. */
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  responseContext: z.looseObject({
    statusCode: z.number(),
    executedVersion: z.string(),
    functionError: z.string().optional(),
  }),
  version: z.string(),
  timestamp: z.string(),
  KinesisBatchInfo: z.looseObject({
    shardId: z.string().regex(/^shardId-\d+$/),
    startSequenceNumber: SEQUENCE_NUMBER,
    endSequenceNumber: SEQUENCE_NUMBER,
    approximateArrivalOfFirstRecord: z.string(),
    approximateArrivalOfLastRecord: z.string(),
    batchSize: z.number().int().nonnegative(),
    /** `arn:aws:kinesis:<region>:<account>:stream/<name>`: where redrive reads the records again. */
    streamArn: z.string().regex(/^arn:aws[\w-]*:kinesis:[^:]*:\d*:stream\/[\w.-]+$/),
  }),
});

export type OnFailureRecord = z.infer<typeof OnFailureRecordSchema>;

/** The stream name of a Kinesis stream ARN (`…:stream/<name>`). */
export function streamNameOfArn(arn: string): string {
  return arn.slice(arn.indexOf(':stream/') + ':stream/'.length);
}
