#!/usr/bin/env node
// `riskfn` CLI entry. Runs the prebuilt bundle (dist/riskfn.mjs, see scripts/cli-bundle.mjs)
// when it was built from exactly the sources on disk; otherwise registers tsx and runs the
// TypeScript sources, so an edit is never hidden by a stale build.
import { freshBundle } from '../scripts/cli-bundle.mjs';

const bundle = freshBundle();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
