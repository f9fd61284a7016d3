/** Absolute path of the repository root (two levels above lib/infra), for Lambda entry files and the lock file. */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
