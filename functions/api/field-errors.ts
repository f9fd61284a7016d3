/** zod issues → the `errors` member of a problem document (one entry per bad field). */
import type * as z from 'zod';
import type { FieldError } from '../../lib/schemas/problem-details.ts';

/** Most field errors listed in one answer (a body of 50 000 bad prices must not make a 5 MB reply). */
export const MAX_FIELD_ERRORS = 20;

/** RFC 6901 JSON Pointer of a zod issue path (`""` = the whole document). */
export function jsonPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((seg) => `/${String(seg).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function fieldErrors(error: z.ZodError, max = MAX_FIELD_ERRORS): FieldError[] {
  const all: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // zod reports unknown keys on the parent; name each key instead.
      for (const key of issue.keys) all.push({ path: jsonPointer([...issue.path, key]), message: 'unknown field' });
    } else {
      all.push({ path: jsonPointer(issue.path), message: issue.message });
    }
  }
  if (all.length <= max) return all;
  const shown = all.slice(0, max - 1);
  shown.push({ path: '', message: `... and ${all.length - shown.length} more errors` });
  return shown;
}
