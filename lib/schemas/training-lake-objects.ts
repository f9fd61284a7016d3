/**
 * The lake objects a training run built its dataset from, as BuildDataset read them: stored with
 * the run (`datasets/<runId>/lake-objects.json`) and named by the version's registry entry
 * (`lakeObjectsKey`), so `riskfn audit lineage` can say which exact objects (key, ETag, S3
 * version, compaction watermark) lie behind a model, and whether each is still the same today.
 */
import * as z from 'zod';

/** The run object's name under `datasets/<runId>/`. */
export const TRAINING_LAKE_OBJECTS_NAME = 'lake-objects.json';

const LakeObjectReadSchema = z.object({
  key: z.string(),
  /** The ETag the bytes were read (or revalidated) with. */
  etag: z.string(),
  /** The S3 object version read (a versioned bucket in AWS; absent locally). */
  versionId: z.string().optional(),
  /** A compacted object: how many staging objects it folded in (its `riskfn.folded` watermark). */
  folded: z.number().int().nonnegative().optional(),
});

export const TrainingLakeObjectsSchema = z.object({
  runId: z.string(),
  /** Every symbol BuildDataset read, in listing order, trainable or not (the artifact's `training.symbols` says which were trained on). */
  symbols: z.array(
    z.object({
      symbol: z.string(),
      /** The objects whose bars made the series, in key order. */
      objects: z.array(LakeObjectReadSchema),
      /** Corrupt objects left out, in key order. */
      skipped: z.array(z.object({ key: z.string(), reason: z.string() })),
    }),
  ),
});

export type TrainingLakeObjects = z.infer<typeof TrainingLakeObjectsSchema>;
