/** Secure defaults for the scoring REST API (cf. Solutions Constructs' apigateway-defaults.ts). */

import { AuthorizationType, EndpointType, MethodLoggingLevel } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const REST_API_DEFAULTS = {
  /** Regional: callers are services in AWS; no CloudFront distribution in front. */
  endpointType: EndpointType.REGIONAL,
  /** Every method requires SigV4-signed requests from an IAM principal allowed `execute-api:Invoke`. */
  authorizationType: AuthorizationType.IAM,
  /** Stage `prod`: URLs are `…/prod/v1/risk/instrument` (the /v1 is the API version, in the resource path). */
  stageName: 'prod',
  /** Steady-state requests per second for the whole stage (account default is 10 000). */
  throttlingRateLimit: 50,
  /** Burst bucket size: a client may burst to 100 concurrent requests. */
  throttlingBurstLimit: 100,
  /** Execution logs for errors only (access logs carry every request). */
  loggingLevel: MethodLoggingLevel.ERROR,
  /** Request/response bodies are not logged: they may contain client portfolios. */
  dataTraceEnabled: false,
  metricsEnabled: true,
  tracingEnabled: true,
  accessLogRetention: RetentionDays.THREE_MONTHS,
} as const;
