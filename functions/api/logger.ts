import { Logger } from '@aws-lambda-powertools/logger';

/** The API's logger, created once per container. Level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-api' });
