/**
 * Writes the rows of every walk-forward fold of a dataset (as `riskfn train` plans them with its
 * defaults: test block, training rows, and the calibration slice inside them with the rows before
 * it) as JSON, so an experiment in another language can fit its own models on exactly the same
 * folds (scripts/har-residual-forest.py).
 *
 *   npx tsx scripts/walk-forward-folds.ts dataset.csv folds.json
 *
 * The dataset is what `riskfn dataset` writes (its .meta.json beside it). Row indices count the
 * dataset's data rows from 0, in file order; `rows` repeats each row's `date|symbol` so a reader
 * can check it read the same rows.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { calibrationSlice, foldRows, planWalkForward, resolveOptions } from '../lib/domain/model/walk-forward.ts';
import { decodeTrainingSet, metaPathFor } from '../lib/domain/training/training-set-codec.ts';

const [csv, out] = process.argv.slice(2);
if (!csv || !out) {
  console.error('usage: npx tsx scripts/walk-forward-folds.ts dataset.csv folds.json');
  process.exit(2);
}
const meta = metaPathFor(csv);
const set = decodeTrainingSet(readFileSync(csv, 'utf8'), existsSync(meta) ? readFileSync(meta, 'utf8') : null);
const o = resolveOptions(set, {});
const folds = planWalkForward(set, {}).folds.map((fold) => {
  const { train, test } = foldRows(set, fold);
  // The calibration slice exactly as the fold's refit plan cuts it.
  const inner = calibrationSlice(set, train, o);
  return { index: fold.index, train, test, beforeSlice: inner?.fit ?? [], slice: inner?.slice ?? [] };
});
writeFileSync(out, JSON.stringify({ featureNames: set.featureNames, purgeGap: o.purgeGap, rows: set.rows.map((r) => `${r.date}|${r.symbol}`), folds }));
console.log(`${out}: ${folds.length} folds of ${set.rows.length} rows`);
