/**
 * Runs the real `riskfn` (node bin/riskfn.js) in a child process, with real files and pipes.
 *
 * {@link ensureFreshBundle} rebuilds dist/riskfn.mjs from the current sources when it is stale,
 * so the spawned CLI starts fast; bin/riskfn.js itself re-checks every input's hash at start and
 * runs the TypeScript sources when anything changed since, so a test never runs old code.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCli, freshBundle } from '../../../scripts/cli-bundle.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RISKFN = join(ROOT, 'bin/riskfn.js');
export const sample = (f: string): string => join(ROOT, 'data/sample', f);

/** Builds the CLI bundle if it does not match the sources (call in `before`). */
export async function ensureFreshBundle(): Promise<void> {
  if (!freshBundle()) await buildCli();
}

/** A temporary directory for the files a test writes and the CLI reads or writes. */
export interface ScratchDir {
  /** The directory itself, or the path of `name` in it. */
  path(name?: string): string;
  /** Writes `text` to `name` in the directory; returns its path. */
  write(name: string, text: string): string;
}

/**
 * A scratch directory for the tests of this file (or of the `describe` it is called in):
 * `riskfn-<prefix>-*` in the system's temporary directory, made at once (so fixtures can be
 * written from any `before` hook) and removed by an `after` hook; a `before` hook builds a fresh
 * CLI bundle.
 */
export function scratchDir(prefix: string): ScratchDir {
  const dir = mkdtempSync(join(tmpdir(), `riskfn-${prefix}-`));
  before(ensureFreshBundle);
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    path: (name = '') => join(dir, name),
    write(name, text) {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    },
  };
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
