/**
 * Compaction Lambda: folds staged bars into one curated Parquet object per (symbol, year)
 * (lib/adapters/s3/lake-compactor.ts; docs/data-lake.md, "Compaction").
 *
 * Input `{}` compacts every partition that has staging objects (what the schedule sends);
 * `{ partitions: [{ symbol, year }] }` compacts just those. Every partition is tried; when some
 * fail the invocation fails after the others are done (the errors alarm fires, the next run
 * folds what is left — staged bars stay readable meanwhile, so nothing waits on it but latency).
 * Runs unchanged in AWS, in the local stack and behind `riskfn lake compact`.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { requireEnv } from '../lib/adapters/env.ts';
import { type CompactionRun, compactPartitions, type Partition } from '../lib/adapters/s3/lake-compactor.ts';
import { DATA_LAKE_BUCKET, ENV } from '../lib/config/resources.ts';
import { isReservedSymbol, SYMBOL_PATTERN } from '../lib/schemas/price-bar.ts';
import { lambdaHandler } from './kit/lambda-handler.ts';
import { powertoolsMetrics } from './kit/metrics.ts';
import { type HandlerRuntime, lambdaRuntime } from './kit/runtime.ts';

const { min, max } = DATA_LAKE_BUCKET.curatedYears;

/** The invocation's input; symbols are upper-cased, as the lake stores them. */
export const CompactEventSchema = z
  .object({
    partitions: z
      .array(
        z.object({
          symbol: z
            .string()
            .regex(SYMBOL_PATTERN)
            .refine((s) => !isReservedSymbol(s), 'symbol . and .. are reserved')
            .transform((s) => s.toUpperCase()),
          year: z.number().int().min(min).max(max),
        }),
      )
      .optional(),
  })
  .strict();

/** The counts the handler reports, as CloudWatch metrics in AWS (EMF). */
export interface CompactMetrics {
  /** Staging objects folded into committed compacted objects. */
  objectsCompacted(n: number): void;
  /** Rows of the compacted objects committed. */
  barsCompacted(n: number): void;
  /** Objects moved to quarantine/reason=CORRUPT_OBJECT/. */
  corruptObjects(n: number): void;
  /** Flushes the invocation's metrics. */
  publish(): void;
}

export interface CompactDependencies extends HandlerRuntime {
  /** Compacts the given partitions, or every partition with staging objects. */
  compact(partitions: Partition[] | undefined): Promise<CompactionRun>;
  metrics: CompactMetrics;
}

/** What an invocation returns. */
export interface CompactResult {
  partitions: number;
  objectsCompacted: number;
  barsCompacted: number;
  corruptObjects: number;
  /** Conditional commits lost to a concurrent run and retried. */
  conflicts: number;
}

/** Some partitions could not be compacted (the others were); the message names them. */
export class CompactionFailedError extends Error {
  override name = 'CompactionFailedError';
}

/** Powertools Metrics (EMF on stdout, namespace from POWERTOOLS_METRICS_NAMESPACE, default `riskfn`). */
export function powertoolsCompactMetrics(serviceName: string): CompactMetrics {
  const metrics = powertoolsMetrics(serviceName);
  return {
    objectsCompacted: (n) => metrics.addMetric('objectsCompacted', MetricUnit.Count, n),
    barsCompacted: (n) => metrics.addMetric('barsCompacted', MetricUnit.Count, n),
    corruptObjects: (n) => metrics.addMetric('corruptObjects', MetricUnit.Count, n),
    publish: () => metrics.publishStoredMetrics(),
  };
}

/** The AWS implementation: the data bucket named in the environment (read at call time). */
export function awsCompactDependencies(): CompactDependencies {
  const runtime = lambdaRuntime('riskfn-compact');
  return {
    ...runtime,
    compact: (partitions) => compactPartitions(requireEnv(ENV.dataBucket), { ...(partitions ? { partitions } : {}), now: runtime.now, logger: runtime.logger }),
    metrics: powertoolsCompactMetrics(process.env.POWERTOOLS_SERVICE_NAME ?? 'riskfn-compact'),
  };
}

export function createCompactHandler(deps: CompactDependencies) {
  const { logger, metrics } = deps;
  return lambdaHandler<unknown, CompactResult>(logger).handler(async (event) => {
    const input = CompactEventSchema.parse(event ?? {});
    const run = await deps.compact(input.partitions);
    metrics.objectsCompacted(run.objectsCompacted);
    metrics.barsCompacted(run.barsCompacted);
    metrics.corruptObjects(run.corruptObjects);
    metrics.publish();
    // The compaction lag: how long the oldest staged bar waited to be folded (written to staging → end of this run).
    if (run.oldestStagedAt) {
      const waited = Math.max(0, (deps.now().getTime() - Date.parse(run.oldestStagedAt)) / 1000);
      deps.metricsEmitter?.emit([{ name: 'stagingAge', unit: MetricUnit.Seconds, value: waited }]);
    }
    const result: CompactResult = {
      partitions: run.partitions.filter((p) => p.status !== 'empty').length,
      objectsCompacted: run.objectsCompacted,
      barsCompacted: run.barsCompacted,
      corruptObjects: run.corruptObjects,
      conflicts: run.partitions.reduce((n, p) => n + p.conflicts, 0),
    };
    logger.info('compaction run', { ...result });
    if (run.failed.length > 0) {
      for (const f of run.failed) logger.error('partition not compacted', { symbol: f.symbol, year: f.year, error: f.error.message });
      const names = run.failed.map((f) => `${f.symbol} ${f.year}`).join(', ');
      throw new CompactionFailedError(`${run.failed.length} partition(s) not compacted (${names}): ${run.failed[0]!.error.message}`);
    }
    return result;
  });
}

export const handler = createCompactHandler(awsCompactDependencies());
