/**
 * The model artifact: everything needed to reproduce, audit and use a trained model, in one
 * JSON document. Serialisation is canonical (RFC 8785: sorted keys, no whitespace), so the
 * same training data and seed give byte-identical files.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { canonicalJson } from '../../util/canonical-json.ts';
import type { Calibration } from './calibration.ts';
import { ModelArtifactError } from './errors.ts';
import { type FittedForest, loadForest } from './forest-adapter.ts';
import type { LabelRule } from './types.ts';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION } from './versions.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** The {@link LabelRule} as stored in an artifact or a dataset's meta file. */
export const LabelRuleSchema: z.ZodType<LabelRule> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('volatility-bands'),
    horizon: z.number().int().min(2),
    thresholds: z.object({ lowMax: finite, mediumMax: finite }),
  }),
  z.object({ kind: z.literal('given'), target: z.string().min(1), horizon: z.number().int().positive().nullable() }),
]);

const BriefSchema = z.object({ accuracy: finite, balancedAccuracy: finite, logLoss: finite, brier: finite, ece: finite });
const FoldsWonSchema = z.object({ balancedAccuracy: z.number().int(), logLoss: z.number().int(), brier: z.number().int(), all: z.number().int() });

const CalibrationSchema: z.ZodType<Calibration> = z.intersection(
  z.object({
    classes: z.array(z.string()).min(2),
    epsilon: finite,
    rows: z.number().int().nonnegative(),
    harWeight: finite.min(0).max(1),
    harTrust: z
      .object({
        prior: finite.positive(),
        span: z.number().int().positive(),
        rarestClassRows: z.number().int().nonnegative(),
        lowest: z.array(finite),
        highest: z.array(finite),
      })
      .optional(),
  }),
  z.discriminatedUnion('method', [
    z.object({ method: z.literal('temperature'), temperature: finite }),
    z.object({ method: z.literal('none'), reason: z.string() }),
  ]),
);

export const ModelArtifactSchema = z.object({
  format: z.literal(ARTIFACT_FORMAT),
  formatVersion: z.number().int(),
  /** Registry version, set by whoever stores the artifact (e.g. the training workflow). */
  version: z.string().optional(),
  libraries: z.record(z.string(), z.string()),
  /** How the training labels were made (the training set's rule). */
  labelRule: LabelRuleSchema,
  /** Class labels in the forest's probability-column order. */
  classes: z.array(z.string()).min(2),
  /** Feature names in the order the forest expects them. */
  featureNames: z.array(z.string()).min(1),
  options: z.object({
    /** How the model was evaluated before the refit (see `evaluation`). */
    evaluation: z.enum(['walk-forward', 'time', 'random']),
    /** Walk-forward test folds (1 for a single split). */
    folds: z.number().int().positive(),
    /** Test share of a single split (unused by walk-forward). */
    testSize: finite,
    purgeGap: z.number().int().nonnegative(),
    trees: z.number().int().positive(),
    seed: z.number().int(),
    maxDepth: z.number().int().positive().nullable(),
    minSamplesLeaf: z.number().int().positive(),
    forest: z.string(),
    /** How maxDepth was chosen on the calibration slice of the refit (null: given, not tuned). */
    tuning: z
      .object({
        metric: z.literal('brier'),
        validationFrom: z.string().nullable(),
        validationRows: z.number().int(),
        candidates: z.array(z.object({ maxDepth: z.number().int().positive(), score: finite })),
        chosen: z.number().int().positive(),
      })
      .nullable(),
  }),
  /**
   * The refit window: every labelled row of the set, which the served forest was trained on
   * after the evaluation (so it is not a model trained only up to its test period).
   */
  training: z.object({
    rows: z.number().int().positive(),
    /** First and last training date (null without dates). */
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** `sha256:<hex>` of the training rows (see fingerprintRows). */
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    classCounts: z.record(z.string(), z.number().int().nonnegative()),
    symbols: z.array(z.string()),
  }),
  /** The evaluation behind the model: its folds and pooled out-of-sample scores beside the baselines'. */
  evaluation: z.object({
    method: z.enum(['walk-forward', 'time', 'random']),
    purgeGap: z.number().int().nonnegative(),
    testRows: z.number().int().nonnegative(),
    testFrom: z.string().nullable(),
    testTo: z.string().nullable(),
    folds: z.array(
      z.object({
        index: z.number().int().positive(),
        trainFrom: z.string().nullable(),
        trainTo: z.string().nullable(),
        testFrom: z.string().nullable(),
        testTo: z.string().nullable(),
        trainRows: z.number().int().nonnegative(),
        testRows: z.number().int().nonnegative(),
      }),
    ),
    pooled: z.object({ model: BriefSchema, majority: BriefSchema, persistence: BriefSchema.nullable(), har: BriefSchema.nullable() }),
    foldsWon: z.object({ majority: FoldsWonSchema, persistence: FoldsWonSchema.nullable(), har: FoldsWonSchema.nullable() }),
    /** The model's out-of-sample scores per test date (the promotion gate pools a date range of them against the champion). */
    byDate: z.array(z.object({ date: z.string(), confusion: z.array(z.number().int().nonnegative()), logLoss: finite, brier: finite })),
  }),
  /** The calibration map from the forest's vote shares to the served probabilities (calibration.ts). */
  calibration: CalibrationSchema,
  baselines: z.object({
    /** Training class frequencies in `classes` order (the majority baseline's probabilities). */
    classPriors: z.array(finite),
    /**
     * P(true class | persistence class) on the training rows, Laplace-smoothed, `[persisted][true]`
     * in `classes` order: the persistence baseline's probabilities. Null when the training rows
     * had no persistence class (no dates, or labels without a horizon).
     */
    persistenceProbabilities: z.array(z.array(finite)).nullable(),
    /** The HAR regression fitted on the training rows (har.ts); null without realised volatilities. */
    har: z.object({ coefficients: z.array(finite).length(4), sigma: finite, rows: z.number().int().positive() }).nullable(),
  }),
  /** Per feature, its training distribution (decile bins and shares) for drift checks (drift.ts). */
  featureDistributions: z.record(z.string(), z.object({ edges: z.array(finite), proportions: z.array(finite) })),
  /** The forest's own JSON (lib/domain/model/forest). */
  forest: z.unknown(),
});

export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;

/** Canonical JSON text plus a final newline. Throws ModelArtifactError on non-finite numbers. */
export function serializeArtifact(a: ModelArtifact): string {
  try {
    return `${canonicalJson(a)}\n`;
  } catch (err) {
    throw new ModelArtifactError(`cannot serialise the model artifact: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Parses and validates an artifact. Refuses (ModelArtifactError) text that is not JSON, not a
 * riskfn model, from another format version, internally inconsistent, or whose forest does
 * not load.
 */
export function parseArtifact(text: string): ModelArtifact {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelArtifactError(`model file is not valid JSON (corrupt or truncated?): ${(err as Error).message}`, { cause: err });
  }
  const head = json as { format?: unknown; formatVersion?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== ARTIFACT_FORMAT) {
    throw new ModelArtifactError(`not a riskfn model file (expected "format": "${ARTIFACT_FORMAT}")`, { field: 'format' });
  }
  if (head.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    throw new ModelArtifactError(
      `model format version ${JSON.stringify(head.formatVersion)} is not supported: this riskfn reads version ` +
        `${ARTIFACT_FORMAT_VERSION} (calibrated, walk-forward evaluated, refit on all rows); retrain the model with this version`,
      { field: 'formatVersion' },
    );
  }
  const parsed = ModelArtifactSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    throw new ModelArtifactError(`invalid model file: ${path || '(root)'}: ${issue.message}`, { field: path, cause: parsed.error });
  }
  const a = parsed.data;
  const k = a.classes.length;
  if (a.baselines.classPriors.length !== k) {
    throw new ModelArtifactError(`invalid model file: baselines.classPriors has ${a.baselines.classPriors.length} entries for ${k} classes`, {
      field: 'baselines.classPriors',
    });
  }
  const cal = a.calibration;
  if ([...cal.classes].sort().join('\u0000') !== [...a.classes].sort().join('\u0000')) {
    throw new ModelArtifactError(`invalid model file: calibration.classes [${cal.classes.join(', ')}] differ from classes [${a.classes.join(', ')}]`, {
      field: 'calibration.classes',
    });
  }
  artifactForest(a);
  return a;
}

const forests = new WeakMap<ModelArtifact, FittedForest>();

/** The artifact's forest, loaded (and checked) once per artifact object. */
export function artifactForest(a: ModelArtifact): FittedForest {
  let f = forests.get(a);
  if (!f) {
    f = loadArtifactForest(a);
    forests.set(a, f);
  }
  return f;
}

/** Loads the artifact's forest and checks it agrees with the artifact's classes. */
function loadArtifactForest(a: ModelArtifact): FittedForest {
  let forest: FittedForest;
  try {
    forest = loadForest(a.forest);
  } catch (err) {
    throw new ModelArtifactError(`invalid model file: the forest does not load: ${(err as Error).message}`, { field: 'forest', cause: err });
  }
  if (forest.classes.join('\u0000') !== a.classes.join('\u0000')) {
    throw new ModelArtifactError(`invalid model file: forest classes [${forest.classes.join(', ')}] differ from the artifact's [${a.classes.join(', ')}]`, {
      field: 'classes',
    });
  }
  return forest;
}

/**
 * `sha256:<hex>` of the training rows: one line per row, `symbol \t date \t f1,f2,... \t label`,
 * numbers in JavaScript's shortest round-trip form, rows in training order.
 */
export function fingerprintRows(rows: readonly { symbol?: string | null; date?: string | null; features: readonly number[]; label: string }[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${r.symbol ?? ''}\t${r.date ?? ''}\t${r.features.join(',')}\t${r.label}\n`, 'utf8');
  return `sha256:${h.digest('hex')}`;
}
