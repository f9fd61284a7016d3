/**
 * `npm start` (bin/local.ts) with its API port taken: it must say so in one line and exit 1
 * right away — before starting the emulators and the 20-40 s of replay and training.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './run-cli.ts';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

/** Runs `tsx bin/local.ts` with PORT set; resolves with its exit code and output (rejects if it is still running after `timeoutMs`). */
function start(port: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'bin/local.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: port },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start still running after ${timeoutMs} ms with its port taken; output: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('a taken port: one line naming it and a free one, exit 1, before the emulators start', async () => {
  const blocker = await listen(0);
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = await start(String(port), 15_000);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '', 'nothing started: no emulator or progress lines');
    assert.match(
      r.stderr,
      new RegExp(
        `^npm start: port ${port} is already in use on 127\\.0\\.0\\.1 \\(another npm start\\?\\); stop that process or pick another port: PORT=\\d+ npm start\\n$`,
      ),
    );
    const suggested = Number(/PORT=(\d+)/.exec(r.stderr)![1]);
    assert.ok(suggested > port, 'a port after the taken one');
  } finally {
    blocker.close();
  }
});

test('a PORT that is not a port number is refused the same way', async () => {
  const r = await start('http', 15_000);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "npm start: PORT must be a port number (0-65535), got 'http'\n");
});
