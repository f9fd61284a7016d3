/**
 * CloudWatch metrics of a riskfn Lambda with Powertools Metrics: EMF documents on stdout that
 * CloudWatch Logs turns into metrics (no PutMetricData call, no IAM), in the namespace
 * `POWERTOOLS_METRICS_NAMESPACE` (the stack sets `riskfn`), each with the dimension `service`
 * (`POWERTOOLS_SERVICE_NAME`), which is how alarms and the dashboard select one function's metric.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';

/** The namespace when `POWERTOOLS_METRICS_NAMESPACE` is unset (the stack sets the same). */
const DEFAULT_NAMESPACE = 'riskfn';

/** One value of a metric, in a CloudWatch unit. */
export interface MetricValue {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly value: number;
}

/**
 * Where a handler sends metrics. Each `emit` is one EMF document, written at once: its values
 * share its dimensions (besides `service`), and the dimensions apply to nothing else.
 */
export interface MetricsEmitter {
  emit(values: readonly MetricValue[], dimensions?: Readonly<Record<string, string>>): void;
}

/** Powertools Metrics for `serviceName` in the riskfn namespace; the one way a handler builds a Metrics instance. */
export function powertoolsMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_NAMESPACE, serviceName });
}

/**
 * Whether a process with this environment emits metrics: as `POWERTOOLS_METRICS_DISABLED` says
 * when it is set, else only inside Lambda (`AWS_LAMBDA_FUNCTION_NAME`). Outside Lambda nothing
 * reads the EMF lines, and they would mix into the output of the local stack and the tests.
 */
export function metricsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const disabled = (env.POWERTOOLS_METRICS_DISABLED ?? '').trim().toLowerCase();
  if (disabled !== '') return !['true', '1', 'yes', 'on'].includes(disabled);
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}

/** The emitter of a deployed function (a no-op where {@link metricsWanted} says no). */
export function lambdaMetrics(serviceName: string): MetricsEmitter {
  if (!metricsWanted()) return { emit: () => {} };
  let metrics: Metrics | undefined;
  return {
    emit(values, dimensions) {
      if (values.length === 0) return;
      metrics ??= powertoolsMetrics(serviceName);
      if (dimensions) metrics.addDimensions({ ...dimensions });
      for (const { name, unit, value } of values) metrics.addMetric(name, unit, value);
      // Synchronous from the first add to here, so concurrent invocations cannot interleave documents.
      metrics.publishStoredMetrics();
    },
  };
}
