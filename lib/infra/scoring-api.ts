/**
 * The scoring REST API: API Gateway (regional) → the scoring Lambda through a proxy resource under
 * /v1 (`ANY /v1/{proxy+}`), so the handler (middy http-router) owns the routes under /v1.
 * Secure defaults: IAM (SigV4) authorisation on every method, stage throttling, JSON access logs to a
 * log group, execution logs for errors, X-Ray tracing, and a request validator.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat, LambdaIntegration, LogGroupLogDestination, RequestValidator, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REST_API_DEFAULTS } from './defaults/rest-api-defaults.ts';

export interface ScoringApiProps {
  /** The scoring function (API Gateway REST proxy event handler). */
  readonly handler: IFunction;
}

export class ScoringApi extends Construct {
  readonly api: RestApi;
  readonly accessLogGroup: LogGroup;
  readonly requestValidator: RequestValidator;

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
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });

    // Bodies are validated by the handler's zod schemas (a 400 problem+json naming the field, which an
    // API Gateway model could not produce); the gateway validates that the path parameter is present.
    this.requestValidator = new RequestValidator(this, 'RequestValidator', {
      restApi: this.api,
      requestValidatorName: 'params-and-body',
      validateRequestParameters: true,
      validateRequestBody: true,
    });

    const v1 = this.api.root.addResource('v1');
    const proxy = v1.addProxy({
      anyMethod: false,
      defaultIntegration: new LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false }),
      defaultMethodOptions: { authorizationType: d.authorizationType },
    });
    // Method options are given on the method itself: CDK ignores a `requestValidator` in defaultMethodOptions.
    proxy.addMethod('ANY', undefined, {
      authorizationType: d.authorizationType,
      requestValidator: this.requestValidator,
      requestParameters: { 'method.request.path.proxy': true },
    });

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
