/**
 * AWS SDK v3 clients, created once per process (Lambda container) and shared by the
 * adapters. In AWS they use the default credential chain and region; locally the
 * harness sets AWS_ENDPOINT_URL_{S3,DYNAMODB,KINESIS}, which the SDK honours by itself.
 * Emulator quirks handled here, once (the emulator table in docs/architecture.md):
 * - kinesalite speaks HTTP/1.1 only, so Kinesis gets the plain Node HTTP handler;
 * - s3rver needs path-style addressing and stores aws-chunked bodies verbatim unless
 *   checksums are only calculated when required.
 * In a Lambda the handler kit registers the X-Ray tracer with {@link instrumentClients}, so every
 * SDK call becomes a trace subsegment; elsewhere clients are used as built.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const local = (service: string): boolean => Boolean(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL);

/** Wraps a client after it is built (identity unless a tracer registered itself). */
let instrument = <C>(client: C): C => client;

/**
 * Makes `wrap` apply to every SDK client built from now on, and to the ones already built (the
 * wrap is expected to add middleware to the client it is given and return that client).
 */
export function instrumentClients(wrap: <C>(client: C) => C): void {
  instrument = wrap;
  if (s3) wrap(s3);
  if (ddb) wrap(ddb);
  if (kinesis) wrap(kinesis);
}

/** `client`, instrumented as {@link instrumentClients} asked: for the adapters that build their own client. */
export const instrumented = <C>(client: C): C => instrument(client);

let s3: S3Client | undefined;
let ddb: DynamoDBDocumentClient | undefined;
let kinesis: KinesisClient | undefined;

export function s3Client(): S3Client {
  s3 ??= instrument(
    new S3Client({
      forcePathStyle: local('S3'),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return s3;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  // The document client sends through the base client's middleware stack, so instrumenting that one is enough.
  ddb ??= DynamoDBDocumentClient.from(instrument(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return ddb;
}

export function kinesisClient(): KinesisClient {
  kinesis ??= instrument(new KinesisClient({ requestHandler: new NodeHttpHandler() }));
  return kinesis;
}

/** Drops the cached clients, so a test (or the local harness) can point them at new endpoints. */
export function resetClients(): void {
  s3?.destroy();
  ddb?.destroy();
  kinesis?.destroy();
  s3 = ddb = kinesis = undefined;
}
