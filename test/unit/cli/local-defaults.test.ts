/**
 * `npm start`'s environment defaults (bin/local-defaults.ts), in a child process that loads them
 * and then constructs an AWS SDK client, as bin/local.ts does: the SDK's Node 22 notice is off,
 * any other warning still prints, and a value in the environment wins.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from './run-cli.ts';

const SCRIPT = `
await import('./bin/local-defaults.ts');
const { S3Client } = await import('@aws-sdk/client-s3');
new S3Client({ region: 'us-east-1' });
process.emitWarning('another warning');
`;

function stderrOf(env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr;
}

const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...inherited } = process.env;
const nodeMajor = Number(process.versions.node.split('.')[0]);

test("the AWS SDK's Node-version notice is off; other warnings still print", () => {
  const err = stderrOf(inherited);
  assert.doesNotMatch(err, /NodeVersionSupportWarning/);
  assert.match(err, /Warning: another warning/);
});

test('the environment wins: DISABLED=false shows the notice (on Node < 22, where the SDK gives it)', {
  skip: nodeMajor >= 22 && 'the SDK gives no notice on Node >= 22',
}, () => {
  assert.match(stderrOf({ ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' }), /NodeVersionSupportWarning/);
});
