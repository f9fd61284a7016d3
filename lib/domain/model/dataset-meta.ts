/**
 * The sidecar of a dataset CSV (`<name>.meta.json`): how its labels were made. `riskfn train`
 * reads it for the purge gap (horizon), the thresholds to store in the model, and to warn when
 * its split differs from the one the thresholds were fit on.
 */
import * as z from 'zod';

export const DATASET_META_FORMAT = 'riskfn-dataset';

export const DatasetMetaSchema = z.object({
  format: z.literal(DATASET_META_FORMAT),
  formatVersion: z.literal(1),
  target: z.string(),
  horizon: z.number().int().min(2),
  /** low if forward vol <= lowMax, medium if <= mediumMax, else high. */
  thresholds: z.object({ lowMax: z.number(), mediumMax: z.number() }),
  /** The training period the thresholds were fit on (time split, purge gap = horizon). */
  thresholdFit: z.object({
    testSize: z.number(),
    rows: z.number().int(),
    from: z.string(),
    to: z.string(),
    testFrom: z.string(),
  }),
  featureNames: z.array(z.string()),
  symbols: z.array(z.string()),
  benchmark: z.string().nullable(),
  rows: z.number().int(),
});

export type DatasetMeta = z.infer<typeof DatasetMetaSchema>;

/** `dataset.csv` → `dataset.meta.json`. */
export function metaPathFor(csvPath: string): string {
  return csvPath.replace(/(\.csv)?$/i, '.meta.json');
}
