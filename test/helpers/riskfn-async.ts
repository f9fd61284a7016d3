/**
 * The real `riskfn` (or any command) in a child process, asynchronously: for integration tests
 * whose emulators or local stack run in the test's own process, which must keep answering while
 * the CLI talks to them (spawnSync would block it). The CLI bundle is built by the callers'
 * `before(ensureFreshBundle)` (test/unit/cli/run-cli.ts).
 */
import { spawn } from 'node:child_process';
import { type CliResult, RISKFN } from '../unit/cli/run-cli.ts';

/** Where and with what environment the child runs; `env` is added to this process's environment. */
export interface SpawnOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** `command ...args`, stdout and stderr collected as text; resolves when the child exits. */
export function spawnAsync(command: string, args: readonly string[], opts: SpawnOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `riskfn ...args` (node bin/riskfn.js) in `opts.cwd`. */
export function riskfnAsync(args: readonly string[], opts: SpawnOptions): Promise<CliResult> {
  return spawnAsync(process.execPath, [RISKFN, ...args], opts);
}
