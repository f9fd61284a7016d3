/**
 * `riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv`
 *
 * Builds the leak-free training CSV (one row per instrument-day: date, symbol, features from
 * prices up to that day, risk_level from the next `horizon` days) and its sidecar
 * `dataset.meta.json` (horizon, class thresholds and the training period they were fit on).
 */
import type { Command } from 'commander';
import { buildTrainingSet, DEFAULT_HORIZON } from '../../../lib/domain/model/dataset.ts';
import { DATASET_META_FORMAT, type DatasetMeta, metaPathFor } from '../../../lib/domain/model/dataset-meta.ts';
import { classifyVolatility } from '../../../lib/domain/model/labels.ts';
import { formatDatasetCsv } from '../../../lib/domain/model/table.ts';
import { fitSetThresholds, TRAIN_DEFAULTS } from '../../../lib/domain/model/train.ts';
import { RISK_LEVELS } from '../../../lib/domain/model/types.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { integerOption, numberOption } from '../command-kit.ts';
import { checkStdinOnce, messageWriter, STDIO, writeOutput } from '../io.ts';
import { addPriceFileOptions, type PriceFileOptions, readPriceSeries } from '../price-files.ts';
import { withProgress } from '../progress.ts';

interface DatasetOptions extends PriceFileOptions {
  horizon: number;
  benchmark?: string;
  testSize: number;
  output: string;
}

export function register(program: Command): void {
  const command = program
    .command('dataset')
    .summary('build the model training CSV (features + risk_level label) from price files')
    .description(
      `One row per instrument-day: date, symbol, features computed from prices up to that day, and
risk_level (low/medium/high) from the realised volatility of the next --horizon trading days.
Class thresholds are the tertiles of forward volatility on the training period only (the first
1 - test-size of dates, minus a purge gap of --horizon dates), as \`riskfn train\` will split.
Writes the CSV and, beside it, DATASET.meta.json (horizon, thresholds, fit period); with -o -
the CSV goes to stdout and no meta file is written. See docs/model.md.`,
    )
    .argument('<pricefile...>', "price files, one per instrument ('-' reads one from stdin)")
    .addOption(
      integerOption('--horizon <days>', 'label horizon in trading days', { min: 2, default: DEFAULT_HORIZON, expected: 'an integer >= 2 (trading days)' }),
    )
    .option('--benchmark <file>', 'benchmark price file (adds beta/correlation features)')
    .addOption(
      numberOption('--test-size <fraction>', 'share of dates held out for testing', {
        check: (v) => v > 0 && v < 1,
        expected: 'a fraction in (0, 1)',
        default: TRAIN_DEFAULTS.testSize,
      }),
    )
    .requiredOption('-o, --output <file>', "the dataset CSV to write ('-' for stdout)");
  addPriceFileOptions(command).action((files: string[], opts: DatasetOptions) => run(files, opts));
}

async function run(files: string[], opts: DatasetOptions): Promise<void> {
  checkStdinOnce([...files, opts.benchmark]);
  const { horizon, testSize, output: out } = opts;
  const say = messageWriter(out === STDIO);
  const series = await withProgress('reading prices', files.length, async (progress) => {
    const read: PriceSeries[] = [];
    for (const f of files) {
      read.push(await readPriceSeries(f, opts));
      progress.update(read.length);
    }
    return read;
  });
  const benchmark = opts.benchmark ? await readPriceSeries(opts.benchmark, opts) : undefined;
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
  writeOutput(out, formatDatasetCsv(set, thresholds));
  const metaPath = out === STDIO ? null : metaPathFor(out);
  if (metaPath) writeOutput(metaPath, `${JSON.stringify(meta, null, 2)}\n`);

  const counts = (rows: typeof set.rows) =>
    RISK_LEVELS.map((c) => `${c} ${rows.filter((r) => classifyVolatility(r.forwardVol, thresholds) === c).length}`).join(', ');
  say(
    `wrote ${out === STDIO ? 'stdout' : out}: ${set.rows.length} rows, ${meta.symbols.length} instruments (${meta.symbols.join(', ')}), ${set.rows[0].date} .. ${set.rows[set.rows.length - 1].date}`,
  );
  say(`features (${set.featureNames.length}): ${set.featureNames.join(', ')}`);
  say(
    `risk_level: ${horizon}-day forward volatility; low <= ${thresholds.lowMax.toFixed(4)} < medium <= ${thresholds.mediumMax.toFixed(4)} < high ` +
      `(tertiles of ${fitRows.length} training rows ${meta.thresholdFit.from} .. ${meta.thresholdFit.to}; test period from ${meta.thresholdFit.testFrom})`,
  );
  say(`classes: training period ${counts(fitRows)}; all rows ${counts(set.rows)}`);
  say(metaPath ? `wrote ${metaPath}` : `no meta file with -o -: give \`riskfn train\` --horizon ${horizon}`);
}
