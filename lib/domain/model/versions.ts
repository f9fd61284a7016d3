/**
 * Versions recorded in every model artifact. Kept as constants (not read from package.json
 * at run time) so bundled Lambdas carry them too; test/unit/model/versions.test.ts checks
 * they equal the installed packages. ml-random-forest / ml-cart: the versions whose patched
 * loader reads this forest's export (docs/forest.md); development dependencies that only
 * tests load, never riskfn at run time.
 */
export const LIBRARY_VERSIONS = {
  riskfn: '0.1.0',
  'ml-random-forest': '2.1.0',
  'ml-cart': '2.1.1',
} as const;

/** Artifact layout version: bump when a change would make an older reader mis-read a file. */
export const ARTIFACT_FORMAT = 'riskfn-risk-model';
export const ARTIFACT_FORMAT_VERSION = 3;
