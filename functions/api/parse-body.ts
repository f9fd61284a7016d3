import type * as z from 'zod';
import { InvalidRequestError } from './errors.ts';
import { fieldErrors } from './field-errors.ts';

/** Validates a parsed JSON body against a schema; 400 naming every bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error);
  const where = errors
    .map((e) => e.path || '(body)')
    .slice(0, 3)
    .join(', ');
  throw new InvalidRequestError(`the request body is invalid: ${where}${errors.length > 3 ? ', ...' : ''}`, errors, { cause: parsed.error });
}
