/**
 * `riskfn drift MODEL PRICEFILE... [--days 63] [--threshold 0.25] [--features a,b] [--json]`
 *
 * Has the market moved away from what the model learnt? The population stability index (PSI)
 * of each feature on the price files' last DAYS days against the model's training distribution
 * of it (stored in the model at training). Exit 0: no feature above the threshold; exit 1: a
 * feature drifted (the report is printed first) or an input is unusable (no report).
 */
import type { Command } from 'commander';
import { DRIFT_RECENT_DAYS, driftReport, formatDriftReport, PSI_RETRAIN_THRESHOLD, recentFeatureRows } from '../../../lib/domain/model/drift.ts';
import { DataError, integerOption, numberOption, paragraphs, UsageError } from '../command-kit.ts';
import { toJson } from '../format.ts';
import { checkStdinOnce, outputOption, writeOutput } from '../io.ts';
import { addPriceFileOptions, type PriceFileOptions, readPriceSeries } from '../price-files.ts';
import { loadModel } from './predict.ts';

interface DriftOptions extends PriceFileOptions {
  days: number;
  threshold: number;
  features?: string;
  benchmark?: string;
  json?: boolean;
  output: string;
}

export function register(program: Command): void {
  const command = program
    .command('drift')
    .summary("population stability index of recent data against the model's training distributions")
    .description(
      paragraphs(`MODEL is a directory written by \`riskfn train\` (model.json inside) or a model file; it
stores the decile bins of each feature on its training rows. The features of the last DAYS days
of every PRICEFILE are binned the same way and compared: PSI = Σ (recent share − training share)
· ln(recent share / training share) over the bins. Below 0.1 the feature is stable, 0.1–0.25 it
moved, above the threshold (default ${PSI_RETRAIN_THRESHOLD}) it drifted: retrain the model. Exit code 0
when no feature drifted, 1 when one did (after printing the report) or an input is unusable.`),
    )
    .argument('<model>', 'model directory or model file')
    .argument('<prices...>', 'price files of the instruments to check')
    .addOption(integerOption('--days <n>', 'recent trading days of each file', { min: 5, default: DRIFT_RECENT_DAYS }))
    .addOption(
      numberOption('--threshold <psi>', 'PSI above which a feature counts as drifted', {
        check: (v) => v > 0,
        expected: 'a number > 0',
        default: PSI_RETRAIN_THRESHOLD,
      }),
    )
    .option('--features <names>', 'comma-separated features to check (default: all of the model)')
    .option('--benchmark <file>', 'benchmark price file, for models with benchmark features')
    .option('--json', 'print the report as JSON')
    .addOption(outputOption('the report'));
  addPriceFileOptions(command).action((model: string, prices: string[], opts: DriftOptions) => run(model, prices, opts));
}

async function run(modelPath: string, pricePaths: string[], opts: DriftOptions): Promise<void> {
  checkStdinOnce([modelPath, ...pricePaths, opts.benchmark]);
  const features = opts.features
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (features?.length === 0) throw new UsageError('--features names no feature');
  const artifact = await loadModel(modelPath);
  const checked = features ?? artifact.featureNames;
  // Features the model does not have are named before any is computed.
  const unknown = checked.filter((f) => !artifact.featureNames.includes(f));
  if (unknown.length > 0) throw new DataError(`the model has no feature(s) ${unknown.join(', ')}; its features: ${artifact.featureNames.join(', ')}`);
  const series = await Promise.all(pricePaths.map((p) => readPriceSeries(p, opts)));
  const benchmark = opts.benchmark === undefined ? undefined : await readPriceSeries(opts.benchmark, opts);
  const rows = recentFeatureRows(series, checked, opts.days, { benchmark });
  const report = driftReport(artifact.featureDistributions, checked, rows, opts.threshold);
  writeOutput(opts.output, opts.json ? `${toJson(report)}\n` : `${formatDriftReport(report)}\n`);
  if (report.drifted.length > 0) throw new DataError(`${report.drifted.length} feature(s) drifted above PSI ${opts.threshold}: ${report.drifted.join(', ')}`);
}
