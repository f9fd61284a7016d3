/**
 * Writes docs/openapi.json from the zod schemas (functions/api/openapi-document.ts).
 *   npx tsx scripts/generate-openapi.ts          # (re)write the file
 *   npx tsx scripts/generate-openapi.ts --check  # exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../functions/api/openapi-document.ts';

export const OPENAPI_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'openapi.json');

/** The file's exact text: 2-space JSON and a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = openApiText();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OPENAPI_PATH, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${OPENAPI_PATH} is stale: run npx tsx scripts/generate-openapi.ts`);
      process.exit(1);
    }
    console.log(`${OPENAPI_PATH} is up to date`);
  } else {
    writeFileSync(OPENAPI_PATH, text);
    console.log(`wrote ${OPENAPI_PATH}`);
  }
}
