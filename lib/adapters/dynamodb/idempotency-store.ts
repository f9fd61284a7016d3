/**
 * The API's idempotency records in DynamoDB (table IDEMPOTENCY_TABLE, see
 * lib/config/resources.ts): the Powertools persistence layer, with the key and expiry attribute
 * names the table declares. Items are written and read by Powertools (PutItem conditional on
 * the key being new or expired, GetItem, UpdateItem with the answer, DeleteItem after a 5xx).
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV, IDEMPOTENCY_TABLE } from '../../config/resources.ts';
import { instrumented } from '../clients.ts';

/**
 * The persistence layer for the table named by `tableName`, else `process.env.IDEMPOTENCY_TABLE`,
 * else the configured name (the stack creates the table under that name, so a handler module
 * may be imported before the local harness has set the environment). Its own DynamoDB client
 * resolves the endpoint at its first request, so it follows the SDK's endpoint environment
 * (AWS_ENDPOINT_URL_DYNAMODB locally) like the shared clients in ../clients.ts, and is
 * instrumented like them (a trace subsegment per call in a Lambda).
 */
export function dynamoIdempotencyStore(opts: { tableName?: string } = {}): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: opts.tableName ?? process.env[ENV.idempotencyTable] ?? IDEMPOTENCY_TABLE.name,
    keyAttr: IDEMPOTENCY_TABLE.partitionKey.name,
    expiryAttr: IDEMPOTENCY_TABLE.ttlAttribute,
    awsSdkV3Client: instrumented(new DynamoDBClient({})),
  });
}
