/**
 * Success body of `GET /v1/openapi.json`: the API's OpenAPI 3.1 document. Described loosely (its
 * top-level members only): the document describes itself.
 */
import * as z from 'zod';

export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string().meta({ example: '3.1.0' }),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'OpenApiDocument', description: 'OpenAPI 3.1 document (the same as docs/openapi.json).' });
