/**
 * Import rules, checked by `npm run deps` (dependency-cruiser). docs/architecture.md ("Layers")
 * explains them; in short, code depends downwards only:
 *
 *   lib/util → lib/config → lib/schemas → lib/domain (prices → risk → features → model → scoring
 *   → training → lake → ingest) → lib/adapters → functions, lib/infra → lib/local → bin
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
  ['lib/adapters', '^lib/adapters/'],
];

/** Everything above the adapters: the entry points and the two harnesses. */
const EDGES = '^(functions|lib/infra|lib/local|bin)/';

/** SDKs and frameworks that only adapters, handlers, the stack and the local cloud may use. */
const CLOUD_PACKAGES = 'node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy|aws-cdk-lib|constructs|cdk-nag)/';

/**
 * The API's response contract pins the scoring conventions as literals: constants only, and
 * nothing they import reaches back into lib/schemas, so this one import creates no cycle.
 */
const SCHEMA_MAY_IMPORT = '^lib/domain/scoring/conventions\\.ts$';

const layerRules = LAYERS.map(([name, from], i) => {
  const above = LAYERS.slice(i + 1).map(([, p]) => p);
  return {
    name: `layer:${name}`,
    severity: 'error',
    comment: `${name} may import only the layers below it (see LAYERS), never ${above.length > 0 ? 'a later layer or ' : ''}functions/, lib/infra, lib/local or bin/.`,
    from: { path: from },
    to: { path: [...above, EDGES], pathNot: name === 'lib/schemas' ? SCHEMA_MAY_IMPORT : undefined },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports included) means two modules are one; merge them or move the shared piece down.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'pure-core-has-no-cloud-packages',
      severity: 'error',
      comment: 'lib/util, lib/config, lib/schemas and lib/domain run anywhere (CLI, tests, any Lambda) without AWS: only adapters talk to AWS.',
      from: { path: '^lib/(util|config|schemas|domain)/' },
      to: { path: CLOUD_PACKAGES },
    },
    {
      name: 'functions-not-harnesses',
      severity: 'error',
      comment: 'Handlers are bundled alone: they must not import the stack, the local cloud or the CLI.',
      from: { path: '^functions/' },
      to: { path: '^(lib/infra|lib/local|bin)/' },
    },
    {
      name: 'infra-is-declarative',
      severity: 'error',
      comment:
        'The stack names handler files by path (NodejsFunction bundles them); importing handler, adapter or local-cloud code would run it at synth time.',
      from: { path: '^lib/infra/' },
      to: { path: '^(functions|lib/adapters|lib/local|bin)/' },
    },
    {
      name: 'no-test-code-in-sources',
      severity: 'error',
      comment: 'Sources must not import tests, test helpers or benchmarks.',
      from: { path: '^(lib|functions|bin)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'runtime-uses-runtime-dependencies',
      severity: 'error',
      comment: 'Code that runs in a Lambda or the domain must not need a devDependency (type-only imports are fine).',
      from: { path: '^(lib/(util|config|schemas|domain|adapters)|functions)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
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
