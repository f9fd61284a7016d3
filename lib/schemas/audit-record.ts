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

/** Content-addressed copies of the lake series answers used: `audit/inputs/<sha256 hex>.json`. */
export const AUDIT_INPUT_PREFIX = 'audit/inputs/';

/** Content-addressed copies of request bodies longer than the item's excerpt: `audit/requests/<sha256 hex>.json`. */
export const AUDIT_REQUEST_PREFIX = 'audit/requests/';

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

const AuditLakeObjectSchema = z
  .object({
    key: z.string().meta({ example: 'curated/prices/year=1998/DAX.parquet' }),
    etag: z.string().meta({ description: 'The ETag the bytes were read with.' }),
    versionId: z.string().optional().meta({ description: 'The S3 object version read (a versioned bucket in AWS; absent locally).' }),
    folded: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ description: 'A compacted object: how many staging objects it folded in (its compaction watermark).' }),
  })
  .meta({ id: 'AuditLakeObject', description: 'One lake object an input series was read from, as read.' });

const AuditInputSchema = z
  .object({
    symbol: z.string().nullable().meta({ description: 'The holding or instrument, as the answer names it; null for an unnamed history in the body.' }),
    source: z.enum(['lake', 'request']),
    sha256: Sha256Schema.meta({
      description:
        'SHA-256 of the canonical JSON of the series as resolved (before any `asOf` cut): `{ symbol, dates, close, open?, high?, low?, volume?, rawClose? }`.',
    }),
    copyKey: z.string().optional().meta({ description: 'Lake series: its immutable copy, `audit/inputs/<hex>.json` (the canonical JSON hashed).' }),
    objects: z.array(AuditLakeObjectSchema).optional().meta({ description: 'Lake series: the objects its bars were read from, in key order.' }),
    skipped: z
      .array(z.object({ key: z.string(), reason: z.string() }))
      .optional()
      .meta({ description: 'Lake series: corrupt objects left out of it (the answer says so in `dataWarnings`).' }),
  })
  .meta({ id: 'AuditInput', description: 'One price series an answer was computed from.' });

const AuditLineageSchema = z
  .object({
    requestKey: z
      .string()
      .optional()
      .meta({ description: 'When the body is longer than `requestExcerpt`: its copy, `audit/requests/<hex of requestHash>.json`.' }),
    inputs: z.array(AuditInputSchema).meta({ description: 'The series, in the order the request names them.' }),
    model: z
      .object({
        version: z.string(),
        artifactKey: z.string().optional().meta({ description: 'Key of the model artifact in the data bucket.' }),
        artifactSha256: Sha256Schema.optional().meta({ description: 'SHA-256 of the artifact bytes that scored.' }),
        promotedAt: z.string().optional(),
      })
      .optional()
      .meta({ description: 'The champion that scored; absent when no model was involved (backtest).' }),
    code: z
      .object({
        package: z.string().meta({ description: 'riskfn package version.' }),
        commit: z.string().nullable().meta({ description: 'Git commit baked in at build (read from git locally); null when unknown.' }),
        dirty: z.boolean().meta({ description: 'True when the code differed from the commit (uncommitted changes).' }),
      })
      .meta({ description: 'The code that answered.' }),
    conventions: Sha256Schema.meta({ description: "SHA-256 of the canonical JSON of the answer's `conventions` block." }),
  })
  .meta({ id: 'AuditLineage', description: 'What reproduces a scoring answer: `riskfn audit replay` recomputes it from these (docs/lineage.md).' });

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
  lineage: AuditLineageSchema.optional().meta({ description: 'Scoring answers (2xx of the POST routes): what reproduces the answer.' }),
};

export const AuditRecordSchema = z
  .object({
    ...AuditRecordFields,
    result: z.string().optional().meta({ description: 'The answer body as returned (JSON text), when it fits the item.' }),
    resultRef: AuditResultRefSchema.optional(),
  })
  .meta({ id: 'AuditRecord', description: 'One audit item: one per API answer. Exactly one of `result` and `resultRef` is present.' });

/**
 * A copy's text as sent to the writer: as is, or gzip-compressed and base64-encoded when it is
 * long (the invocation payload is limited to 6 MB, and a price history compresses about 3 to 1).
 */
const CopyTextSchema = z.union([z.object({ text: z.string() }), z.object({ gzip: z.string() })]);

/**
 * The input of the audit writer: the item's fields and the answer body, which the writer stores
 * inline or in S3; the request body when the item's excerpt does not hold all of it; and the
 * texts of the lineage's input copies (`copyKey`) the writer has not confirmed stored before.
 */
export const AuditWriteRequestSchema = z.object({
  record: z.object(AuditRecordFields),
  result: z.string(),
  request: CopyTextSchema.optional(),
  inputs: z.array(z.intersection(z.object({ sha256: Sha256Schema }), CopyTextSchema)).optional(),
});

/** A copy's text, sent compressed from this many UTF-8 bytes on. */
export const AUDIT_COPY_GZIP_BYTES = 64 * 1024;

/** What the writer did: `written`, or `conflict` when the request id already had an item (nothing was changed). */
export const AuditWriteResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('written'), resultRef: AuditResultRefSchema.optional() }),
  z.object({ outcome: z.literal('conflict') }),
]);

export type AuditCaller = z.infer<typeof AuditCallerSchema>;
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type AuditWriteRequest = z.infer<typeof AuditWriteRequestSchema>;
export type AuditWriteResult = z.infer<typeof AuditWriteResultSchema>;
export type AuditLineage = z.infer<typeof AuditLineageSchema>;
export type AuditInput = z.infer<typeof AuditInputSchema>;
export type AuditCopyText = z.infer<typeof CopyTextSchema>;
