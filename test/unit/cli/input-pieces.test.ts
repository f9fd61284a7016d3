/**
 * A dataset file read in pieces of whole lines decodes to the same training set as read whole:
 * how `riskfn train` reads a table longer than one string can be.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readInputLines } from '../../../bin/cli/io.ts';
import { decodeTrainingSet, encodeTrainingSet, encodeTrainingSetChunks } from '../../../lib/domain/training/training-set-codec.ts';
import { smallSet } from '../model/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'riskfn-pieces-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a file over the piece size is read in line-aligned pieces that decode to the same set', async () => {
  const set = smallSet();
  const { table, meta } = encodeTrainingSet(set);
  assert.equal(encodeTrainingSetChunks(set).table.join(''), table);
  const path = join(dir, 'dataset.csv');
  writeFileSync(path, table);
  const pieces = await readInputLines(path, 64 * 1024);
  assert.ok(pieces.length >= Math.floor(Buffer.byteLength(table) / (64 * 1024)), `${pieces.length} pieces`);
  assert.ok(
    pieces.every((p) => p.endsWith('\n') && Buffer.byteLength(p) <= 64 * 1024),
    'each piece ends a line and fits the size',
  );
  assert.equal(pieces.join(''), table);
  assert.deepEqual(decodeTrainingSet(pieces, meta, { source: path }), set);
  // Under the piece size: one piece, the whole text.
  assert.deepEqual(await readInputLines(path), [table]);
});
