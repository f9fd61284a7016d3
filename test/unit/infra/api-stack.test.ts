/**
 * Template assertions for the risk API: API Gateway generated from the route table (one
 * IAM-authorised method per route, request models and the validator, problem+json validation
 * responses, the access log), the audit trail's tables, and the IAM split that makes the trail
 * append-only (the API may only invoke the audit writer; only the writer may put items and
 * overflow objects). One in-process synth (bundling skipped) shared by every test in this file.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, ENV, IDEMPOTENCY_TABLE } from '../../../lib/config/resources.ts';
import { apiGatewayModelSchema } from '../../../lib/infra/api-request-models.ts';
import { type ApiRouteSpec, API_ROUTES as ROUTE_TABLE } from '../../../lib/schemas/api-routes.ts';
import { AUDIT_RESULT_PREFIX } from '../../../lib/schemas/audit-record.ts';
import { ProblemDetailsSchema } from '../../../lib/schemas/problem-details.ts';
import { grantsOfRole, logicalId, synthOnce } from './synth.ts';

const { stack, template } = synthOnce();
const API_ROUTES: readonly ApiRouteSpec[] = ROUTE_TABLE;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const apiId = logicalId(stack.scoringApi.api);
const apiFnId = logicalId(stack.apiFunction.function);
const bucketId = logicalId(stack.dataLake.bucket);
const auditArn = `<${logicalId(stack.auditTable.table)}.Arn>`;
const registryArn = `<${logicalId(stack.modelRegistry.table)}.Arn>`;
const idempotencyArn = `<${logicalId(stack.idempotencyTable.table)}.Arn>`;
const writerArn = `<${logicalId(stack.auditWriter.function)}.Arn>`;
const objects = (prefix: string) => `<${bucketId}.Arn>/${prefix}*`;

/** Full path of every API Gateway resource, from its PathPart and parent chain. */
function resourcePaths(): Map<string, string> {
  const parts = new Map(ofType('AWS::ApiGateway::Resource').map(([id, r]) => [id, r.Properties]));
  const pathOf = (id: string): string => {
    const p = parts.get(id)!;
    const parent = p.ParentId.Ref as string | undefined; // the root is Fn::GetAtt RootResourceId
    return `${parent ? pathOf(parent) : ''}/${p.PathPart}`;
  };
  return new Map([...parts.keys()].map((id) => [id, pathOf(id)]));
}

/** The methods as `METHOD /path` → properties. */
function methodsByRoute(): Map<string, Record<string, any>> {
  const paths = resourcePaths();
  return new Map(
    ofType('AWS::ApiGateway::Method').map(([, m]) => {
      const resource = m.Properties.ResourceId.Ref as string | undefined;
      return [`${m.Properties.HttpMethod} ${resource ? paths.get(resource) : '/'}`, m.Properties];
    }),
  );
}

/** Walks a JSON value, calling `visit` on every object. */
function walk(value: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const v of Object.values(value)) walk(v, visit);
  }
}

describe('API Gateway: one method per route of the route table', () => {
  const methods = methodsByRoute();

  test('exactly the routes of the table, and no proxy resource', () => {
    assert.deepEqual([...methods.keys()].sort(), API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    assert.ok(!ofType('AWS::ApiGateway::Resource').some(([, r]) => String(r.Properties.PathPart).includes('+')), 'no {proxy+}');
  });

  test('every method requires IAM, proxies to the API function, uses params-and-body and is named by its operationId', () => {
    const validatorId = logicalId(stack.scoringApi.requestValidator);
    for (const route of API_ROUTES) {
      const m = methods.get(`${route.method} ${route.path}`)!;
      assert.equal(m.AuthorizationType, 'AWS_IAM', route.path);
      assert.equal(m.Integration.Type, 'AWS_PROXY');
      assert.ok(JSON.stringify(m.Integration.Uri).includes(`"${apiFnId}","Arn"`), route.path);
      assert.deepEqual(m.RequestValidatorId, { Ref: validatorId });
      assert.equal(m.OperationName, route.operationId);
    }
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      Name: 'params-and-body',
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  test('POST methods validate the body with the model generated from the zod request schema', () => {
    const posts = API_ROUTES.filter((r) => r.method === 'POST');
    assert.ok(posts.length >= 1);
    for (const route of posts) {
      const m = methods.get(`POST ${route.path}`)!;
      const modelId = m.RequestModels['application/json'].Ref as string;
      const model = resources[modelId]!.Properties;
      assert.equal(model.ContentType, 'application/json');
      assert.match(model.Name, /^[A-Za-z0-9]+$/);
      assert.deepEqual(model.Schema, Stack.of(stack).resolve(toCfnSchema(apiGatewayModelSchema(route.requestSchema!))), route.path);
      assert.equal(model.Schema.$schema, 'http://json-schema.org/draft-04/schema#');
      walk(model.Schema, (o) => {
        for (const k of ['$ref', 'definitions', 'examples', 'example', 'default', 'format', 'const']) assert.ok(!(k in o), `${route.path}: ${k}`);
      });
    }
  });

  test('the instrument model refuses what the Lambda refuses structurally', () => {
    const m = methods.get('POST /v1/risk/instrument')!;
    const schema = resources[m.RequestModels['application/json'].Ref]!.Properties.Schema;
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, false); // a typo such as `confidance` is a 400 at the gateway
    assert.deepEqual(schema.properties.confidence, {
      ...schema.properties.confidence,
      type: 'number',
      minimum: 0.5,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
    assert.equal(schema.properties.prices.minItems, 2);
    assert.deepEqual(schema.properties.prices.items.required.slice(0, 2), ['date', 'close']);
    assert.equal(schema.required, undefined); // `confidence` has a default; symbol-or-prices is checked by the Lambda
  });

  test('GET methods declare their path parameters as required and their query parameters as optional', () => {
    for (const route of API_ROUTES.filter((r) => r.method === 'GET')) {
      const params = methods.get(`GET ${route.path}`)!.RequestParameters ?? {};
      for (const name of [...route.path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1])) assert.equal(params[`method.request.path.${name}`], true, route.path);
      if (route.querySchema) {
        for (const name of Object.keys(route.querySchema.shape)) assert.equal(params[`method.request.querystring.${name}`], false, `${route.path}?${name}`);
      }
      assert.equal(methods.get(`GET ${route.path}`)!.RequestModels, undefined);
    }
  });

  test('API Gateway may invoke the function only per method of this API (one permission per route)', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    const arns = permissions.map(([, p]) => {
      assert.deepEqual(p.Properties.FunctionName, { 'Fn::GetAtt': [apiFnId, 'Arn'] });
      const parts = p.Properties.SourceArn['Fn::Join'][1] as unknown[];
      assert.deepEqual(parts[7], { Ref: apiId });
      return parts.at(-1) as string;
    });
    const expected = API_ROUTES.map((r) => `/${r.method}${r.path.replace(/\{[^}]+\}/g, '*')}`);
    assert.deepEqual(arns.sort(), expected.sort());
  });
});

describe('API Gateway: refusals are problem documents and are logged', () => {
  for (const type of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']) {
    test(`${type} is a 400 application/problem+json naming the validation error and the request id`, () => {
      const [, response] = ofType('AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties.ResponseType === type)!;
      const p = response.Properties;
      assert.deepEqual(p.RestApiId, { Ref: apiId });
      assert.equal(p.StatusCode, '400');
      assert.equal(p.ResponseParameters['gatewayresponse.header.Content-Type'], "'application/problem+json'");
      const tpl = p.ResponseTemplates['application/json'] as string;
      // Rendered as API Gateway would: messageString is a quoted string, the others are inserted as text.
      const rendered = tpl
        .replace('$context.error.messageString', '"Invalid request body"')
        .replace('$context.error.validationErrorString', '[object instance has properties which are not allowed by the schema: [\\"confidance\\"]]')
        .replace('$context.requestId', 'req-1')
        .replace('$context.resourcePath', '/v1/risk/instrument');
      const problem = ProblemDetailsSchema.strict().parse(JSON.parse(rendered));
      assert.equal(problem.type, 'tag:riskfn,2026:invalid-request');
      assert.equal(problem.status, 400);
      assert.equal(problem.requestId, 'req-1');
      assert.equal(problem.detail, 'Invalid request body');
      assert.match(problem.errors![0]!.message, /confidance/);
    });
  }

  test('the other common gateway refusals are problem documents with their status, naming the reason', () => {
    const expected: Record<string, number> = {
      MISSING_AUTHENTICATION_TOKEN: 403,
      ACCESS_DENIED: 403,
      INVALID_SIGNATURE: 403,
      EXPIRED_TOKEN: 403,
      THROTTLED: 429,
      REQUEST_TOO_LARGE: 413,
      INTEGRATION_FAILURE: 504,
      INTEGRATION_TIMEOUT: 504,
    };
    for (const [type, status] of Object.entries(expected)) {
      const [, response] = ofType('AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties.ResponseType === type)!;
      const p = response.Properties;
      assert.equal(p.StatusCode, String(status), type);
      assert.equal(p.ResponseParameters['gatewayresponse.header.Content-Type'], "'application/problem+json'");
      const rendered = (p.ResponseTemplates['application/json'] as string)
        .replace('$context.error.messageString', '"Missing Authentication Token"')
        .replace('$context.error.responseType', type)
        .replace('$context.requestId', 'req-2')
        .replace('$context.path', '/prod/v2/nothing');
      const problem = JSON.parse(rendered) as Record<string, unknown>;
      ProblemDetailsSchema.parse(problem);
      assert.equal(problem.type, 'about:blank');
      assert.equal(problem.status, status);
      assert.equal(problem.detail, 'Missing Authentication Token');
      assert.equal(problem.responseType, type);
      assert.equal(problem.requestId, 'req-2');
    }
  });

  test('the access log records the validation error, the gateway error and the caller', () => {
    const [, stage] = ofType('AWS::ApiGateway::Stage')[0]!;
    const fields = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
    assert.equal(fields.validationError, '$context.error.validationErrorString');
    assert.equal(fields.errorMessage, '$context.error.message');
    assert.equal(fields.responseType, '$context.error.responseType');
    assert.equal(fields.userArn, '$context.identity.userArn');
    assert.equal(fields.caller, '$context.identity.caller');
    assert.equal(fields.ip, '$context.identity.sourceIp');
    assert.equal(fields.requestId, '$context.requestId');
    assert.equal(fields.status, '$context.status');
  });
});

describe('tables of the API', () => {
  const table = (name: string) => ofType('AWS::DynamoDB::Table').find(([, t]) => t.Properties.TableName === name)![1].Properties;

  test('the audit table has the two indexes of lib/config (projection ALL)', () => {
    const gsis = table(AUDIT_TABLE.name).GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    assert.deepEqual(gsis.map((g) => [g.IndexName, g.KeySchema, g.Projection]).sort(), [
      [
        'byModelVersion',
        [
          { AttributeName: 'modelVersion', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ],
      [
        'bySymbol',
        [
          { AttributeName: 'symbol', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ],
    ]);
  });

  test('the idempotency table: key `id`, TTL on `expiration`, secure defaults', () => {
    const t = table(IDEMPOTENCY_TABLE.name);
    assert.deepEqual(t.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.deepEqual(t.TimeToLiveSpecification, { AttributeName: 'expiration', Enabled: true });
    assert.equal(t.BillingMode, 'PAY_PER_REQUEST');
    // It holds answers for retried requests: encrypted with the audit key, like the audited answers.
    assert.deepEqual(t.SSESpecification, { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(stack.keys.audit), 'Arn'] } });
    assert.deepEqual(t.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  });
});

describe('IAM: the audit trail is append-only for the API', () => {
  const apiGrants = grantsOfRole(template, logicalId(stack.apiFunction.role));
  const writerGrants = grantsOfRole(template, logicalId(stack.auditWriter.role));
  const pairs = (grants: typeof apiGrants, prefix: string) =>
    grants
      .filter((g) => g.action.startsWith(prefix))
      .map((g) => `${g.action} ${g.resource}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''}`)
      .sort();
  const onAudit = (g: { resource: string }) => g.resource === auditArn || g.resource.startsWith(`${auditArn}/`);

  test('the API role cannot write the audit table or its indexes', () => {
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:PartiQLInsert',
      'dynamodb:PartiQLUpdate',
    ];
    assert.deepEqual(
      apiGrants.filter((g) => onAudit(g) && (writes.includes(g.action) || !['dynamodb:GetItem', 'dynamodb:Query'].includes(g.action))),
      [],
    );
  });

  test('the API role reads the audit table (GetItem, Query) and queries its two indexes, and never scans', () => {
    assert.deepEqual(
      apiGrants
        .filter(onAudit)
        .map((g) => `${g.action} ${g.resource}`)
        .sort(),
      [
        `dynamodb:GetItem ${auditArn}`,
        `dynamodb:Query ${auditArn}`,
        `dynamodb:Query ${auditArn}/index/byModelVersion`,
        `dynamodb:Query ${auditArn}/index/bySymbol`,
      ],
    );
    assert.ok(!apiGrants.some((g) => g.action === 'dynamodb:Scan'));
  });

  test('the API role may invoke the audit writer and no other function', () => {
    assert.deepEqual(pairs(apiGrants, 'lambda:'), [`lambda:InvokeFunction ${writerArn}`]);
  });

  test('the API role has exactly the item actions Powertools Idempotency uses on its table', () => {
    assert.deepEqual(
      apiGrants
        .filter((g) => g.resource === idempotencyArn)
        .map((g) => g.action)
        .sort(),
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    );
  });

  test('the API role reads the lake, the models, the registry and audit/ objects, and writes no object', () => {
    const { curatedPrefix, stagingPrefix, modelsPrefix } = DATA_LAKE_BUCKET;
    assert.deepEqual(pairs(apiGrants, 's3:'), [
      `s3:GetObject ${objects(AUDIT_RESULT_PREFIX)}`,
      `s3:GetObject ${objects(curatedPrefix)}`,
      `s3:GetObject ${objects(modelsPrefix)}`,
      `s3:GetObject ${objects(stagingPrefix)}`,
      `s3:ListBucket <${bucketId}.Arn>`,
      `s3:ListBucket <${bucketId}.Arn> if {"StringLike":{"s3:prefix":["${modelsPrefix}*"]}}`,
    ]);
    assert.deepEqual(
      apiGrants
        .filter((g) => g.resource === registryArn)
        .map((g) => g.action)
        .sort(),
      ['dynamodb:GetItem', 'dynamodb:Query'],
    );
  });

  test('the writer may only put audit items and put (and read back) audit/ objects', () => {
    assert.deepEqual(pairs(writerGrants, 'dynamodb:'), [`dynamodb:PutItem ${auditArn}`]);
    assert.deepEqual(pairs(writerGrants, 's3:'), [`s3:GetObject ${objects(AUDIT_RESULT_PREFIX)}`, `s3:PutObject ${objects(AUDIT_RESULT_PREFIX)}`]);
    assert.deepEqual(pairs(writerGrants, 'lambda:'), []);
  });

  test('no other role may write the audit table or audit/ objects', () => {
    const writerRole = logicalId(stack.auditWriter.role);
    for (const [roleId] of ofType('AWS::IAM::Role')) {
      if (roleId === writerRole) continue;
      for (const g of grantsOfRole(template, roleId)) {
        assert.ok(!(onAudit(g) && /Put|Update|Delete|Write/.test(g.action)), `${roleId}: ${g.action} ${g.resource}`);
        assert.ok(!(g.resource === objects(AUDIT_RESULT_PREFIX) && g.action !== 's3:GetObject'), `${roleId}: ${g.action}`);
      }
    }
  });

  test('the functions are told the writer, the tables and the bucket through the ENV variables', () => {
    const env = (fnId: string) => resources[fnId]!.Properties.Environment.Variables;
    const api = env(apiFnId);
    assert.deepEqual(api[ENV.auditWriterFunction], { Ref: logicalId(stack.auditWriter.function) });
    assert.deepEqual(api[ENV.idempotencyTable], { Ref: logicalId(stack.idempotencyTable.table) });
    assert.deepEqual(api[ENV.auditTable], { Ref: logicalId(stack.auditTable.table) });
    const writer = env(logicalId(stack.auditWriter.function));
    assert.deepEqual(writer[ENV.auditTable], { Ref: logicalId(stack.auditTable.table) });
    assert.deepEqual(writer[ENV.dataBucket], { Ref: bucketId });
  });
});

/** CDK's JsonSchema (`schema`, `ref`) as CloudFormation renders it (`$schema`, `$ref`). */
function toCfnSchema(schema: object): object {
  const { schema: version, ...rest } = schema as { schema?: string };
  return { ...(version ? { $schema: version } : {}), ...rest };
}
