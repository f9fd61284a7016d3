/**
 * `riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv`
 *
 * Builds the leak-free training CSV (one row per instrument-day: date, symbol, features from
 * prices up to that day, risk_level from the next `horizon` days) and its sidecar
 * `dataset.meta.json` (horizon, class thresholds and the training period they were fit on).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { FeatureInputError } from '../../../lib/domain/features/index.ts';
import { PriceFileError, parsePriceCsv } from '../../../lib/domain/prices/parse-price-csv.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { DEFAULT_HORIZON, buildTrainingSet, validateHorizon } from '../../../lib/domain/model/dataset.ts';
import { DATASET_META_FORMAT, metaPathFor, type DatasetMeta } from '../../../lib/domain/model/dataset-meta.ts';
import { ModelError } from '../../../lib/domain/model/errors.ts';
import { classifyVolatility } from '../../../lib/domain/model/labels.ts';
import { TRAIN_DEFAULTS, fitSetThresholds } from '../../../lib/domain/model/train.ts';
import { formatDatasetCsv } from '../../../lib/domain/model/table.ts';
import { RISK_LEVELS } from '../../../lib/domain/model/types.ts';

export const summary = 'build the model training CSV (features + risk_level label) from price files';

const USAGE = `usage: riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv

One row per instrument-day: date, symbol, features computed from prices up to that day, and
risk_level (low/medium/high) from the realised volatility of the next --horizon trading days.
Class thresholds are the tertiles of forward volatility on the training period only (the first
1 - test-size of dates, minus a purge gap of --horizon dates), as \`riskfn train\` will split.
Writes dataset.csv and dataset.meta.json (horizon, thresholds, fit period). See docs/model.md.`;

function readSeries(file: string): PriceSeries {
  const stem = basename(file, extname(file));
  return parsePriceCsv(readFileSync(file, 'utf8'), { source: file, symbol: stem });
}

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        horizon: { type: 'string' },
        benchmark: { type: 'string' },
        'test-size': { type: 'string' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`riskfn dataset: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0 || !values.output) {
    console.error(`riskfn dataset: ${positionals.length === 0 ? 'no price files given' : 'no output file given (-o dataset.csv)'}\n\n${USAGE}`);
    return 2;
  }
  try {
    const horizon = validateHorizon(values.horizon === undefined ? DEFAULT_HORIZON : Number(values.horizon));
    const testSize = values['test-size'] === undefined ? TRAIN_DEFAULTS.testSize : Number(values['test-size']);
    const series = positionals.map(readSeries);
    const benchmark = values.benchmark ? readSeries(values.benchmark) : undefined;
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
  } catch (err) {
    if (err instanceof PriceFileError || err instanceof ModelError || err instanceof FeatureInputError) {
      console.error(`riskfn dataset: ${err.message}`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code && (err as NodeJS.ErrnoException).path) {
      const e = err as NodeJS.ErrnoException;
      console.error(`riskfn dataset: cannot ${e.syscall ?? 'access'} ${e.path}: ${e.code}`);
      return 1;
    }
    throw err;
  }
}
