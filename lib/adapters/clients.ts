/**
 * AWS SDK v3 clients, created once per process (Lambda container) and shared by the
 * adapters. In AWS they use the default credential chain and region; locally the
 * harness sets AWS_ENDPOINT_URL_{S3,DYNAMODB,KINESIS}, which the SDK honours by itself.
 * Emulator quirks handled here, once (the emulator table in docs/architecture.md):
 * - kinesalite speaks HTTP/1.1 only, so Kinesis gets the plain Node HTTP handler;
 * - s3rver needs path-style addressing and stores aws-chunked bodies verbatim unless
 *   checksums are only calculated when required.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const local = (service: string): boolean => Boolean(process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL);

let s3: S3Client | undefined;
let ddb: DynamoDBDocumentClient | undefined;
let kinesis: KinesisClient | undefined;

export function s3Client(): S3Client {
  s3 ??= new S3Client({
    forcePathStyle: local('S3'),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  ddb ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return ddb;
}

export function kinesisClient(): KinesisClient {
  kinesis ??= new KinesisClient({ requestHandler: new NodeHttpHandler() });
  return kinesis;
}

/** Drops the cached clients, so a test (or the local harness) can point them at new endpoints. */
export function resetClients(): void {
  s3?.destroy();
  ddb?.destroy();
  kinesis?.destroy();
  s3 = ddb = kinesis = undefined;
}
