/**
 * `riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--test-size 0.3] -o dataset.csv`
 *
 * Builds the leak-free training CSV (one row per instrument-day: date, symbol, features from
 * prices up to that day, risk_level from the next `horizon` days) and its sidecar
 * `dataset.meta.json` (horizon, class thresholds and the training period they were fit on).
 */
import type { Command } from 'commander';
import { buildTrainingSet } from '../../../lib/domain/model/dataset.ts';
import { TRAIN_DEFAULTS } from '../../../lib/domain/model/defaults.ts';
import { describeTrainingSet } from '../../../lib/domain/model/report-text.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { encodeTrainingSet, metaPathFor } from '../../../lib/domain/training/training-set-codec.ts';
import { integerOption, numberOption, paragraphs } from '../command-kit.ts';
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
      paragraphs(`One row per instrument-day: date, symbol, features computed from prices up to that day, and
risk_level (low/medium/high) from the realised volatility of the next --horizon trading days.
Class thresholds are the tertiles of forward volatility on the training period only (the first
1 - test-size of dates, minus a purge gap of --horizon dates), as \`riskfn train\` will split.
Writes the CSV and, beside it, DATASET.meta.json (how the labels were made); with -o -
the CSV goes to stdout and no meta file is written. See docs/model.md.`),
    )
    .argument('<pricefile...>', "price files, one per instrument ('-' reads one from stdin)")
    .addOption(
      integerOption('--horizon <days>', 'label horizon in trading days', {
        min: 2,
        default: TRAIN_DEFAULTS.horizon,
        expected: 'an integer >= 2 (trading days)',
      }),
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
  const set = buildTrainingSet(series, { horizon, benchmark, testSize });
  const { table, meta } = encodeTrainingSet(set);
  writeOutput(out, table);
  const metaPath = out === STDIO ? null : metaPathFor(out);
  if (metaPath) writeOutput(metaPath, meta);
  const [summary, ...details] = describeTrainingSet(set);
  say(`wrote ${out === STDIO ? 'stdout' : out}: ${summary}`);
  for (const line of details) say(line);
  say(metaPath ? `wrote ${metaPath}` : `no meta file with -o -: give \`riskfn train\` --horizon ${horizon}`);
}
