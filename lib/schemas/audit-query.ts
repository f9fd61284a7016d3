/**
 * Query of `GET /v1/audit`: the audit items of one symbol or one model version (exactly one of
 * the two), optionally between two dates (inclusive, UTC), newest first, a page at a time.
 */
import * as z from 'zod';
import { SYMBOL_PATTERN } from './price-bar.ts';

/** Page size of the audit listing: default and most. */
export const AUDIT_LIST_LIMITS = { default: 50, max: 100 } as const;

const day = (what: string) => z.iso.date(`${what} must be a real calendar date, YYYY-MM-DD`);

export const AuditQuerySchema = z
  .strictObject({
    symbol: z
      .string()
      .regex(SYMBOL_PATTERN, 'symbol must be 1-32 of A-Z a-z 0-9 . _ ^ -')
      .optional()
      .meta({ description: 'Answers about this instrument (case-insensitive: items store it upper-cased).', example: 'DAX' }),
    modelVersion: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'modelVersion must be 1-128 of A-Z a-z 0-9 . _ : -')
      .optional()
      .meta({ description: 'Answers given or refused by this model version.', example: 'rf-20261125T080000Z-3fa2c1' }),
    from: day('from').optional().meta({ description: 'First day (UTC) of the answers, inclusive.', example: '2026-07-01' }),
    to: day('to').optional().meta({ description: 'Last day (UTC) of the answers, inclusive.', example: '2026-09-30' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIT_LIST_LIMITS.max)
      .optional()
      .meta({ description: `Page size (default ${AUDIT_LIST_LIMITS.default}, at most ${AUDIT_LIST_LIMITS.max}).` }),
    cursor: z.string().min(1).max(600).optional().meta({ description: '`nextCursor` of the previous page of the same query.' }),
  })
  .superRefine((q, ctx) => {
    if ((q.symbol === undefined) === (q.modelVersion === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.symbol === undefined ? 'symbol' : 'modelVersion'], message: 'give exactly one of symbol and modelVersion' });
    }
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `to (${q.to}) is before from (${q.from})` });
    }
  });
