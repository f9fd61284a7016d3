/**
 * `riskfn predict MODEL rows.csv [--top 3] [--json]`
 * `riskfn predict MODEL --prices PRICEFILE [--benchmark FILE] [--top 3] [--json]`
 *
 * Prints each row's predicted class, class probabilities and the features that pushed the
 * prediction most (path contributions toward the predicted class: probability = base rate +
 * Σ contributions + the calibration's adjustment). MODEL is a model directory (with model.json) or the model file itself.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DomainError } from '../../../lib/domain/errors.ts';
import { type ModelArtifact, parseArtifact } from '../../../lib/domain/model/artifact.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { readTable } from '../../../lib/domain/model/feature-table.ts';
import { predictFeatureRow, predictRiskLevel, type RowPrediction } from '../../../lib/domain/model/predict.ts';
import { integerOption, paragraphs, UsageError } from '../command-kit.ts';
import { toJson } from '../format.ts';
import { checkStdinOnce, inputName, outputOption, readInput, STDIO, writeOutput } from '../io.ts';
import { addPriceFileOptions, type PriceFileOptions, readPriceSeries } from '../price-files.ts';

interface PredictOptions extends PriceFileOptions {
  prices?: string;
  benchmark?: string;
  top: number;
  json?: boolean;
  output: string;
}

export function register(program: Command): void {
  const command = program
    .command('predict')
    .summary('predict risk levels with a trained model (rows CSV or a price file), with explanations')
    .description(
      paragraphs(`MODEL is a directory written by \`riskfn train\` (model.json inside) or a model file.
ROWS.csv must have a column for every feature of the model (other columns are ignored; 'date'
and 'symbol' are shown). With --prices, the instrument's features on its last date are used.
Each prediction lists the top contributions toward the predicted class: the predicted
probability equals the base rate plus the sum of all contributions (the forest's vote share)
plus the calibration's adjustment (the map from vote shares to calibrated probabilities).`),
    )
    .usage('[options] MODEL ROWS.csv\n       riskfn predict [options] MODEL --prices PRICEFILE')
    .argument('<model>', "model directory or model file ('-' reads the model file from stdin)")
    .argument('[rows]', "CSV of feature rows ('-' reads stdin); not with --prices")
    .option('--prices <file>', "predict from a price file's last date instead of a rows CSV")
    .option('--benchmark <file>', 'benchmark price file, for models with benchmark features (with --prices)')
    .addOption(integerOption('--top <n>', 'contributions shown per prediction', { min: 0, default: 3 }))
    .option('--json', 'print one JSON array')
    .addOption(outputOption('the predictions'));
  addPriceFileOptions(command).action((model: string, rows: string | undefined, opts: PredictOptions) => run(model, rows, opts));
}

/** The model of `riskfn train`: a model directory (model.json inside), a model file, or `-` (stdin). */
export async function loadModel(path: string): Promise<ModelArtifact> {
  const file = path !== STDIO && existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
  let text: string;
  try {
    text = await readInput(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err;
    throw new TrainingDataError(`cannot read model file ${file}: ${code}`, {}, { cause: err });
  }
  try {
    return parseArtifact(text);
  } catch (err) {
    if (err instanceof DomainError) err.message = `${inputName(file)}: ${err.message}`;
    throw err;
  }
}

const fmt = (v: number): string => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4));
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;

function formatPrediction(id: string, p: RowPrediction, top: number): string {
  const probs = Object.entries(p.probabilities)
    .map(([c, v]) => `${c} ${v.toFixed(3)}`)
    .join('  ');
  const contrib = p.contributions
    .slice(0, top)
    .map((c) => `${c.feature}=${fmt(c.value)} (${signed(c.contribution)})`)
    .join(', ');
  return `${id}  ${p.label.padEnd(6)}  ${probs}  | base ${p.baseRate.toFixed(3)}, calibration ${signed(p.calibration)}; top: ${contrib}`;
}

async function run(modelPath: string, rowsPath: string | undefined, opts: PredictOptions): Promise<void> {
  if (opts.prices === undefined && rowsPath === undefined) throw new UsageError('missing ROWS.csv (or give --prices PRICEFILE)');
  if (opts.prices !== undefined && rowsPath !== undefined) throw new UsageError('give either ROWS.csv or --prices, not both');
  if (opts.benchmark !== undefined && opts.prices === undefined) throw new UsageError('--benchmark goes with --prices');
  checkStdinOnce([modelPath, rowsPath, opts.prices, opts.benchmark]);
  const { top } = opts;
  const artifact = await loadModel(modelPath);
  const results: { row?: number; date?: string; symbol?: string; prediction: RowPrediction }[] = [];
  if (rowsPath !== undefined) {
    const table = readTable(await readInput(rowsPath), {
      source: inputName(rowsPath),
      target: null,
      features: artifact.featureNames,
    });
    table.X.forEach((x, i) => {
      results.push({ row: i + 1, date: table.dates?.[i], symbol: table.symbols?.[i], prediction: predictFeatureRow(artifact, x) });
    });
  } else {
    const series = await readPriceSeries(opts.prices!, opts);
    const r = predictRiskLevel(artifact, series, { benchmark: opts.benchmark ? await readPriceSeries(opts.benchmark, opts) : undefined });
    results.push({
      date: r.asOf,
      symbol: series.symbol,
      prediction: { label: r.riskLevel, probabilities: r.probabilities, contributions: r.contributions, baseRate: r.baseRate, calibration: r.calibration },
    });
  }
  if (opts.json) {
    const shown = results.map((r) => ({ ...r, prediction: { ...r.prediction, contributions: r.prediction.contributions.slice(0, top || undefined) } }));
    writeOutput(opts.output, `${toJson(shown)}\n`);
    return;
  }
  const lines = results.map((r) => {
    const id = [r.row !== undefined ? `row ${r.row}` : '', r.date ?? '', r.symbol ?? ''].filter(Boolean).join(' ');
    return formatPrediction(id, r.prediction, top);
  });
  writeOutput(opts.output, `${lines.join('\n')}\n`);
}
