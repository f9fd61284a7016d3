/**
 * The audit trail's messages: the item stored per API answer ({@link AuditRecordSchema}), the
 * input of the audit writer Lambda ({@link AuditWriteRequestSchema}) and its output
 * ({@link AuditWriteResultSchema}). docs/api.md ("Audit trail") describes every field.
 *
 * Items are bounded whatever the request: the body is kept as its hash, its size and an excerpt
 * of at most {@link AUDIT_LIMITS}.excerptBytes; the answer body is stored inline up to
 * {@link AUDIT_LIMITS}.inlineResultBytes, else in S3 and referenced by `resultRef`. DynamoDB's
 * item limit is 400 KB; everything but the inline result stays under about 10 KB.
 */
import * as z from 'zod';

export const AUDIT_LIMITS = {
  /** Bytes of the request body kept in `requestExcerpt` (cut at a UTF-8 character boundary). */
  excerptBytes: 2048,
  /** Largest answer body (bytes) stored in the item; larger ones go to S3 (`resultRef`). */
  inlineResultBytes: 256 * 1024,
  /** Longest `route` and caller field kept (characters); longer ones are cut and end in `…`. */
  fieldChars: 1024,
} as const;

/** Where overflowing answer bodies go, under the data lake bucket: `audit/<yyyy>/<mm>/<dd>/<requestId>.json`. */
export const AUDIT_RESULT_PREFIX = 'audit/';

const Sha256Schema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>');

/** API Gateway request ids are UUIDs; the Lambda request id (when there is no API Gateway id) too. */
const RequestIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'request id: 1-128 of A-Z a-z 0-9 . _ : -');

export const AuditCallerSchema = z
  .object({
    principal: z.string().nullable().meta({ description: 'IAM principal: `requestContext.identity.userArn`, else `caller`, else null.' }),
    accountId: z.string().nullable().meta({ description: "The caller's AWS account (`identity.accountId`)." }),
    sourceIp: z.string().nullable(),
    userAgent: z.string().nullable(),
  })
  .meta({ id: 'AuditCaller', description: 'Who sent the request, as API Gateway identified them.' });

const AuditResultRefSchema = z
  .object({
    key: z.string().meta({ description: 'S3 key in the data lake bucket.', example: 'audit/2026/11/25/c6f1a7de-3f4e-4a4e-9a57-1d2b3c4d5e6f.json' }),
    sha256: Sha256Schema,
    bytes: z.number().int().nonnegative(),
  })
  .meta({ id: 'AuditResultRef', description: 'Where an answer body too large for the item is stored, and its hash and size.' });

/** The item's fields other than the answer body: what the API sends the writer. */
const AuditRecordFields = {
  requestId: RequestIdSchema,
  timestamp: z.iso.datetime().meta({ description: 'When the answer was produced, ISO 8601 UTC with milliseconds.' }),
  route: z.string().meta({ description: '`METHOD /path` as requested.', example: 'POST /v1/risk/instrument' }),
  status: z.number().int().min(100).max(599),
  requestHash: Sha256Schema.meta({ description: 'SHA-256 of the request body bytes as received (of zero bytes when there is none).' }),
  requestBytes: z.number().int().nonnegative(),
  requestExcerpt: z.string().meta({ description: 'The first bytes of the body as UTF-8 text (empty without a body).' }),
  requestTruncated: z.boolean().meta({ description: 'True when `requestExcerpt` is shorter than the body.' }),
  inputHash: Sha256Schema.meta({ description: 'What was scored (scoring answers), else `requestHash`.' }),
  modelVersion: z.string().optional().meta({ description: 'The model that answered or refused; absent when none was involved.' }),
  symbol: z.string().optional().meta({ description: 'The instrument, upper-cased; absent when the answer is about none (or about several).' }),
  symbols: z.array(z.string()).optional().meta({ description: "A portfolio answer's holdings, upper-cased." }),
  caller: AuditCallerSchema,
};

export const AuditRecordSchema = z
  .object({
    ...AuditRecordFields,
    result: z.string().optional().meta({ description: 'The answer body as returned (JSON text), when it fits the item.' }),
    resultRef: AuditResultRefSchema.optional(),
  })
  .meta({ id: 'AuditRecord', description: 'One audit item: one per API answer. Exactly one of `result` and `resultRef` is present.' });

/** The input of the audit writer: the item's fields and the answer body, which the writer stores inline or in S3. */
export const AuditWriteRequestSchema = z.object({
  record: z.object(AuditRecordFields),
  result: z.string(),
});

/** What the writer did: `written`, or `conflict` when the request id already had an item (nothing was changed). */
export const AuditWriteResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('written'), resultRef: AuditResultRefSchema.optional() }),
  z.object({ outcome: z.literal('conflict') }),
]);

export type AuditCaller = z.infer<typeof AuditCallerSchema>;
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type AuditWriteRequest = z.infer<typeof AuditWriteRequestSchema>;
export type AuditWriteResult = z.infer<typeof AuditWriteResultSchema>;
