/**
 * Defaults for `npm start`, set before any handler module (and so any Powertools Logger or AWS
 * SDK client) is loaded; each yields to a value already in the environment:
 * - the handlers' structured logs are quiet unless asked for
 *   (`POWERTOOLS_LOG_LEVEL=INFO npm start` shows every batch and request);
 * - so are their metrics: in a Lambda, Powertools Metrics prints one EMF JSON line per invocation
 *   for CloudWatch to read; locally nothing reads them, and every ingest batch and compaction run
 *   would print one (`POWERTOOLS_METRICS_DISABLED=false npm start` shows them);
 * - the AWS SDK's notice that its releases after January 2027 need Node 22 is off: the local
 *   cloud runs on the Node the project supports (20), and the notice would print on every start.
 *   `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED` is the switch the SDK documents for it
 *   (aws/aws-sdk-js-v3#7983); it silences that notice only, and only here, not in the Lambdas.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
