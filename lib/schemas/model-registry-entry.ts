/**
 * Answers of the model registry routes: `GET /v1/models` (a page of versions, newest first),
 * `GET /v1/models/{version}` and `GET /v1/models/champion` (one version in full: status, the
 * evaluation the training workflow recorded, the model's data window, fingerprint, features and
 * label rule from its artifact, and the promotions that made or replaced it).
 *
 * Times are ISO 8601 UTC strings; dates are `YYYY-MM-DD`. `evaluation`, `labelRule` and
 * `options` are passed through as the workflow and the trainer wrote them, so extra keys
 * (new metrics, calibration) appear without a schema change.
 */
import * as z from 'zod';

/** Every status a model version can have, in lifecycle order. */
export const MODEL_STATUSES = ['candidate', 'awaiting-approval', 'approved', 'champion', 'retired', 'rejected'] as const;

/** What a model version looks like: the workflow's `rf-<run id>`, or a name given by hand (at most 128 characters). */
export const MODEL_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Page size of `GET /v1/models`: default and maximum. */
export const MODEL_LIST_LIMITS = { default: 20, max: 100 } as const;

const ModelStatusSchema = z.enum(MODEL_STATUSES).meta({
  id: 'ModelStatus',
  description:
    'candidate: trained, not yet gated; awaiting-approval: passed the gate, the workflow waits for a person to approve it; ' +
    'approved: approved, about to be promoted; champion: serving; retired: was champion, replaced; rejected: lost the promotion gate.',
});

const ApprovalSchema = z
  .object({
    approver: z.string().meta({ description: 'Who approved it (IAM principal or the name given to `riskfn models approve`).' }),
    at: z.string().meta({ description: 'When (ISO 8601 UTC).' }),
  })
  .meta({ id: 'ModelApproval' });

const ModelVersionSummarySchema = z
  .object({
    version: z.string().meta({ example: 'rf-20261124T090000Z-3f2a1c' }),
    status: ModelStatusSchema,
    createdAt: z.string().meta({ description: 'When the version was trained and recorded (ISO 8601 UTC).' }),
    promotedAt: z.string().nullable().meta({ description: 'When it became champion; null if it never did.' }),
    retiredAt: z.string().nullable().meta({ description: 'When it stopped being champion; null if it has not.' }),
    replacedBy: z.string().nullable().meta({ description: 'The version that replaced it as champion.' }),
    reason: z.string().nullable().meta({ description: 'Why the promotion gate rejected it.' }),
    approval: ApprovalSchema.nullable(),
  })
  .meta({ id: 'ModelVersionSummary' });

export const ModelListQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MODEL_LIST_LIMITS.max)
      .optional()
      .meta({ description: `Page size (default ${MODEL_LIST_LIMITS.default}, at most ${MODEL_LIST_LIMITS.max}).` }),
    cursor: z.string().min(1).max(600).optional().meta({ description: '`nextCursor` of the previous page.' }),
    status: ModelStatusSchema.optional().meta({ description: 'Only versions with this status.' }),
  })
  .strict();

export const ModelListResponseSchema = z
  .object({
    items: z.array(ModelVersionSummarySchema).meta({ description: 'Versions, newest first.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'ModelListResponse' });

const PromotionSchema = z
  .object({
    version: z.string().meta({ description: 'The version promoted.' }),
    previousVersion: z.string().nullable().meta({ description: 'The champion it replaced; null for the first champion.' }),
    promotedAt: z.string(),
    score: z.number().meta({ description: 'The out-of-sample score (balanced accuracy) that won the promotion.' }),
    executionId: z.string().nullable().meta({ description: 'The workflow execution (or local run) that promoted it.' }),
  })
  .meta({ id: 'Promotion' });

const ModelDetailsSchema = z
  .object({
    format: z.string(),
    formatVersion: z.number().int(),
    classes: z.array(z.string()).meta({ description: 'Risk levels, in the order of the probability columns.' }),
    features: z.array(z.string()).meta({ description: 'Feature names in the order the model reads them (docs/model.md defines each).' }),
    labelRule: z
      .looseObject({ kind: z.string() })
      .meta({ description: 'How the training labels (and so the risk levels) were defined: horizon and thresholds.' }),
    options: z.looseObject({}).meta({ description: 'Training options (trees, depth, seed, split, tuning).' }),
    training: z
      .object({
        rows: z.number().int(),
        from: z.string().nullable().meta({ description: 'First training date.' }),
        to: z.string().nullable().meta({ description: 'Last training date.' }),
        fingerprint: z.string().meta({ description: '`sha256:<hex>` of the training rows: same data, same fingerprint.' }),
        symbols: z.array(z.string()),
        classCounts: z.record(z.string(), z.number().int()),
      })
      .meta({ description: 'The data the served model was trained (refit) on.' }),
    testFrom: z.string().nullable().meta({ description: 'First date of the held-out rows its evaluation used.' }),
    evaluation: z.looseObject({}).meta({
      description:
        "The artifact's own evaluation before the refit: method (walk-forward or a single split), folds with their windows, pooled " +
        'out-of-sample scores of the model beside the majority, persistence and HAR baselines, and folds won (per-date scores left out).',
    }),
    calibration: z
      .object({
        method: z.string().meta({ description: 'How vote shares become the served probabilities: temperature, or none (see reason).' }),
        rows: z.number().int().meta({ description: 'Rows of the calibration slice.' }),
        temperature: z.number().nullable().meta({ description: 'The fitted temperature; null for method none.' }),
        harWeight: z.number().nullable().meta({ description: 'Weight of the HAR baseline pooled with the calibrated forest, in [0, 1].' }),
        reason: z.string().nullable().meta({ description: 'Why no calibration (method none); null otherwise.' }),
      })
      .meta({ description: 'The calibration map from the forest to the served probabilities (docs/model.md).' }),
    libraries: z.record(z.string(), z.string()),
  })
  .meta({ id: 'ModelDetails' });

export const ModelRegistryEntrySchema = ModelVersionSummarySchema.extend({
  champion: z.boolean().meta({ description: 'Whether this version is the champion now (the scoring routes answer with it).' }),
  artifactKey: z.string().meta({ description: 'Key of the model artifact in the data bucket.' }),
  evaluation: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ description: "Scores of the model and its baselines as the training workflow recorded them, and the promotion gate's decision (`gate`)." }),
  model: ModelDetailsSchema.nullable().meta({ description: 'From the artifact; null if the artifact cannot be read (`modelError` says why).' }),
  modelError: z.string().nullable().meta({ description: 'Why the artifact could not be read; null when it was.' }),
  promotions: z.array(PromotionSchema).meta({ description: 'Promotions that made this version champion or replaced it, newest first.' }),
}).meta({ id: 'ModelRegistryEntry' });

export type ModelStatus = z.infer<typeof ModelStatusSchema>;
export type ModelVersionSummary = z.infer<typeof ModelVersionSummarySchema>;
export type ModelListResponse = z.infer<typeof ModelListResponseSchema>;
export type ModelRegistryEntry = z.infer<typeof ModelRegistryEntrySchema>;
