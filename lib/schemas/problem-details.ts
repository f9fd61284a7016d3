/**
 * Error body of every non-2xx answer: RFC 9457 "Problem Details for HTTP APIs", served as
 * `application/problem+json`.
 *
 * - `type` is a URI naming the problem kind: `about:blank` for plain HTTP errors (the title is then
 *   the HTTP reason phrase), otherwise a non-dereferenceable tag URI (`tag:riskfn,2026:<slug>`,
 *   RFC 4151, as RFC 9457 §3.1.1 suggests for types that are not meant to be fetched);
 * - `instance` is the request path; `requestId` is the key of the request's audit item;
 * - `errors` (extension member) lists each bad field: `path` is a JSON Pointer (RFC 6901) into the
 *   request body (`""` = the whole body), `message` says what is wrong with it;
 * - `limit` (extension member) names the request limit a `tag:riskfn,2026:limit-exceeded` refusal exceeded.
 */
import * as z from 'zod';

/** Media type of problem responses. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const FieldErrorSchema = z
  .object({
    path: z.string().meta({ description: 'JSON Pointer into the request body; "" is the whole body.', example: '/prices/3/date' }),
    message: z.string().meta({ example: 'dates must be strictly ascending and unique: 2024-01-02 follows 2024-01-03' }),
  })
  .meta({ id: 'FieldError' });

export const ProblemDetailsSchema = z
  .object({
    type: z.string().meta({ description: 'URI identifying the problem type.', example: 'tag:riskfn,2026:invalid-request' }),
    title: z.string().meta({ description: 'Short summary of the problem type.', example: 'Invalid request' }),
    status: z.number().int().min(400).max(599).meta({ example: 400 }),
    detail: z.string().optional().meta({ description: 'Explanation specific to this occurrence.' }),
    instance: z.string().optional().meta({ description: 'The request path.', example: '/v1/risk/instrument' }),
    requestId: z.string().optional().meta({ description: 'Request id; the key of the audit item.' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'One entry per bad field (400 only).' }),
    limit: z
      .object({
        name: z.string().meta({ description: 'Which limit (see docs/api.md, "Limits").', example: 'depth' }),
        max: z.number().int().meta({ description: 'The limit.', example: 32 }),
        actual: z.number().int().meta({ description: 'What the request had.', example: 4000 }),
      })
      .optional()
      .meta({ description: 'The request limit exceeded (problem type tag:riskfn,2026:limit-exceeded only).' }),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details.' });

export type FieldError = z.infer<typeof FieldErrorSchema>;
export type ProblemDetails = z.infer<typeof ProblemDetailsSchema>;
