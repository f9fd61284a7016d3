import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from 'zod';
import { InvalidRequestError } from './errors.ts';
import { fieldErrors } from './field-errors.ts';

/**
 * Validates a GET route's query parameters (`?a=1&b=x`, all strings on the wire) against an
 * object schema; 400 naming every bad parameter otherwise (`errors[].path` is a JSON Pointer
 * into the parameters, e.g. `/limit`). A parameter given twice counts by its last value, as API
 * Gateway's `queryStringParameters` does.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, event: Pick<APIGatewayProxyEvent, 'queryStringParameters'>): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error);
  const where = errors
    .slice(0, 3)
    .map((e) => `?${e.path.slice(1) || '(query)'}`)
    .join(', ');
  throw new InvalidRequestError(`the query is invalid: ${where}${errors.length > 3 ? ', ...' : ''}`, errors, { cause: parsed.error });
}
