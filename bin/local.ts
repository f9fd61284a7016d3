/**
 * `npm start`: the whole pipeline on embedded local AWS emulators.
 *  0. checks that the API port (PORT, default 3000) is free, before any slow work;
 *  1. starts kinesalite, dynalite and s3rver and creates the stream, bucket and tables the
 *     CDK stack declares (lib/config/resources.ts);
 *  2. replays the bundled sample prices onto the Kinesis stream and lets the ingest Lambda
 *     handler consume them through the local event-source mapping;
 *  3. runs the training state machine (the definition synthesised from the CDK stack) once;
 *  4. serves the scoring API on http://localhost:3000 until Ctrl-C;
 *  5. prints the endpoints and resource names and writes them to .riskfn-local/endpoints.json
 *     (removed on exit), where `riskfn ingest` and `riskfn lake` find them.
 */
import './local-defaults.ts'; // first: sets the log level before the handlers load
import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeLocalStack, removeLocalEndpoints, writeLocalEndpoints } from './cli/local-endpoints.ts';
import { checkPort } from './local-port.ts';

const t0 = performance.now();
const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg: string): void => console.log(`[riskfn ${elapsed().padStart(7)}] ${msg}`);

// The emulators, handlers and training take 20-40 s to load and run: a taken port is reported
// before all of that, in one line.
const port = await checkPort(process.env.PORT);
if (!port.ok) {
  console.error(`npm start: ${port.problem}`);
  process.exit(1);
}
const PORT = port.port;

const { startEmulators } = await import('../lib/local/emulators.ts');
const { startLocalStack } = await import('../lib/local/local-stack.ts');

const emulators = await startEmulators();
emulators.applyEnv();
say(
  `emulators up: ${Object.entries(emulators.endpoints)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);

const stack = await startLocalStack({ port: PORT, log: say });

const local = describeLocalStack(emulators, stack.apiUrl);
const endpointsFile = writeLocalEndpoints(process.cwd(), local);
// Also on an exit that skips shutdown() (an uncaught error): a stale file would point commands at nothing.
process.once('exit', () => removeLocalEndpoints(endpointsFile));

say(`ready in ${elapsed()}: API on ${stack.apiUrl}`);
console.log(`
Endpoints (also in ${relative(process.cwd(), endpointsFile)}, removed on exit):
  API       ${local.apiUrl}
  Kinesis   ${local.endpoints.kinesis}   stream ${local.stream}
  S3        ${local.endpoints.s3}   bucket ${local.bucket}
  DynamoDB  ${local.endpoints.dynamodb}   tables ${local.tables.audit}, ${local.tables.modelRegistry}

Send prices to the stream (one bar per record; the lake is compacted within 60 s), then score them:
  npx riskfn ingest data/sample/xts_sample_ohlc.csv --symbol XTS
  curl -s -X POST ${stack.apiUrl}/v1/risk/instrument -H 'content-type: application/json' -d '{"symbol":"XTS"}'

Try:
  curl -s -X POST ${stack.apiUrl}/v1/risk/instrument -H 'content-type: application/json' -d '{"symbol":"DAX"}'
  curl -s -X POST ${stack.apiUrl}/v1/risk/instrument -H 'content-type: application/json' -d '{"symbol":"SMI","confidence":0.99}'
  curl -s -i -X POST ${stack.apiUrl}/v1/risk/instrument -H 'content-type: application/json' -d '{"symbol":"NOPE"}'

Ctrl-C stops everything.`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  removeLocalEndpoints(endpointsFile);
  await stack.stop();
  await emulators.stop();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
