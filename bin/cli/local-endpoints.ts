/**
 * How `riskfn` finds the local cloud that `npm start` runs: `npm start` writes
 * `.riskfn-local/endpoints.json` in the directory it was started in (the repository root) once
 * the stack is ready, and removes it when it stops. A command run in that directory or any
 * directory below it finds the file by walking up, checks that the process that wrote it is still
 * running, and points the AWS SDK clients at the emulators ({@link connectLocalStack}).
 *
 * The file (JSON, {@link LocalEndpoints}): the emulators' base URLs, the stream, bucket and table
 * names, the API's URL, and `env`, the environment a process needs to talk to the emulators
 * (endpoint URLs, region, the emulators' fixed local credentials, resource names) — the same
 * variables `npm start` gives the handlers. A shell can use it too:
 * `export $(jq -r '.env | to_entries[] | "\(.key)=\(.value)"' .riskfn-local/endpoints.json)`.
 *
 * Commands that also work against AWS take the resource's name as an option (`--stream NAME`,
 * `--bucket NAME`) and then use the standard AWS configuration (credentials, region) with no
 * endpoint override; without it they use the local stack.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AUDIT_TABLE, DATA_LAKE_BUCKET, MARKET_DATA_STREAM, MODEL_REGISTRY_TABLE } from '../../lib/config/resources.ts';
import { DataError } from './command-kit.ts';

/** Folder `npm start` keeps its run-time files in (git-ignored). */
const LOCAL_DIR = '.riskfn-local';
/** File name of the endpoints file inside {@link LOCAL_DIR}. */
const ENDPOINTS_FILE = 'endpoints.json';

/** Contents of `.riskfn-local/endpoints.json`. */
export interface LocalEndpoints {
  /** Process id of the `npm start` that wrote the file (a file whose process is gone is stale). */
  pid: number;
  /** ISO-8601 UTC time the stack was ready. */
  startedAt: string;
  /** Base URL of the scoring API, e.g. `http://127.0.0.1:3000`. */
  apiUrl: string;
  region: string;
  /** Base URLs of the emulators. */
  endpoints: { kinesis: string; s3: string; dynamodb: string };
  /** Kinesis stream producers write to. */
  stream: string;
  /** S3 data-lake bucket. */
  bucket: string;
  /** DynamoDB tables. */
  tables: { audit: string; modelRegistry: string };
  /** Environment variables that point an AWS SDK process at the emulators. */
  env: Record<string, string>;
}

/**
 * The endpoints file's contents for emulators (lib/local/emulators.ts: their `endpoints` and
 * `env`) and an API at `apiUrl`, written by this process; names as lib/config/resources.ts declares them.
 */
export function describeLocalStack(emulators: { endpoints: LocalEndpoints['endpoints']; env: Record<string, string> }, apiUrl: string): LocalEndpoints {
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    apiUrl,
    region: emulators.env.AWS_REGION ?? 'us-east-1',
    endpoints: { kinesis: emulators.endpoints.kinesis, s3: emulators.endpoints.s3, dynamodb: emulators.endpoints.dynamodb },
    stream: MARKET_DATA_STREAM.name,
    bucket: DATA_LAKE_BUCKET.localName,
    tables: { audit: AUDIT_TABLE.name, modelRegistry: MODEL_REGISTRY_TABLE.name },
    env: { ...emulators.env },
  };
}

/** Writes the endpoints file under `rootDir` (creating {@link LOCAL_DIR}) and returns its path. */
export function writeLocalEndpoints(rootDir: string, endpoints: LocalEndpoints): string {
  const file = join(rootDir, LOCAL_DIR, ENDPOINTS_FILE);
  mkdirSync(dirname(file), { recursive: true });
  // Written whole, then renamed, so a command never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}

/** Removes the endpoints file if it is still the one process `pid` wrote (a newer `npm start` may have replaced it). */
export function removeLocalEndpoints(file: string, pid = process.pid): void {
  try {
    const current = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalEndpoints>;
    if (current.pid === pid) rmSync(file, { force: true });
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}

/** The nearest `.riskfn-local/endpoints.json` in `from` or a directory above it, or undefined. */
function findEndpointsFile(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; ) {
    const file = join(dir, LOCAL_DIR, ENDPOINTS_FILE);
    if (existsSync(file)) return file;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The endpoints of the running local stack.
 * @param hint how to reach AWS instead, for the error message (e.g. `--stream NAME`)
 * @throws DataError when there is no endpoints file, it is unreadable, or its `npm start` is no longer running
 */
function readLocalEndpoints(hint: string, from = process.cwd()): LocalEndpoints & { file: string } {
  const file = findEndpointsFile(from);
  const howTo = `start the local stack with \`npm start\`, or use AWS with ${hint}`;
  if (!file) throw new DataError(`no local stack found (no ${LOCAL_DIR}/${ENDPOINTS_FILE} here or above): ${howTo}`);
  let parsed: LocalEndpoints;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
  } catch (err) {
    throw new DataError(`${file} is unreadable (${(err as Error).message}): ${howTo}`);
  }
  if (typeof parsed?.pid !== 'number' || typeof parsed.stream !== 'string' || typeof parsed.env !== 'object') {
    throw new DataError(`${file} is not an endpoints file: ${howTo}`);
  }
  if (!isRunning(parsed.pid)) throw new DataError(`the local stack in ${file} is not running (process ${parsed.pid} is gone): ${howTo}`);
  return { ...parsed, file };
}

/**
 * Turns off the AWS SDK's notice that its releases from 2027 need Node 22 (a process warning on
 * stderr at the first client): riskfn supports Node 20, and a command's stderr carries only its
 * own one-line errors. Call before the first AWS call of a command.
 */
export function quietAwsSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/**
 * Reads the local stack's endpoints and points this process's AWS SDK clients at them (sets the
 * variables of `env` and drops the cached clients). Call before the first AWS call.
 */
export async function connectLocalStack(hint: string, from = process.cwd()): Promise<LocalEndpoints & { file: string }> {
  const local = readLocalEndpoints(hint, from);
  quietAwsSdk();
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, local.env);
  // Loaded here, not at the top: the SDK is needed only by commands that reach a stack.
  const { resetClients } = await import('../../lib/adapters/clients.ts');
  resetClients();
  return local;
}
