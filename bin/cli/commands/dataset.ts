/**
 * `riskfn dataset PRICEFILE... [--horizon 21] [--benchmark FILE] [--bands 0.15,0.25] [--cross-section] -o dataset.csv`
 *
 * Builds the leak-free training CSV (one row per instrument-day: date, symbol, features from
 * prices up to that day, risk_level from the next `horizon` days) and its sidecar
 * `dataset.meta.json` (horizon and the volatility bands of the classes).
 */
import { type Command, Option } from 'commander';
import { buildTrainingSet } from '../../../lib/domain/model/dataset.ts';
import { TRAIN_DEFAULTS } from '../../../lib/domain/model/defaults.ts';
import { DEFAULT_VOLATILITY_BANDS } from '../../../lib/domain/model/labels.ts';
import { describeTrainingSet } from '../../../lib/domain/model/report-text.ts';
import type { ClassThresholds } from '../../../lib/domain/model/types.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { encodeTrainingSetChunks, metaPathFor } from '../../../lib/domain/training/training-set-codec.ts';
import { integerOption, paragraphs, UsageError } from '../command-kit.ts';
import { checkStdinOnce, messageWriter, STDIO, writeOutput } from '../io.ts';
import { addPriceFileOptions, type PriceFileOptions, readPriceSeries } from '../price-files.ts';
import { withProgress } from '../progress.ts';

interface DatasetOptions extends PriceFileOptions {
  horizon: number;
  benchmark?: string;
  bands: ClassThresholds;
  crossSection?: boolean;
  output: string;
}

export function register(program: Command): void {
  const command = program
    .command('dataset')
    .summary('build the model training CSV (features + risk_level label) from price files')
    .description(
      paragraphs(`One row per instrument-day: date, symbol, features computed from prices up to that day, and
risk_level (low/medium/high) from the annualised realised volatility of the next --horizon
trading days: low up to 15%, medium up to 25%, high above (the upper bands of the European
SRRI risk classes; --bands for other asset classes). The bands are fixed, not fit to the data,
so a level means the same for every instrument and period.
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
      new Option('--bands <low,medium>', 'upper bounds of low and medium, annualised volatility fractions')
        .argParser(parseBands)
        .default({ ...DEFAULT_VOLATILITY_BANDS }, `${DEFAULT_VOLATILITY_BANDS.lowMax},${DEFAULT_VOLATILITY_BANDS.mediumMax}`),
    )
    .option(
      '--cross-section',
      "add market_vol_21 and vol_rank_21 (the set's mean volatility and the instrument's rank on each date); a model using them cannot score a single instrument",
    )
    .requiredOption('-o, --output <file>', "the dataset CSV to write ('-' for stdout)");
  addPriceFileOptions(command).action((files: string[], opts: DatasetOptions) => run(files, opts));
}

/** `0.15,0.25` → bands; two increasing positive fractions. */
function parseBands(raw: string): ClassThresholds {
  const parts = raw.split(',').map((s) => Number(s.trim()));
  const [lowMax, mediumMax] = parts;
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(lowMax > 0 && lowMax < mediumMax)) {
    throw new UsageError(`--bands must be two increasing positive annualised volatilities like 0.15,0.25, got '${raw}'`);
  }
  return { lowMax, mediumMax };
}

async function run(files: string[], opts: DatasetOptions): Promise<void> {
  checkStdinOnce([...files, opts.benchmark]);
  const { horizon, bands, output: out } = opts;
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
  const set = buildTrainingSet(series, { horizon, benchmark, thresholds: bands, crossSection: opts.crossSection });
  // In pieces: the table of a few hundred symbols over ten years is longer than one string can be.
  const { table, meta } = encodeTrainingSetChunks(set);
  writeOutput(out, table);
  const metaPath = out === STDIO ? null : metaPathFor(out);
  if (metaPath) writeOutput(metaPath, meta);
  const [summary, ...details] = describeTrainingSet(set);
  say(`wrote ${out === STDIO ? 'stdout' : out}: ${summary}`);
  for (const line of details) say(line);
  say(metaPath ? `wrote ${metaPath}` : `no meta file with -o -: give \`riskfn train\` --horizon ${horizon}`);
}
