/**
 * Invokes the audit writer Lambda (functions/audit-writer.ts) synchronously: the API's only way
 * to write the audit trail on AWS (its role may invoke this function and nothing else that
 * writes the trail).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type AuditWriteRequest, type AuditWriteResult, AuditWriteResultSchema } from '../../schemas/audit-record.ts';
import { instrumented } from '../clients.ts';

/** Writes one audit entry; resolves with the writer's outcome. */
export type AuditWriter = (request: AuditWriteRequest) => Promise<AuditWriteResult>;

/** The invocation failed inside the writer (an unhandled error there); the message is the writer's. */
export class AuditWriterError extends Error {
  override name = 'AuditWriterError';
}

let lambda: LambdaClient | undefined;
const lambdaClient = (): LambdaClient => {
  lambda ??= instrumented(new LambdaClient({}));
  return lambda;
};

/** An {@link AuditWriter} invoking `functionName` (RequestResponse). */
export function lambdaAuditWriter(functionName: string, client?: Pick<LambdaClient, 'send'>): AuditWriter {
  return async (request) => {
    const out = await (client ?? lambdaClient()).send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(request)) }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) throw new AuditWriterError(`audit writer failed (${out.FunctionError}): ${text.slice(0, 500)}`);
    return AuditWriteResultSchema.parse(JSON.parse(text));
  };
}
