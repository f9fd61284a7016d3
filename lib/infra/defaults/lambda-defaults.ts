/**
 * Secure defaults for every riskfn Lambda function (style of AWS Solutions Constructs'
 * `core/lib/lambda-defaults.ts`). A function chooses only its sizing; the rest is fixed.
 */
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Newest Node.js runtime aws-cdk-lib knows; cdk-nag AwsSolutions-L1 wants the latest of the family.
 * The handlers are also tested on the local Node 20, so they use nothing newer than Node 20 APIs.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** Graviton: cheaper per GB-second than x86 and the bundles are pure JavaScript. */
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

/** Memory and timeout of one function. */
export interface FunctionSizing {
  /** MB; Lambda's CPU share grows with it. */
  readonly memorySize: number;
  readonly timeout: Duration;
}

/** Short-lived request/stream handlers. */
export const DEFAULT_FUNCTION_SIZING: FunctionSizing = {
  /** 512 MB: also buys CPU (Lambda CPU scales with memory); ~2x the 128 MB default cold start. */
  memorySize: 512,
  /** 30 s: a 100-record Kinesis batch or one API answer takes well under 5 s; 30 s leaves retries room. */
  timeout: Duration.seconds(30),
};

/**
 * Compaction reads every staging object of the partitions it folds and rewrites one Parquet object
 * per partition: more memory (=CPU, and room for a partition's rows) and time than a stream batch.
 */
export const COMPACTION_FUNCTION_SIZING: FunctionSizing = {
  /** 1024 MB: ~0.6 vCPU; decades of daily bars of one symbol are a few MB of rows. */
  memorySize: 1024,
  /**
   * 5 min, a third of the 15-min schedule: a run that has more partitions than it can fold in time
   * leaves the rest as staging objects (readers still see them) for the next run.
   */
  timeout: Duration.minutes(5),
};

/** Training tasks read the lake and fit a random forest: more memory (=CPU) and time. */
export const TRAINING_FUNCTION_SIZING: FunctionSizing = {
  /**
   * 3008 MB: ~1.7 vCPU. Measured at 500 symbols × 10 years (1.2 million rows, bench/training-scale.ts,
   * with the V8 heap held to what Lambda's Node.js runtime allows at 2048 MB): the largest fold's
   * RunFold, decoding the stored set included, peaked at 1,902 MiB resident, 93 % of 2048 MB before
   * the runtime's own memory and the downloaded object, so 2048 MB would leave no margin.
   */
  memorySize: 3008,
  /**
   * 15 min, Lambda's hard maximum: the same fold ran 5.3 minutes on one core here (6 depth candidates
   * and the fold's forest), and a Lambda vCPU can be slower than that core. A task that needs
   * longer must be split (fewer trees per task, docs/cost.md), not given more time.
   */
  timeout: Duration.minutes(15),
};

/**
 * TrainShard builds its trees on two threads (FOREST_THREADS, {@link TRAIN_SHARD_THREADS}), so it
 * gets the memory at which Lambda gives two full vCPUs: 3,538 MB (1,769 MB per vCPU), rounded up.
 * Lambda bills memory × time, and two threads build a shard 1.36 (1.2 million rows) to 1.6 times as
 * fast (docs/forest.md, docs/cost.md), so a shard costs up to a fifth more than on one thread at
 * this memory and finishes sooner: the refit of a large lake stays further from the 15-minute limit.
 */
export const TRAIN_SHARD_FUNCTION_SIZING: FunctionSizing = { ...TRAINING_FUNCTION_SIZING, memorySize: 3584 };

/** Threads TrainShard trains on: the two vCPUs of {@link TRAIN_SHARD_FUNCTION_SIZING}. */
export const TRAIN_SHARD_THREADS = 2;

/** How long function logs are kept. 1 month: enough to debug an incident, cheap. */
export const LAMBDA_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** X-Ray active tracing on every function (cdk-nag serverless pack, Powertools tracer). */
export const LAMBDA_TRACING = Tracing.ACTIVE;

/**
 * CloudWatch namespace of the functions' Powertools (EMF) metrics. Powertools adds the dimension
 * `service` (= POWERTOOLS_SERVICE_NAME) to every metric, so an alarm selects a metric by namespace,
 * name and service.
 */
export const METRICS_NAMESPACE = 'riskfn';

/** Powertools environment shared by all functions; the service name is set per function. */
export function powertoolsEnvironment(serviceName: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // Stack traces point at the TypeScript sources (bundles ship a .map file).
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * esbuild options: ESM output, minified, with the AWS SDK bundled so the deployed code runs the
 * exact SDK versions pinned in package-lock.json (and tested against the emulators) instead of
 * whatever the runtime ships. The banner gives CommonJS dependencies a `require` inside ESM.
 */
export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __riskfnCreateRequire } from 'node:module'; const require = __riskfnCreateRequire(import.meta.url);",
  // Never build in Docker: esbuild from node_modules is used (offline, fast).
  forceDockerBundling: false,
};

/**
 * esbuild options that bundle a function as CDK's NodejsFunction does with {@link LAMBDA_BUNDLING}
 * (ESM for Node 20, the same minification, source map, main fields and banner), into `outfile`:
 * for the tests and benchmarks that run or measure a Lambda bundle outside CDK. Add the entry.
 */
export function esbuildLikeLambda(outfile: string) {
  return {
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap ? 'external' : false,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: LAMBDA_BUNDLING.mainFields,
    banner: { js: LAMBDA_BUNDLING.banner ?? '' },
    logLevel: 'error',
  } as const;
}
