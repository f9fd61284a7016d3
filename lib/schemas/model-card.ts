/**
 * The model card: what a trained risk model is for, what it was trained on, how it scored out of
 * sample against every baseline and the champion, what the promotion gate decided and where the
 * version stands in the registry. `riskfn train` writes it as `model-card.json` beside the model,
 * the training workflow as `models/<version>/model-card.json`, and `GET /v1/models/{version}/card`
 * answers it (`?format=json`) or its HTML page. Every number comes from the artifact, the
 * walk-forward report and the gate (lib/domain/training/model-card.ts); the HTML page only formats
 * them.
 *
 * Conventions: scores are fractions (balanced accuracy 0.63, not 63 %); log loss in nats per row;
 * Brier is the multi-class sum over classes (0 to 2); ECE over 10 equal-width confidence bins;
 * gate differences are signed so that positive favours the challenger. Dates are ISO `YYYY-MM-DD`.
 */
import * as z from 'zod';
import { MODEL_STATUSES } from './model-registry-entry.ts';

/** The card's format name and version (a reader refuses other versions). */
export const MODEL_CARD_FORMAT = 'riskfn-model-card';
export const MODEL_CARD_FORMAT_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** A score that may be undefined (NaN in the domain), written as null. */
const score = finite.nullable();

const LabelRuleCardSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('volatility-bands'),
      horizon: z.number().int(),
      thresholds: z.object({
        lowMax: finite.meta({ description: 'Upper bound of `low`: annualised forward volatility as a fraction (0.15 = 15 %/yr).' }),
        mediumMax: finite.meta({ description: 'Upper bound of `medium`; above it is `high`.' }),
      }),
    }),
    z.object({ kind: z.literal('given'), target: z.string(), horizon: z.number().int().nullable() }),
  ])
  .meta({ id: 'ModelCardLabelRule', description: 'How the training labels were made.' });

const ScoresSchema = z
  .object({ accuracy: score, balancedAccuracy: score, logLoss: score, brier: score, ece: score })
  .meta({ id: 'ModelCardScores', description: 'Headline out-of-sample scores of one predictor.' });

/** The predictors of an evaluation: the model and its three baselines (null where the data cannot provide one). */
const PredictorScoresSchema = z.object({
  model: ScoresSchema,
  persistence: ScoresSchema.nullable(),
  har: ScoresSchema.nullable(),
  majority: ScoresSchema,
});

const FoldsWonSchema = z.object({ balancedAccuracy: z.number().int(), logLoss: z.number().int(), brier: z.number().int(), all: z.number().int() });

const DifferenceCardSchema = z
  .object({
    difference: finite.meta({ description: "On all test rows: the pooled scores' difference (positive: the model is better)." }),
    standardError: score.meta({ description: 'Standard deviation of the difference over the bootstrap resamples.' }),
    lower: score.meta({ description: '5th percentile of the resampled differences: lower end of the 90 % interval.' }),
    upper: score.meta({ description: '95th percentile of the resampled differences: upper end of the 90 % interval.' }),
    probabilityBetter: score.meta({ description: 'Share of resamples in which the model is strictly better (0 to 1).' }),
  })
  .meta({ id: 'ModelCardDifference', description: "One score's difference between the model and a baseline, with its sampling uncertainty." });

const DifferencesCardSchema = z
  .object({
    dates: z.number().int().meta({ description: 'Test dates resampled.' }),
    blockLength: z.number().int().meta({ description: 'Consecutive dates per block (the label horizon).' }),
    resamples: z.number().int(),
    seed: z.number().int(),
    balancedAccuracy: DifferenceCardSchema,
    logLoss: DifferenceCardSchema,
    brier: DifferenceCardSchema,
  })
  .meta({
    id: 'ModelCardDifferences',
    description: 'The model against one baseline on its pooled walk-forward scores, from a paired circular block bootstrap over the test dates.',
  });

const GateComparisonCardSchema = z.object({
  against: z.string(),
  basis: z.string(),
  beaten: z.boolean(),
  judgedOn: z.array(z.enum(['balancedAccuracy', 'logLoss', 'brier'])),
  balancedAccuracy: finite.meta({ description: 'Challenger minus the other (positive: challenger better).' }),
  logLoss: finite.meta({ description: 'The other minus the challenger (positive: challenger better).' }),
  brier: finite.meta({ description: 'The other minus the challenger (positive: challenger better).' }),
  balancedAccuracyInterval: z.object({ standardError: finite, lower: finite, upper: finite }).optional().meta({
    description:
      'The 90 % interval of the balanced-accuracy difference when the gate required non-inferiority on it (rejected when `upper` < 0); absent when balanced accuracy was judged strictly or not at all.',
  }),
});

const ApprovalCardSchema = z
  .object({
    status: z.enum([...MODEL_STATUSES, 'unregistered']).meta({
      description: "The version's registry status (`unregistered`: trained by `riskfn train`, never registered).",
    }),
    source: z.enum(['registry', 'training']).meta({
      description: '`registry`: read from the model registry when the card was served; `training`: as known when the card was written.',
    }),
    approver: z.string().nullable(),
    approvedAt: z.string().nullable(),
    promotedAt: z.string().nullable(),
    requireApproval: z.boolean().nullable().meta({ description: 'Whether the training run waits for a person before promoting (null: not known).' }),
  })
  .meta({ id: 'ModelCardApproval' });

export const ModelCardSchema = z
  .object({
    format: z.literal(MODEL_CARD_FORMAT),
    formatVersion: z.literal(MODEL_CARD_FORMAT_VERSION),
    version: z.string().nullable().meta({ description: 'Registry version; null for a model trained by `riskfn train`.' }),
    owner: z.string().meta({ description: 'Who answers for the model.' }),
    intendedUse: z.array(z.string()),
    outOfScope: z.array(z.string()),
    limitations: z.array(z.string()),
    model: z.object({
      classes: z.array(z.string()).meta({ description: 'Class labels in reporting order (low, medium, high for risk levels).' }),
      features: z.array(z.string()).meta({ description: 'Feature names in the order the model reads them.' }),
      trees: z.number().int(),
      seed: z.number().int(),
      maxDepth: z.number().int().nullable(),
      depthTuned: z.boolean(),
      minSamplesLeaf: z.number().int(),
      calibration: z.object({
        method: z.enum(['temperature', 'none']),
        temperature: finite.nullable(),
        harWeight: finite,
        rows: z.number().int(),
      }),
      libraries: z.record(z.string(), z.string()),
    }),
    data: z.object({
      rows: z.number().int(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      fingerprint: z.string(),
      symbols: z.array(z.string()),
      classCounts: z.record(z.string(), z.number().int()),
    }),
    labelRule: LabelRuleCardSchema,
    evaluation: z.object({
      method: z.enum(['walk-forward', 'time', 'random']),
      purgeGap: z.number().int(),
      testRows: z.number().int(),
      testFrom: z.string().nullable(),
      testTo: z.string().nullable(),
      pooled: PredictorScoresSchema,
      majorityPredicts: z.string(),
      folds: z.array(
        z.object({
          index: z.number().int(),
          testFrom: z.string().nullable(),
          testTo: z.string().nullable(),
          trainRows: z.number().int(),
          testRows: z.number().int(),
          maxDepth: z.number().int().nullable(),
          scores: PredictorScoresSchema,
        }),
      ),
      foldsWon: z.object({ persistence: FoldsWonSchema.nullable(), har: FoldsWonSchema.nullable(), majority: FoldsWonSchema }),
      /** The model's pooled differences from persistence and HAR with their uncertainty (absent in cards written before they were measured). */
      differences: z.object({ persistence: DifferencesCardSchema.nullable(), har: DifferencesCardSchema.nullable() }).optional(),
      /** The model's pooled confusion matrix: rows the true class, columns the predicted one, in `labels` order. */
      confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
      perClass: z.array(z.object({ class: z.string(), precision: finite, recall: finite, f1: finite, support: z.number().int() })),
      /** The model's pooled top-label reliability bins (equal width over [0, 1]); accuracy and mean confidence null for an empty bin. */
      reliability: z.array(z.object({ from: finite, to: finite, rows: z.number().int(), meanConfidence: score, accuracy: score })),
      /** The champion at gate time, scored beside the challenger (null: no champion, or not comparable). */
      champion: z
        .object({
          version: z.string(),
          basis: z.string().meta({ description: 'The rows the two were compared on, or that recorded scores stood in.' }),
          rows: z.number().int().meta({ description: 'Rows both were scored on; 0 when recorded walk-forward scores stood in.' }),
          from: z.string().nullable(),
          champion: z.object({ balancedAccuracy: finite, logLoss: finite, brier: finite }),
          challenger: z.object({ balancedAccuracy: finite, logLoss: finite, brier: finite }),
        })
        .nullable(),
      notes: z.array(z.string()),
    }),
    importance: z.object({
      /** Whether permutation importance was measured (it is skipped with 0 shuffles). */
      permutationMeasured: z.boolean(),
      features: z.array(
        z.object({
          feature: z.string(),
          impurity: finite.meta({ description: 'Mean decrease in Gini, mean over the folds (sums to 1).' }),
          permutationMean: finite.nullable().meta({ description: 'Mean drop in test accuracy when the feature is shuffled.' }),
          permutationStd: finite.nullable(),
        }),
      ),
    }),
    gate: z.object({
      promote: z.boolean(),
      reason: z.string(),
      comparedFrom: z.string(),
      comparedRows: z.number().int(),
      comparisons: z.array(GateComparisonCardSchema),
    }),
    approval: ApprovalCardSchema,
  })
  .meta({ id: 'ModelCard', description: 'The model card of one version (docs/model.md, "Model card").' });

export type ModelCard = z.infer<typeof ModelCardSchema>;

/** The card's approval block. */
export type ModelCardApproval = ModelCard['approval'];

/** Query of `GET /v1/models/{version}/card`: the page (default) or the JSON card. */
export const ModelCardQuerySchema = z
  .object({
    format: z.enum(['html', 'json']).optional().meta({ description: '`html` (default): the card as one self-contained HTML page; `json`: the card itself.' }),
  })
  .strict();
