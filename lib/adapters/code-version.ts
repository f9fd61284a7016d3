/**
 * The version of the code that answers, for the audit trail's lineage: the package version and
 * the git commit. A Lambda bundle has them baked in at build (the stack's esbuild `define`
 * replaces `process.env.RISKFN_PACKAGE_VERSION`, `RISKFN_GIT_COMMIT` and `RISKFN_GIT_DIRTY` with
 * literals); a local process (`npm start`, the CLI, tests) reads git once, at the first call.
 */
import pkg from '../../package.json' with { type: 'json' };
import { gitCommit } from '../util/git-commit.ts';

/** What the code that produced an answer was. */
export interface CodeVersion {
  /** `version` of package.json. */
  package: string;
  /** The git commit (40 hex digits); null when unknown (no git at build or at start). */
  commit: string | null;
  /** True when tracked files differed from the commit: the commit alone does not identify the code. */
  dirty: boolean;
}

let current: CodeVersion | undefined;

/** This process's code version (computed once). */
export function codeVersion(): CodeVersion {
  if (current) return current;
  const bakedCommit = process.env.RISKFN_GIT_COMMIT;
  const read = bakedCommit === undefined ? gitCommit(import.meta.dirname) : null;
  current = {
    package: process.env.RISKFN_PACKAGE_VERSION ?? pkg.version,
    commit: bakedCommit || read?.commit || null,
    dirty: bakedCommit === undefined ? (read?.dirty ?? false) : process.env.RISKFN_GIT_DIRTY === 'true',
  };
  return current;
}
