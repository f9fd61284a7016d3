/**
 * API Gateway request models generated from the routes' zod request schemas, so the gateway
 * refuses a malformed body before the Lambda runs, by the same contract the Lambda applies.
 *
 * zod writes JSON Schema draft 4 (`target: 'draft-04'`, `io: 'input'`: defaulted members are
 * optional, as a client may omit them). API Gateway models accept draft 4 validation keywords
 * only, so the schema is reduced to them: local `$ref`s are inlined (the model is
 * self-contained) and annotations API Gateway refuses or does not validate (`examples`,
 * `example`, `default`, `format`, `$schema` below the root) are dropped. Rules zod checks in
 * code (`superRefine`: dates ascending, "symbol or prices") are not JSON Schema; the Lambda
 * still checks them and answers with its own problem document.
 */
import { type JsonSchema, JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import * as z from 'zod';

/** Draft 4 keywords API Gateway validates with, and the two annotations it accepts. */
const KEPT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'title',
  'description',
]);

/** Keywords whose value is a map of names to schemas, or one schema, or a list of schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
const SCHEMA_VALUES = new Set(['additionalProperties', 'items', 'not']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);

type Json = Record<string, unknown>;

/**
 * The API Gateway model schema of a zod request schema (see the module comment).
 * @throws when the schema refers to itself (a recursive schema cannot be inlined)
 */
export function apiGatewayModelSchema(schema: z.ZodType): JsonSchema {
  const draft4 = z.toJSONSchema(schema, { target: 'draft-04', io: 'input' }) as Json;
  const definitions = (draft4.definitions ?? {}) as Record<string, Json>;
  return { schema: JsonSchemaVersion.DRAFT4, ...(reduce(draft4, definitions, []) as JsonSchema) };
}

function reduce(node: Json, definitions: Record<string, Json>, refPath: string[]): Json {
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/definitions\//, '');
    const target = definitions[name];
    if (!target || name === ref) throw new Error(`unsupported $ref ${ref}: only local #/definitions references can be inlined`);
    if (refPath.includes(name)) throw new Error(`recursive schema ${[...refPath, name].join(' → ')} cannot be an API Gateway model`);
    // Members next to the $ref (e.g. a description) apply too.
    const { $ref: _ref, ...siblings } = node;
    return { ...reduce(target, definitions, [...refPath, name]), ...reduce(siblings, definitions, refPath) };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT_KEYWORDS.has(key)) continue;
    if (SCHEMA_MAPS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Json>).map(([k, v]) => [k, reduce(v, definitions, refPath)]));
    } else if (SCHEMA_VALUES.has(key) && Array.isArray(value)) {
      out[key] = (value as Json[]).map((v) => reduce(v, definitions, refPath)); // draft 4 tuple `items`
    } else if (SCHEMA_VALUES.has(key) && typeof value === 'object' && value !== null) {
      out[key] = reduce(value as Json, definitions, refPath);
    } else if (SCHEMA_LISTS.has(key)) {
      out[key] = (value as Json[]).map((v) => reduce(v, definitions, refPath));
    } else {
      out[key] = value;
    }
  }
  return out;
}
