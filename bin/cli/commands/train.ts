/**
 * `riskfn train dataset.csv [--target risk_level] [--split walk-forward|time|random] [--folds 5]
 *  [--test-size 0.3] [--trees 100] [--seed 42] [--max-depth N | --no-tune] [--min-samples-leaf N]
 *  [--horizon N] [--drop a,b] -o model/`
 *
 * Trains on a dataset `riskfn dataset` wrote (its meta file gives the label rule) or on any
 * numeric CSV with a label column, through the workflow's trainer and defaults: evaluate
 * walk-forward against the persistence, HAR and majority baselines, refit on all labelled rows,
 * say what the promotion gate would decide. Writes model/model.json (the artifact),
 * model/evaluation_metrics.json, model/model-summary.txt and the model card
 * (model/model-card.json and its page model/model-card.html).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { serializeArtifact } from '../../../lib/domain/model/artifact.ts';
import { TRAIN_DEFAULTS } from '../../../lib/domain/model/defaults.ts';
import { formatArtifactSummary, formatEvaluation } from '../../../lib/domain/model/report-text.ts';
import { trainRiskModel } from '../../../lib/domain/model/train.ts';
import { gateVerdict } from '../../../lib/domain/training/gate.ts';
import { buildModelCard, UNREGISTERED, UNSTATED_OWNER } from '../../../lib/domain/training/model-card.ts';
import { decodeTrainingSet, metaPathFor } from '../../../lib/domain/training/training-set-codec.ts';
import { renderModelCardHtml } from '../../../lib/reports/model-card/page.ts';
import { canonicalJson } from '../../../lib/util/canonical-json.ts';
import { choiceOption, integerOption, numberOption, paragraphs, UsageError } from '../command-kit.ts';
import { inputName, messageWriter, readInputLines, STDIO, writeOutput } from '../io.ts';
import { startProgress } from '../progress.ts';

interface TrainOptions {
  target: string;
  split?: 'walk-forward' | 'time' | 'random';
  folds: number;
  testSize: number;
  trees: number;
  seed: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  tune?: boolean;
  horizon?: number;
  drop?: string;
  owner: string;
  output: string;
}

export function register(program: Command): void {
  program
    .command('train')
    .summary('evaluate the risk model walk-forward against baselines, then train it on all rows')
    .description(
      paragraphs(`Every column except the target, 'date' and 'symbol' (and --drop) must be numeric: it is a feature.
With a date column the evaluation is walk-forward: the last half of the dates is cut into --folds
test blocks; each is scored by a model trained on every earlier date except the --horizon dates
just before it (purged: labels look that far ahead), beside the persistence, HAR and majority
baselines fitted on the same rows; scores are reported per fold and pooled. --split time holds
out the last --test-size of dates once; --split random shuffles rows (with overlapping
forward-looking labels that leaks the future into training and flatters the score).
In every training period the probabilities are calibrated on a purged slice of its last dates
(never on test rows), and the tree depth is picked there too unless --max-depth or --no-tune is
given. The model written is then refit on every labelled row. The last line says whether the workflow's promotion
gate would accept it. Writes MODEL_DIR/model.json, evaluation_metrics.json, model-summary.txt and
the model card, model-card.json and model-card.html (one self-contained page with charts; --owner
names who answers for the model); with -o - the model file goes to stdout and the report to stderr
(no card).`),
    )
    .argument('<dataset>', "the dataset CSV ('-' reads stdin)")
    .option('--target <column>', 'the label column', 'risk_level')
    .addOption(
      choiceOption('--split <kind>', 'evaluation (default: walk-forward with a date column, else random)', ['walk-forward', 'time', 'random'] as const),
    )
    .addOption(integerOption('--folds <n>', 'walk-forward test folds', { min: 1, default: TRAIN_DEFAULTS.folds }))
    .addOption(
      numberOption('--test-size <fraction>', 'share of dates (or rows) held out by --split time|random', {
        check: (v) => v > 0 && v < 1,
        expected: 'a fraction in (0, 1)',
        default: TRAIN_DEFAULTS.testSize,
      }),
    )
    .addOption(integerOption('--trees <n>', 'number of trees', { min: 1, default: TRAIN_DEFAULTS.trees }))
    .addOption(
      numberOption('--seed <n>', 'random seed (same seed, same model)', { check: Number.isInteger, expected: 'an integer', default: TRAIN_DEFAULTS.seed }),
    )
    .addOption(integerOption('--max-depth <n>', 'maximum tree depth (no tuning)', { min: 1 }))
    .addOption(
      integerOption('--min-samples-leaf <n>', 'fewest training rows per leaf (default: the label horizon, 21 rows; 1 for labels without a horizon)', {
        min: 1,
      }),
    )
    .option('--tune', 'choose the tree depth on the calibration slice of each training period (the default)')
    .option('--no-tune', "grow trees to full depth (scikit-learn's default) instead")
    .addOption(
      integerOption('--horizon <days>', 'label horizon in rows per symbol (purge gap, persistence baseline)', {
        min: 0,
        defaultDescription: `the dataset's meta file, else ${TRAIN_DEFAULTS.horizon}`,
      }),
    )
    .option('--drop <columns>', 'comma-separated columns to ignore')
    .option('--owner <name>', 'who answers for the model (shown on the model card)', UNSTATED_OWNER)
    .requiredOption('-o, --output <dir>', "the model directory to write ('-': the model file to stdout)")
    .action((file: string, opts: TrainOptions) => run(file, opts));
}

/** The dataset's meta file (written by `riskfn dataset`), if it has one. */
function readMetaText(csvPath: string): string | null {
  const p = csvPath === STDIO ? null : metaPathFor(csvPath);
  return p && existsSync(p) ? readFileSync(p, 'utf8') : null;
}

async function run(file: string, opts: TrainOptions): Promise<void> {
  const toStdout = opts.output === STDIO;
  const say = messageWriter(toStdout);
  // Not commander's conflicts(): `--max-depth N --no-tune` is fine, only `--tune` contradicts it.
  if (opts.tune === true && opts.maxDepth !== undefined) throw new UsageError('--tune chooses the depth itself; give either --tune or --max-depth');
  const set = decodeTrainingSet(await readInputLines(file), readMetaText(file), {
    source: inputName(file),
    target: opts.target,
    drop: opts.drop ? opts.drop.split(',').map((s) => s.trim()) : [],
    horizon: opts.horizon,
  });
  const progress = startProgress('training trees (every fold, then the refit)', 1);
  let result: ReturnType<typeof trainRiskModel>;
  try {
    result = trainRiskModel(set, {
      split: opts.split,
      folds: opts.folds,
      testSize: opts.testSize,
      trees: opts.trees,
      seed: opts.seed,
      maxDepth: opts.maxDepth,
      minSamplesLeaf: opts.minSamplesLeaf,
      tune: opts.tune,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
  }
  const { artifact, evaluation } = result;
  const verdict = gateVerdict(evaluation);
  const text = `${formatArtifactSummary(artifact)}\n\n${formatEvaluation(evaluation)}\n\nverdict: ${verdict.text}\n`;
  if (toStdout) {
    writeOutput(STDIO, serializeArtifact(artifact));
    say(text);
    return;
  }
  const outDir = opts.output;
  const modelPath = join(outDir, 'model.json');
  const metricsPath = join(outDir, 'evaluation_metrics.json');
  const summaryPath = join(outDir, 'model-summary.txt');
  const cardPath = join(outDir, 'model-card.json');
  const cardPagePath = join(outDir, 'model-card.html');
  const card = buildModelCard({ artifact, report: evaluation, decision: verdict.decision, owner: opts.owner, approval: UNREGISTERED });
  writeOutput(modelPath, serializeArtifact(artifact));
  writeOutput(metricsPath, `${JSON.stringify(JSON.parse(canonicalJson(evaluation)), null, 2)}\n`);
  writeOutput(summaryPath, text);
  writeOutput(cardPath, `${JSON.stringify(card, null, 2)}\n`);
  writeOutput(cardPagePath, await renderModelCardHtml(card));
  say(text);
  say(`wrote ${modelPath}, ${metricsPath}, ${summaryPath}, ${cardPath}, ${cardPagePath}`);
}
