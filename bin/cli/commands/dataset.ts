/**
 * `riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv`
 *
 * Builds the leak-free training CSV (one row per instrument-day: date, symbol, features from
 * prices up to that day, risk_level from the next `horizon` days) and its sidecar
 * `dataset.meta.json` (horizon, class thresholds and the training period they were fit on).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_HORIZON, buildTrainingSet } from '../../../lib/domain/model/dataset.ts';
import { DATASET_META_FORMAT, metaPathFor, type DatasetMeta } from '../../../lib/domain/model/dataset-meta.ts';
import { classifyVolatility } from '../../../lib/domain/model/labels.ts';
import { TRAIN_DEFAULTS, fitSetThresholds } from '../../../lib/domain/model/train.ts';
import { formatDatasetCsv } from '../../../lib/domain/model/table.ts';
import { RISK_LEVELS } from '../../../lib/domain/model/types.ts';
import { defineCommand, numberOption, UsageError } from '../command-kit.ts';
import { readPriceSeries } from '../price-files.ts';

export const summary = 'build the model training CSV (features + risk_level label) from price files';

const USAGE = `usage: riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv

One row per instrument-day: date, symbol, features computed from prices up to that day, and
risk_level (low/medium/high) from the realised volatility of the next --horizon trading days.
Class thresholds are the tertiles of forward volatility on the training period only (the first
1 - test-size of dates, minus a purge gap of --horizon dates), as \`riskfn train\` will split.
Writes dataset.csv and dataset.meta.json (horizon, thresholds, fit period). See docs/model.md.`;

export const run = defineCommand({
  name: 'dataset',
  help: USAGE,
  options: {
    horizon: { type: 'string' },
    benchmark: { type: 'string' },
    'test-size': { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  run({ values, positionals }) {
    if (positionals.length === 0 || !values.output) {
      throw new UsageError(positionals.length === 0 ? 'no price files given' : 'no output file given (-o dataset.csv)');
    }
    // Bad option values are usage errors (exit 2), as in every command.
    const horizon = numberOption('horizon', values.horizon, DEFAULT_HORIZON, (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2 (trading days)');
    const testSize = numberOption('test-size', values['test-size'], TRAIN_DEFAULTS.testSize, (v) => v > 0 && v < 1, 'a fraction in (0, 1)');
    const series = positionals.map(readPriceSeries);
    const benchmark = values.benchmark ? readPriceSeries(values.benchmark) : undefined;
    const set = buildTrainingSet(series, { horizon, benchmark });
    const { thresholds, split } = fitSetThresholds(set, { split: 'time', testSize });
    const fitRows = split.train.map((i) => set.rows[i]);
    const meta: DatasetMeta = {
      format: DATASET_META_FORMAT,
      formatVersion: 1,
      target: 'risk_level',
      horizon,
      thresholds,
      thresholdFit: {
        testSize,
        rows: fitRows.length,
        from: fitRows[0].date,
        to: fitRows[fitRows.length - 1].date,
        testFrom: split.testFrom!,
      },
      featureNames: set.featureNames,
      symbols: [...new Set(set.rows.map((r) => r.symbol))].sort(),
      benchmark: set.benchmark ?? null,
      rows: set.rows.length,
    };
    const out = values.output;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, formatDatasetCsv(set, thresholds));
    const metaPath = metaPathFor(out);
    writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);

    const counts = (rows: typeof set.rows) =>
      RISK_LEVELS.map((c) => `${c} ${rows.filter((r) => classifyVolatility(r.forwardVol, thresholds) === c).length}`).join(', ');
    console.log(`wrote ${out}: ${set.rows.length} rows, ${meta.symbols.length} instruments (${meta.symbols.join(', ')}), ${set.rows[0].date} .. ${set.rows[set.rows.length - 1].date}`);
    console.log(`features (${set.featureNames.length}): ${set.featureNames.join(', ')}`);
    console.log(
      `risk_level: ${horizon}-day forward volatility; low <= ${thresholds.lowMax.toFixed(4)} < medium <= ${thresholds.mediumMax.toFixed(4)} < high ` +
        `(tertiles of ${fitRows.length} training rows ${meta.thresholdFit.from} .. ${meta.thresholdFit.to}; test period from ${meta.thresholdFit.testFrom})`,
    );
    console.log(`classes: training period ${counts(fitRows)}; all rows ${counts(set.rows)}`);
    console.log(`wrote ${metaPath}`);
    return 0;
  },
});
