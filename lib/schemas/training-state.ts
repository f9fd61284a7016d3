/**
 * The state object that flows through the training state machine. Each task Lambda
 * receives the accumulated state (CDK LambdaInvoke with `outputPath: $.Payload`) and
 * returns it with its own section added, so every step's result stays visible in the
 * execution history. Only keys and small summaries travel here (Step Functions caps a
 * state at 256 KiB); datasets and models live in S3.
 */
import * as z from 'zod';

/** Options a caller may put in the execution input (the schedule sends `{}`). */
const TrainingOptionsSchema = z
  .object({
    trees: z.number().int().min(1).max(500).optional(),
    maxDepth: z.number().int().min(1).max(64).optional(),
    /** Pick the tree depth on a purged validation slice of the training period (default: on unless maxDepth is given). */
    tune: z.boolean().optional(),
    seed: z.number().int().min(0).optional(),
    /** Walk-forward test folds. */
    folds: z.number().int().min(1).max(20).optional(),
    /** Trading days the risk label looks ahead (at least 2: a volatility needs two returns). */
    horizon: z.number().int().min(2).max(252).optional(),
  })
  .strict()
  .refine((o) => !(o.tune === true && o.maxDepth !== undefined), { message: 'tune chooses the depth itself: give either tune or maxDepth', path: ['tune'] });

const DatasetSummarySchema = z.object({
  key: z.string(),
  rows: z.number().int(),
  symbols: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  /** Instruments left out for too short a history. */
  skipped: z.array(z.object({ symbol: z.string(), observations: z.number().int() })).optional(),
});

/** Pooled out-of-sample scores of a challenger (walk-forward by default). */
export const ScoreSummarySchema = z.object({
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  logLoss: z.number(),
  /** Multi-class Brier score (absent in records written before walk-forward evaluation). */
  brier: z.number().optional(),
  /** Expected calibration error of the served probabilities. */
  ece: z.number().optional(),
  /** Test folds the scores pool. */
  folds: z.number().int().optional(),
  testRows: z.number().int(),
  testFrom: z.string(),
});

const ChallengerSchema = z.object({
  version: z.string(),
  artifactKey: z.string(),
  evaluation: ScoreSummarySchema,
});

/** The challenger against one predictor; differences signed so that positive favours the challenger. */
const GateComparisonSchema = z.object({
  against: z.string(),
  /** What the comparison rests on (walk-forward pooled scores, or the champion's unseen rows). */
  basis: z.string(),
  beaten: z.boolean(),
  /** The scores this comparison required the challenger to win (absent in older records: all three). */
  judgedOn: z.array(z.enum(['balancedAccuracy', 'logLoss', 'brier'])).optional(),
  balancedAccuracy: z.number(),
  logLoss: z.number(),
  brier: z.number(),
  /**
   * The block-bootstrap standard error and 90 % interval (5th, 95th percentile) of the
   * balanced-accuracy difference, when the comparison required non-inferiority on it (the
   * challenger fails when `upper` < 0). Absent: balanced accuracy judged strictly (in `judgedOn`),
   * not judged, or an older record.
   */
  balancedAccuracyInterval: z.object({ standardError: z.number(), lower: z.number(), upper: z.number() }).optional(),
});

export const GateDecisionSchema = z.object({
  promote: z.boolean(),
  reason: z.string(),
  /** The scores the gate judged on (see each comparison's `judgedOn`). */
  metric: z.string(),
  challengerScore: z.number(),
  championVersion: z.string().nullable(),
  championScore: z.number().nullable(),
  comparedFrom: z.string(),
  comparedRows: z.number().int(),
  /** One entry per predictor the challenger was held against (absent in older records). */
  comparisons: z.array(GateComparisonSchema).optional(),
});

const PromotionSchema = z.object({
  version: z.string(),
  previousVersion: z.string().nullable(),
  promotedAt: z.string(),
});

export const TrainingStateSchema = z
  .object({
    runId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,80}$/)
      .optional(),
    options: TrainingOptionsSchema.optional(),
    dataset: DatasetSummarySchema.optional(),
    challenger: ChallengerSchema.optional(),
    evaluation: GateDecisionSchema.optional(),
    promotion: PromotionSchema.optional(),
  })
  // EventBridge Scheduler / Events may add fields of their own; keep them, untouched.
  .passthrough();

export type TrainingState = z.infer<typeof TrainingStateSchema>;
export type GateDecision = z.infer<typeof GateDecisionSchema>;
export type GateComparison = z.infer<typeof GateComparisonSchema>;
export type ScoreSummary = z.infer<typeof ScoreSummarySchema>;

/** Thrown by a task that is handed a state missing the section an earlier step should have added. */
export class TrainingStateError extends Error {
  override name = 'TrainingStateError';
}

export function requireSection<K extends keyof TrainingState>(state: TrainingState, key: K, step: string): NonNullable<TrainingState[K]> {
  const value = state[key];
  if (value === undefined || value === null) {
    throw new TrainingStateError(`${step}: input has no '${String(key)}' (did the previous step run?)`);
  }
  return value as NonNullable<TrainingState[K]>;
}
