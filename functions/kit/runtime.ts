import { Logger } from '@aws-lambda-powertools/logger';
import { lambdaMetrics, type MetricsEmitter } from './metrics.ts';

/** The current time; injected so tests can pin timestamps and run ids. */
export type Clock = () => Date;

/**
 * What every handler gets besides its own ports: where to log, what time it is, and where its
 * metrics go. Each handler's dependency interface extends this one.
 */
export interface HandlerRuntime {
  logger: Logger;
  now: Clock;
  /** CloudWatch metrics (./metrics.ts); absent in tests that do not look at them. */
  metricsEmitter?: MetricsEmitter;
}

/**
 * The runtime a deployed Lambda uses, built once per container: a Powertools logger, the
 * system clock and the Powertools metrics emitter. The stack sets `POWERTOOLS_SERVICE_NAME` per
 * function; `fallbackService` names local runs. The level comes from `POWERTOOLS_LOG_LEVEL`
 * (default INFO).
 */
export function lambdaRuntime(fallbackService: string): HandlerRuntime {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? fallbackService;
  return {
    logger: new Logger({ serviceName }),
    now: () => new Date(),
    metricsEmitter: lambdaMetrics(serviceName),
  };
}
