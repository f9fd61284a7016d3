/**
 * `riskfn train dataset.csv [--target risk_level] [--split time|random] [--test-size 0.3]
 *  [--trees 100] [--seed 42] [--max-depth N | --tune] [--min-samples-leaf N] [--horizon N] [--drop a,b] -o model/`
 *
 * The seed's flow on any numeric CSV: drop the target (and the date/symbol id columns), split,
 * train the forest, evaluate against the majority and persistence baselines. Writes
 * model/model.json (the artifact), model/evaluation_metrics.json and model/model-summary.txt.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeArtifact } from '../../../lib/domain/model/artifact.ts';
import { DatasetMetaSchema, metaPathFor, type DatasetMeta } from '../../../lib/domain/model/dataset-meta.ts';
import { TrainingDataError } from '../../../lib/domain/model/errors.ts';
import { formatArtifactSummary, formatEvaluation } from '../../../lib/domain/model/report-text.ts';
import { readTable } from '../../../lib/domain/model/table.ts';
import { TRAIN_DEFAULTS, trainTable } from '../../../lib/domain/model/train.ts';
import { canonicalJson } from '../../../lib/domain/scoring/canonical-json.ts';
import { defineCommand, numberOption, UsageError } from '../command-kit.ts';

export const summary = 'train the risk model on a dataset CSV and evaluate it against baselines';

const USAGE = `usage: riskfn train DATASET.csv [--target risk_level] [--split time|random] [--test-size 0.3]
                    [--trees 100] [--seed 42] [--max-depth N | --tune] [--min-samples-leaf N]
                    [--horizon N] [--drop COL,...] -o MODEL_DIR

Every column except the target, 'date' and 'symbol' (and --drop) must be numeric: it is a feature.
With a date column the default split is time-ordered: the last --test-size of dates are the test
period and the --horizon dates before it are purged from training (labels look that far ahead).
--split random shuffles rows as the seed did; with overlapping forward-looking labels it leaks the
future into training and flatters the score (docs/model.md). --horizon defaults to the dataset's
meta file (written by \`riskfn dataset\`), else 21. --tune picks the tree depth on a purged
validation slice at the end of the training period (never on the test rows).
Writes MODEL_DIR/model.json, evaluation_metrics.json and model-summary.txt.`;

function intOption(name: string, raw: string | undefined, fallback: number | undefined): number | undefined {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  // A bad option value is a usage error (exit 2), like every other command's.
  if (raw.trim() === '' || !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got '${raw}'`);
  return v;
}

function readMeta(csvPath: string): DatasetMeta | null {
  const p = metaPathFor(csvPath);
  if (!existsSync(p)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(p, 'utf8'));
  } catch (err) {
    throw new TrainingDataError(`${p} is not valid JSON: ${(err as Error).message}`, {}, { cause: err });
  }
  const parsed = DatasetMetaSchema.safeParse(json);
  if (!parsed.success) throw new TrainingDataError(`${p} is not a riskfn dataset meta file: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

export const run = defineCommand({
  name: 'train',
  help: USAGE,
  options: {
    target: { type: 'string' },
    split: { type: 'string' },
    'test-size': { type: 'string' },
    trees: { type: 'string' },
    seed: { type: 'string' },
    'max-depth': { type: 'string' },
    'min-samples-leaf': { type: 'string' },
    tune: { type: 'boolean' },
    horizon: { type: 'string' },
    drop: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  run({ values, positionals }) {
    if (positionals.length !== 1 || !values.output) {
      throw new UsageError(positionals.length !== 1 ? 'give exactly one dataset CSV' : 'no output directory given (-o model/)');
    }
    if (values.split !== undefined && values.split !== 'time' && values.split !== 'random') {
      throw new UsageError(`--split must be 'time' or 'random', got '${values.split}'`);
    }
    if (values.tune && values['max-depth'] !== undefined) {
      throw new UsageError('--tune chooses the depth itself; give either --tune or --max-depth');
    }
    const file = positionals[0];
    const target = values.target ?? 'risk_level';
    const meta = readMeta(file);
    const metaApplies = meta !== null && meta.target === target;
    const horizon = intOption('horizon', values.horizon, metaApplies ? meta.horizon : 21)!;
    if (horizon < 0) throw new TrainingDataError(`--horizon must be >= 0, got ${horizon}`);
    const testSize = numberOption('test-size', values['test-size'], TRAIN_DEFAULTS.testSize, (v) => v > 0 && v < 1, 'a fraction in (0, 1)');
    const table = readTable(readFileSync(file, 'utf8'), {
      target,
      source: file,
      drop: values.drop ? values.drop.split(',').map((s) => s.trim()) : [],
      horizon: horizon > 0 ? horizon : null,
    });
    const split = (values.split as 'time' | 'random' | undefined) ?? (table.dates ? 'time' : 'random');
    const notes: string[] = [];
    if (!table.dates && values.split === undefined) notes.push('no date column: rows were split at random (no purge gap)');
    const result = trainTable(
      table,
      {
        split,
        testSize,
        trees: intOption('trees', values.trees, TRAIN_DEFAULTS.trees),
        seed: intOption('seed', values.seed, TRAIN_DEFAULTS.seed),
        maxDepth: intOption('max-depth', values['max-depth'], undefined),
        minSamplesLeaf: intOption('min-samples-leaf', values['min-samples-leaf'], undefined),
        tune: values.tune ?? false,
      },
      { target, horizon: horizon > 0 ? horizon : null, thresholds: metaApplies ? meta.thresholds : null, notes },
    );
    const { artifact, evaluation } = result;
    if (metaApplies && evaluation.testFrom !== null && evaluation.testFrom <= meta.thresholdFit.to) {
      evaluation.notes.push(
        `the labels' class thresholds were fit on rows up to ${meta.thresholdFit.to}, which overlaps this test period (from ${evaluation.testFrom}); ` +
          `rebuild the dataset with --test-size ${testSize} for a clean evaluation`,
      );
    }
    const outDir = values.output;
    mkdirSync(outDir, { recursive: true });
    const modelPath = join(outDir, 'model.json');
    writeFileSync(modelPath, serializeArtifact(artifact));
    writeFileSync(join(outDir, 'evaluation_metrics.json'), `${JSON.stringify(JSON.parse(canonicalJson(evaluation)), null, 2)}\n`);
    const text = `${formatArtifactSummary(artifact)}\n\n${formatEvaluation(evaluation)}\n`;
    writeFileSync(join(outDir, 'model-summary.txt'), text);
    console.log(text);
    console.log(`wrote ${modelPath}, ${join(outDir, 'evaluation_metrics.json')}, ${join(outDir, 'model-summary.txt')}`);
    return 0;
  },
});
