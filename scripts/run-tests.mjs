#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Runs node's built-in test runner (through tsx) over every *.test.ts under the given
// folders (default: test/unit, test/integration, then test/browser). Node 20's --test takes no globs,
// so the files are listed here. Exit code and the runner's summary lines are node's own.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2);
const dirs = roots.length > 0 ? roots : ['test/unit', 'test/integration', 'test/browser'];

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = dirs.flatMap((d) => (statSync(d).isDirectory() ? walk(d) : [d]));
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
// Three files at a time on two cores: many tests wait on child processes, emulators and the
// browser, so a third file fills the idle time (measured: 252 s with 2, 219 s with 3).
const args = ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-reporter=spec', ...files];
const res = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--openssl-legacy-provider'].filter(Boolean).join(' ') },
});
process.exit(res.status ?? 1);
