/**
 * The risk REST API: API Gateway (regional) → the API Lambda, one resource and method per route
 * of the route table (lib/schemas/api-routes.ts), so the gateway answers only the routes the
 * Lambda has and validates each request before the Lambda runs:
 * - POST methods carry a request model generated from the route's zod request schema
 *   (./api-request-models.ts); GET methods declare their path and query parameters;
 * - the `params-and-body` validator checks both; its refusals are `application/problem+json`
 *   (gateway responses BAD_REQUEST_BODY / BAD_REQUEST_PARAMETERS) naming the validation error and
 *   the request id, and the access log records the error and the caller, so a request the gateway
 *   refused (which never reaches the Lambda or the audit trail) is still on record; the gateway's
 *   other common refusals (no such route, signature, throttling, size, integration) are problem
 *   documents as well.
 * Secure defaults: IAM (SigV4) authorisation on every method, stage throttling, JSON access logs to a
 * log group, execution logs for errors, X-Ray tracing.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  type Model,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as z from 'zod';
import { type ApiRouteSpec, pathParameterNames } from '../schemas/api-routes.ts';
import { PROBLEM_CONTENT_TYPE } from '../schemas/problem-details.ts';
import { apiGatewayModelSchema } from './api-request-models.ts';
import { REST_API_DEFAULTS } from './defaults/rest-api-defaults.ts';

export interface ScoringApiProps {
  /** The API function (API Gateway REST proxy event handler). */
  readonly handler: IFunction;
  /** The routes to expose (the route table). */
  readonly routes: readonly ApiRouteSpec[];
}

/**
 * The access log line of every request, JSON. Besides the standard fields it records why the
 * gateway refused a request (`errorMessage`, `validationError`, `responseType`) and who asked
 * (`userArn`, `caller`, `accountId`, `userAgent`).
 */
const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  requestTime: AccessLogField.contextRequestTime(),
  httpMethod: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  path: AccessLogField.contextPath(),
  status: AccessLogField.contextStatus(),
  protocol: AccessLogField.contextProtocol(),
  responseLength: AccessLogField.contextResponseLength(),
  responseLatency: AccessLogField.contextResponseLatency(),
  integrationStatus: AccessLogField.contextIntegrationStatus(),
  ip: AccessLogField.contextIdentitySourceIp(),
  userAgent: AccessLogField.contextIdentityUserAgent(),
  userArn: AccessLogField.contextIdentityUserArn(),
  caller: AccessLogField.contextIdentityCaller(),
  user: AccessLogField.contextIdentityUser(),
  accountId: AccessLogField.contextIdentityAccountId(),
  errorMessage: AccessLogField.contextErrorMessage(),
  validationError: AccessLogField.contextErrorValidationErrorString(),
  responseType: AccessLogField.contextErrorResponseType(),
} as const;

/** Problem type of a request refused by the gateway's validator (the Lambda's `invalid-request`). */
const INVALID_REQUEST_TYPE = 'tag:riskfn,2026:invalid-request';

/**
 * The problem document of a validation refusal. `$context.error.messageString` is already a quoted
 * JSON string; the validation error string is inserted as API Gateway renders it (quotes escaped).
 * `instance` is the resource path, as the Lambda's problems give it; `requestId` is the id in the access log.
 */
const validationProblem = (detail: string): string =>
  JSON.stringify({
    type: INVALID_REQUEST_TYPE,
    title: 'Invalid request',
    status: 400,
    detail: '@DETAIL@',
    instance: '$context.resourcePath',
    requestId: '$context.requestId',
    errors: [{ path: '', message: '$context.error.validationErrorString' }],
  }).replace('"@DETAIL@"', detail);

/**
 * The gateway's other refusals a caller meets, with their HTTP status and reason phrase: each is a
 * problem document too (type `about:blank`, as the Lambda's plain HTTP errors), with the gateway's
 * message as `detail` and its reason as `responseType`. Gateway response templates have no status
 * variable, hence one response per type; the rarer ones keep API Gateway's `{"message": …}`.
 */
const GATEWAY_REFUSALS = [
  ['MissingAuthenticationToken', ResponseType.MISSING_AUTHENTICATION_TOKEN, 403, 'Forbidden'], // no such route, or an unsigned request
  ['AccessDenied', ResponseType.ACCESS_DENIED, 403, 'Forbidden'],
  ['InvalidSignature', ResponseType.INVALID_SIGNATURE, 403, 'Forbidden'],
  ['ExpiredToken', ResponseType.EXPIRED_TOKEN, 403, 'Forbidden'],
  ['Throttled', ResponseType.THROTTLED, 429, 'Too Many Requests'],
  ['RequestTooLarge', ResponseType.REQUEST_TOO_LARGE, 413, 'Content Too Large'],
  ['IntegrationFailure', ResponseType.INTEGRATION_FAILURE, 504, 'Gateway Timeout'],
  ['IntegrationTimeout', ResponseType.INTEGRATION_TIMEOUT, 504, 'Gateway Timeout'],
] as const;

const gatewayProblem = (status: number, title: string): string =>
  JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: '@DETAIL@',
    instance: '$context.path',
    requestId: '$context.requestId',
    responseType: '$context.error.responseType',
  }).replace('"@DETAIL@"', '$context.error.messageString');

/** `scoreInstrument` → `ScoreInstrumentRequest` (model names are alphanumeric). */
const modelName = (operationId: string): string => `${operationId[0]!.toUpperCase()}${operationId.slice(1)}Request`;

export class ScoringApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;
  readonly requestValidator: RequestValidator;
  /** The method of each route, by operationId. */
  readonly methods: ReadonlyMap<string, Method>;
  /** The request model of each POST route, by operationId. */
  readonly models: ReadonlyMap<string, Model>;

  constructor(scope: Construct, id: string, props: ScoringApiProps) {
    super(scope, id);
    const d = REST_API_DEFAULTS;

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', { retention: d.accessLogRetention });

    this.api = new RestApi(this, 'Api', {
      restApiName: 'riskfn-scoring',
      description: 'riskfn: investment-risk scoring API (IAM-authorised)',
      endpointTypes: [d.endpointType],
      // Execution logging needs the account-level API Gateway → CloudWatch role; kept on stack deletion
      // because it is a per-region account setting other APIs may rely on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: d.stageName,
        throttlingRateLimit: d.throttlingRateLimit,
        throttlingBurstLimit: d.throttlingBurstLimit,
        loggingLevel: d.loggingLevel,
        dataTraceEnabled: d.dataTraceEnabled,
        metricsEnabled: d.metricsEnabled,
        tracingEnabled: d.tracingEnabled,
        accessLogDestination: new LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.requestValidator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.api,
      requestValidatorName: 'params-and-body',
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    for (const [responseId, type] of [
      ['BadRequestBody', ResponseType.BAD_REQUEST_BODY],
      ['BadRequestParameters', ResponseType.BAD_REQUEST_PARAMETERS],
    ] as const) {
      this.api.addGatewayResponse(responseId, {
        type,
        statusCode: '400',
        responseHeaders: { 'Content-Type': `'${PROBLEM_CONTENT_TYPE}'` },
        templates: { 'application/json': validationProblem('$context.error.messageString') },
      });
    }

    for (const [responseId, type, status, title] of GATEWAY_REFUSALS) {
      this.api.addGatewayResponse(responseId, {
        type,
        statusCode: String(status),
        responseHeaders: { 'Content-Type': `'${PROBLEM_CONTENT_TYPE}'` },
        templates: { 'application/json': gatewayProblem(status, title) },
      });
    }

    const integration = new LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    const methods = new Map<string, Method>();
    const models = new Map<string, Model>();
    for (const route of props.routes) {
      const resource = this.api.root.resourceForPath(route.path);
      const model = route.requestSchema
        ? this.api.addModel(`${modelName(route.operationId)}Model`, {
            modelName: modelName(route.operationId),
            contentType: 'application/json',
            description: `Request body of ${route.method} ${route.path} (generated from its zod schema)`,
            schema: apiGatewayModelSchema(route.requestSchema),
          })
        : undefined;
      if (model) models.set(route.operationId, model);
      methods.set(
        route.operationId,
        resource.addMethod(route.method, integration, {
          operationName: route.operationId,
          authorizationType: d.authorizationType,
          requestValidator: this.requestValidator,
          requestParameters: requestParameters(route),
          ...(model ? { requestModels: { 'application/json': model } } : {}),
        }),
      );
    }
    this.methods = methods;
    this.models = models;

    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Every method requires IAM (SigV4) authorisation, so anonymous traffic is rejected before the integration; ' +
          'stage throttling bounds abuse by authorised callers. A WAF web ACL adds fixed monthly cost without a rule ' +
          'it would apply here; add one (AWS::WAFv2::WebACLAssociation) if the API is ever opened to untrusted callers.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are AWS principals (services, CI, analysts with IAM roles) authorised with SigV4 (AWS_IAM); ' +
          'there are no end users to put in a Cognito user pool.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level API Gateway CloudWatch role must be able to create and write the execution-log groups ' +
          'API Gateway names itself; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-documented policy for exactly that.',
      },
    );
  }
}

/** The method's declared parameters: every path parameter (required) and the query parameters (required as the schema says). */
function requestParameters(route: ApiRouteSpec): Record<string, boolean> {
  const params: Record<string, boolean> = {};
  for (const name of pathParameterNames(route.path)) params[`method.request.path.${name}`] = true;
  if (route.querySchema) {
    const query = z.toJSONSchema(route.querySchema, { target: 'draft-04', io: 'input' }) as { properties?: object; required?: string[] };
    for (const name of Object.keys(query.properties ?? {})) params[`method.request.querystring.${name}`] = (query.required ?? []).includes(name);
  }
  return params;
}
