/**
 * The git commit a working tree is at, for stamping code versions: read once by the stack at
 * synth time (baked into each Lambda bundle) and by local processes at start.
 */
import { execFileSync } from 'node:child_process';

/** The commit and whether tracked files differ from it (then the commit alone does not identify the code). */
export interface GitCommit {
  /** 40 hex digits. */
  commit: string;
  dirty: boolean;
}

/** HEAD of the repository at `dir` (default the current directory), or null when git or the repository is not there. */
export function gitCommit(dir?: string): GitCommit | null {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    if (!/^[0-9a-f]{40}$/.test(commit)) return null;
    return { commit, dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return null;
  }
}
