/**
 * Scoring API Lambda (API Gateway REST proxy): `POST /v1/risk/instrument`.
 * The chain and the route live in ./api/; this entry point wires in the AWS dependencies
 * (S3 lake, DynamoDB model registry and audit table) once per container.
 */

import { createApiHandler } from './api/create-handler.ts';
import { awsApiDependencies } from './api/dependencies.ts';

export const handler = createApiHandler(awsApiDependencies());
