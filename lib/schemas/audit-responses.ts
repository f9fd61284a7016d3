/**
 * Answers of the audit routes: one item (`GET /v1/audit/{requestId}`) and a page of items
 * (`GET /v1/audit`). An item is the stored audit record (lib/schemas/audit-record.ts) with its
 * inline answer body parsed back into JSON; a page lists items without the answer body (each can
 * be up to 256 KiB; fetch one by its request id) and without the lineage (a portfolio's can be
 * a few hundred KB), so a page stays small.
 */
import * as z from 'zod';
import { AuditRecordSchema } from './audit-record.ts';

export const AuditItemResponseSchema = AuditRecordSchema.extend({
  result: z.unknown().optional().meta({ description: 'The answer body as returned (parsed JSON), when stored in the item; else see `resultRef`.' }),
}).meta({ id: 'AuditItem', description: 'One audit item. Exactly one of `result` and `resultRef` is present.' });

export const AuditListResponseSchema = z
  .object({
    items: z
      .array(AuditRecordSchema.omit({ result: true, lineage: true }))
      .meta({ description: 'Items, newest first, without the answer body and the lineage (fetch one item by its request id for both).' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'AuditListResponse' });

export type AuditItemResponse = z.infer<typeof AuditItemResponseSchema>;
export type AuditListResponse = z.infer<typeof AuditListResponseSchema>;
