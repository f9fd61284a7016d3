#!/usr/bin/env node
/**
 * The `riskfn` CLI built ahead of time: bin/cli/main.ts and everything it imports, bundled by
 * esbuild into one ES module, dist/riskfn.mjs (gitignored). Starting from the bundle skips
 * compiling TypeScript at every start (~0.1 s instead of ~0.5 s).
 *
 * A bundle must never run code older than the sources: its first line records a hash of every
 * project file it was built from (exactly the bytes esbuild read), and {@link freshBundle} —
 * used by bin/riskfn.js at every start — accepts the bundle only when every one of those files
 * still has that hash. Otherwise bin/riskfn.js runs the sources through tsx.
 *
 * Run as a script (`node scripts/cli-bundle.mjs`, also the npm postinstall step) it builds the
 * bundle; a failed build only warns, so an install never fails because of it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'bin/cli/main.ts');
/** Where bin/riskfn.js looks for the bundle. */
export const BUNDLE = join(ROOT, 'dist/riskfn.mjs');
const MARK = '// riskfn-bundle-inputs ';

const hashOf = (bytes) => createHash('sha1').update(bytes).digest('hex');

/**
 * The bundle's path when it exists and was built from the files on disk now; null otherwise
 * (missing, unreadable, or any input changed or gone).
 * @param {string} [bundle]
 * @returns {string | null}
 */
export function freshBundle(bundle = BUNDLE) {
  let inputs;
  try {
    const text = readFileSync(bundle, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    if (!firstLine.startsWith(MARK)) return null;
    inputs = JSON.parse(firstLine.slice(MARK.length));
  } catch {
    return null;
  }
  for (const [file, hash] of Object.entries(inputs)) {
    try {
      if (hashOf(readFileSync(join(ROOT, file))) !== hash) return null;
    } catch {
      return null;
    }
  }
  return bundle;
}

/**
 * Builds the bundle into `outfile` (default dist/riskfn.mjs): written to a temporary file and
 * renamed, so a concurrent start never sees half a bundle.
 * @param {{ outfile?: string }} [options]
 * @returns {Promise<string>} the bundle's path
 */
export async function buildCli({ outfile = BUNDLE } = {}) {
  const { build } = await import('esbuild');
  /** @type {Record<string, string>} project file (relative to the root, `/`-separated) -> sha1 */
  const inputs = {};
  const hashingLoader = {
    name: 'hash-project-inputs',
    setup(b) {
      // Project sources are read here so the hash is of exactly the bytes that are bundled.
      b.onLoad({ filter: /\.(ts|json)$/ }, (args) => {
        const rel = relative(ROOT, args.path);
        if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) return undefined;
        const bytes = readFileSync(args.path);
        inputs[rel.split(sep).join('/')] = hashOf(bytes);
        return { contents: bytes, loader: extname(args.path) === '.json' ? 'json' : 'ts' };
      });
    },
  };
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outfile,
    logLevel: 'silent',
    plugins: [hashingLoader],
    // Imported on first use only: the chart renderer (about 2 MB with d3) by the commands that draw
    // a report, the X-Ray tracer never outside Lambda. Left outside the bundle, they load from
    // node_modules when needed, and no other command pays for parsing them.
    external: ['vega', 'vega-lite', '@aws-lambda-powertools/tracer'],
    // CommonJS dependencies call require(); an ES module bundle has none of its own.
    banner: { js: "import { createRequire as __riskfnCreateRequire } from 'node:module'; const require = __riskfnCreateRequire(import.meta.url);" },
  });
  const code = result.outputFiles[0].text;
  const sorted = Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b)));
  mkdirSync(dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${MARK}${JSON.stringify(sorted)}\n${code}`);
    renameSync(tmp, outfile);
  } finally {
    rmSync(tmp, { force: true });
  }
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  try {
    const out = await buildCli();
    console.log(`riskfn CLI bundled: ${relative(process.cwd(), out)} (${Math.round(performance.now() - t0)} ms)`);
  } catch (err) {
    // esbuild's own message lists every error on several lines; the first one is enough here.
    const first = err?.errors?.[0];
    const why = first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : String(err?.message ?? err).split('\n')[0];
    console.warn(`riskfn CLI not bundled (it will run from the TypeScript sources): ${why}`);
  }
}
