/**
 * Audit writer Lambda: the only code with write access to the audit trail. The API Lambda
 * invokes it with the item's fields and the answer body (`AuditWriteRequestSchema`) and has no
 * write permission on the table or on `audit/` itself, so an item, once written, cannot be
 * replaced or deleted through the API's credentials. The write itself (conditional put, S3
 * overflow with If-None-Match) is {@link writeAuditEntry}, which the API runs in-process when no
 * writer function is configured (locally, in tests).
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { dynamoAuditTable } from '../lib/adapters/dynamodb/audit-log.ts';
import { s3AuditResultStore } from '../lib/adapters/s3/audit-store.ts';
import { type AuditWriterPorts, writeAuditEntry } from '../lib/adapters/write-audit-entry.ts';
import type { AuditWriteResult } from '../lib/schemas/audit-record.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { type HandlerRuntime, lambdaRuntime } from './kit/runtime.ts';

interface AuditWriterDependencies extends HandlerRuntime, AuditWriterPorts {}

/** The writer's Lambda handler: the event is an `AuditWriteRequestSchema`; a malformed one fails the invocation. */
export function createAuditWriterHandler(deps: AuditWriterDependencies) {
  return lambdaHandler<unknown, AuditWriteResult>(deps.logger).handler(async (event) => {
    const out = await writeAuditEntry(event, deps);
    // `conflict`: the request id already had an item (a retried write); nothing was replaced.
    deps.metricsEmitter?.emit([{ name: 'auditWrites', unit: MetricUnit.Count, value: 1 }], { outcome: out.outcome });
    if (out.outcome === 'conflict')
      deps.logger.warn('request id already audited; nothing written', { requestId: (event as { record: { requestId: string } }).record.requestId });
    return out;
  });
}

export const handler = createAuditWriterHandler({ ...lambdaRuntime('riskfn-audit-writer'), table: dynamoAuditTable(), store: s3AuditResultStore() });
