/**
 * Runs the real `riskfn` (node bin/riskfn.js) in a child process, with real files and pipes.
 *
 * {@link ensureFreshBundle} rebuilds dist/riskfn.mjs from the current sources when it is stale,
 * so the spawned CLI starts fast; bin/riskfn.js itself re-checks every input's hash at start and
 * runs the TypeScript sources when anything changed since, so a test never runs old code.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, freshBundle } from '../../../scripts/cli-bundle.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RISKFN = join(ROOT, 'bin/riskfn.js');
export const sample = (f: string): string => join(ROOT, 'data/sample', f);

/** Builds the CLI bundle if it does not match the sources (call in `before`). */
export async function ensureFreshBundle(): Promise<void> {
  if (!freshBundle()) await buildCli();
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `riskfn ...args` in `cwd` (default: the repository root); `input` is piped to stdin. */
export function riskfn(args: readonly string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [RISKFN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `bash -c script` (real pipes between real processes) where `riskfn` is a shell function running
 * this checkout's CLI.
 */
export function shell(script: string, opts: { cwd?: string } = {}): CliResult {
  const prelude = 'riskfn() { "$RISKFN_NODE" "$RISKFN_JS" "$@"; }\n';
  const r = spawnSync('bash', ['-c', prelude + script], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, RISKFN_NODE: process.execPath, RISKFN_JS: RISKFN },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
