/**
 * Import rules, checked by `npm run deps` (dependency-cruiser). docs/architecture.md ("Layers")
 * explains them; in short, code depends downwards only:
 *
 *   lib/util → lib/config → lib/schemas → lib/domain (prices → risk → features → model → scoring
 *   → training → lake → ingest) → lib/reports → lib/adapters → functions, lib/infra → lib/local → bin
 *
 * A folder may import the folders before it in LAYERS and never one after it, so a back-edge
 * (a lower folder reaching up, e.g. the lake's key layout importing the ingest code that uses
 * it) fails the check even when it does not close a file-level cycle yet.
 */

/** Bottom to top. Each entry is [name, path regex]; a folder may import only entries before it. */
const LAYERS = [
  ['lib/util', '^lib/util/'],
  ['lib/config', '^lib/config/'],
  ['lib/schemas', '^lib/schemas/'],
  // errors.ts and other files directly in lib/domain are shared by every domain folder.
  ['lib/domain (root) and lib/domain/prices', '^lib/domain/([^/]+\\.ts$|prices/)'],
  ['lib/domain/risk', '^lib/domain/risk/'],
  ['lib/domain/features', '^lib/domain/features/'],
  ['lib/domain/model', '^lib/domain/model/'],
  ['lib/domain/scoring', '^lib/domain/scoring/'],
  ['lib/domain/training', '^lib/domain/training/'],
  ['lib/domain/lake', '^lib/domain/lake/'],
  ['lib/domain/ingest', '^lib/domain/ingest/'],
  // HTML reports and their charts: pure (no AWS), built from the domain's numbers.
  ['lib/reports', '^lib/reports/'],
  ['lib/adapters', '^lib/adapters/'],
];

/** Everything above the adapters: the entry points and the two harnesses. */
const EDGES = '^(functions|lib/infra|lib/local|bin)/';

/** SDKs and frameworks that only adapters, handlers, the stack and the local cloud may use. */
const CLOUD_PACKAGES = 'node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy|aws-cdk-lib|constructs|cdk-nag)/';

/**
 * The API's response contract pins the scoring conventions as literals, and its request contract
 * defaults `confidence` to the risk engine's default: constants only, and nothing they import
 * reaches back into lib/schemas, so these imports create no cycle.
 */
const SCHEMA_MAY_IMPORT = '^lib/domain/(scoring/conventions|risk/defaults)\\.ts$';

/** One forbidden import: from modules matching `from` to modules matching `to`. */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

const layerRules = LAYERS.map(([name, from], i) => {
  const above = LAYERS.slice(i + 1).map(([, p]) => p);
  return forbid(
    `layer:${name}`,
    `${name} may import only the layers below it (see LAYERS), never a later layer, functions/, lib/infra, lib/local or bin/.`,
    { path: from },
    { path: [...above, EDGES], pathNot: name === 'lib/schemas' ? SCHEMA_MAY_IMPORT : undefined },
  );
});

module.exports = {
  forbidden: [
    forbid(
      'no-circular',
      'An import cycle (type-only imports included) means two modules are one; merge them or move the shared piece down.',
      {},
      { circular: true },
    ),
    ...layerRules,
    forbid(
      'pure-core-has-no-cloud-packages',
      'lib/util, lib/config, lib/schemas and lib/domain run anywhere (CLI, tests, any Lambda) without AWS: only adapters talk to AWS.',
      { path: '^lib/(util|config|schemas|domain|reports)/' },
      { path: CLOUD_PACKAGES },
    ),
    forbid(
      'functions-not-harnesses',
      'Handlers are bundled alone: they must not import the stack, the local cloud or the CLI.',
      { path: '^functions/' },
      { path: '^(lib/infra|lib/local|bin)/' },
    ),
    forbid(
      'infra-is-declarative',
      'The stack names handler files by path (NodejsFunction bundles them); importing handler, adapter or local-cloud code would run it at synth time.',
      { path: '^lib/infra/' },
      { path: '^(functions|lib/adapters|lib/local|bin)/' },
    ),
    forbid(
      'no-test-code-in-sources',
      'Sources must not import tests, test helpers or benchmarks.',
      { path: '^(lib|functions|bin)/' },
      { path: '^(test|bench)/' },
    ),
    forbid(
      'runtime-uses-runtime-dependencies',
      'Code that runs in a Lambda or the domain must not need a devDependency (type-only imports are fine).',
      { path: '^(lib/(util|config|schemas|domain|adapters)|functions)/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
    forbid('not-to-unresolvable', 'An import that does not resolve to a file or an installed package.', {}, { couldNotResolve: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Imports name their .ts files; the tsconfig tells the resolver so.
    tsConfig: { fileName: 'tsconfig.json' },
    // Count type-only imports: a cycle through types is still a design cycle.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
