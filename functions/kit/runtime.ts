import { Logger } from '@aws-lambda-powertools/logger';

/** The current time; injected so tests can pin timestamps and run ids. */
export type Clock = () => Date;

/**
 * What every handler gets besides its own ports: where to log and what time it is.
 * Each handler's dependency interface extends this one.
 */
export interface HandlerRuntime {
  logger: Logger;
  now: Clock;
}

/**
 * The runtime a deployed Lambda uses, built once per container: a Powertools logger and the
 * system clock. The stack sets `POWERTOOLS_SERVICE_NAME` per function; `fallbackService`
 * names local runs. The level comes from `POWERTOOLS_LOG_LEVEL` (default INFO).
 */
export function lambdaRuntime(fallbackService: string): HandlerRuntime {
  return {
    logger: new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? fallbackService }),
    now: () => new Date(),
  };
}
