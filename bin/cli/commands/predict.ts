/**
 * `riskfn predict MODEL rows.csv [--top 3] [--json]`
 * `riskfn predict MODEL --prices PRICEFILE [--benchmark FILE] [--top 3] [--json]`
 *
 * Prints each row's predicted class, class probabilities and the features that pushed the
 * prediction most (path contributions toward the predicted class: probability = base rate +
 * Σ contributions). MODEL is a model directory (with model.json) or the model file itself.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArtifact, type ModelArtifact } from '../../../lib/domain/model/artifact.ts';
import { ModelError, TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { predictFeatureRow, predictRiskLevel, type RowPrediction } from '../../../lib/domain/model/predict.ts';
import { readTable } from '../../../lib/domain/model/table.ts';
import { defineCommand, numberOption, UsageError } from '../command-kit.ts';
import { readPriceSeries } from '../price-files.ts';

export const summary = 'predict risk levels with a trained model (rows CSV or a price file), with explanations';

const USAGE = `usage: riskfn predict MODEL ROWS.csv [--top 3] [--json]
       riskfn predict MODEL --prices PRICEFILE [--benchmark FILE] [--top 3] [--json]

MODEL is a directory written by \`riskfn train\` (model.json inside) or a model file.
ROWS.csv must have a column for every feature of the model (other columns are ignored; 'date'
and 'symbol' are shown). With --prices, the instrument's features on its last date are used.
Each prediction lists the top contributions toward the predicted class: the predicted
probability equals the base rate plus the sum of all contributions.`;

function loadModel(path: string): ModelArtifact {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TrainingDataError(`cannot read model file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {}, { cause: err });
  }
  try {
    return parseArtifact(text);
  } catch (err) {
    if (err instanceof ModelError) err.message = `${file}: ${err.message}`;
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
  return `${id}  ${p.label.padEnd(6)}  ${probs}  | base ${p.baseRate.toFixed(3)}; top: ${contrib}`;
}

export const run = defineCommand({
  name: 'predict',
  help: USAGE,
  options: {
    prices: { type: 'string' },
    benchmark: { type: 'string' },
    top: { type: 'string' },
    json: { type: 'boolean' },
  },
  run({ values, positionals }) {
    const wantRows = values.prices === undefined;
    if (positionals.length !== (wantRows ? 2 : 1)) {
      throw new UsageError(`give a model and ${wantRows ? 'a rows CSV' : 'no rows CSV with --prices'}`);
    }
    const top = numberOption('top', values.top, 3, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer');
    const artifact = loadModel(positionals[0]);
    const results: { row?: number; date?: string; symbol?: string; prediction: RowPrediction }[] = [];
    if (wantRows) {
      const file = positionals[1];
      const table = readTable(readFileSync(file, 'utf8'), {
        source: file,
        target: artifact.target,
        requireTarget: false,
        features: artifact.featureNames,
      });
      table.X.forEach((x, i) => {
        results.push({ row: i + 1, date: table.dates?.[i], symbol: table.symbols?.[i], prediction: predictFeatureRow(artifact, x) });
      });
    } else {
      const series = readPriceSeries(values.prices!);
      const r = predictRiskLevel(artifact, series, { benchmark: values.benchmark ? readPriceSeries(values.benchmark) : undefined });
      results.push({
        date: r.asOf,
        symbol: series.symbol,
        prediction: { label: r.riskLevel, probabilities: r.probabilities, contributions: r.contributions, baseRate: r.baseRate },
      });
    }
    if (values.json) {
      console.log(
        JSON.stringify(
          results.map((r) => ({ ...r, prediction: { ...r.prediction, contributions: r.prediction.contributions.slice(0, top || undefined) } })),
          null,
          2,
        ),
      );
    } else {
      for (const r of results) {
        const id = [r.row !== undefined ? `row ${r.row}` : '', r.date ?? '', r.symbol ?? ''].filter(Boolean).join(' ');
        console.log(formatPrediction(id, r.prediction, top));
      }
    }
    return 0;
  },
});
