/**
 * The sections of the training state that the Map-state steps add (the state's other sections are
 * lib/schemas/training-state.ts; the state object passes unknown keys through, so these travel
 * with it), and the input of one Map item. Only keys and small summaries: folds' results, tree
 * shards and reports live in S3 under the run (`datasets/<runId>/`).
 */
import * as z from 'zod';
import { TrainingStateError } from '../../lib/schemas/training-state.ts';

/** One Map item's stored result: its position and the S3 key it wrote. */
const ItemResultSchema = z.object({ index: z.number().int().min(0), key: z.string() });

const WalkForwardSectionSchema = z.object({
  /** The fold specifications (the Map's items), as the model core planned them. */
  folds: z.array(z.unknown()).min(1),
  /** One per fold, in fold order (the Map's results). */
  results: z.array(ItemResultSchema).optional(),
  /** The pooled walk-forward report, once Summarize has run. */
  reportKey: z.string().optional(),
});

const TrainingSectionSchema = z.object({
  /** The refit plan (forest options and rows), stored by Summarize. */
  planKey: z.string(),
  trees: z.number().int().min(1),
  /** Tree ranges [from, to) of the refit plan at `planKey`, one per TrainShard item, in tree order. */
  shards: z.array(z.object({ from: z.number().int().min(0), to: z.number().int().min(1), planKey: z.string() })).min(1),
  results: z.array(ItemResultSchema).optional(),
});

const DriftSectionSchema = z.object({
  key: z.string(),
  rows: z.number().int(),
  threshold: z.number(),
  maxPsi: z.number(),
  /** Features whose PSI is above the threshold: retrain (or look at the data) when not empty. */
  drifted: z.array(z.string()),
});

export const WorkflowSectionsSchema = z
  .object({
    /** Whether this run waits for a person's approval before promoting (BuildDataset sets it from the input; default false). */
    requireApproval: z.boolean().optional(),
    /** Trees per TrainShard item (default TREES_PER_SHARD); a run with more trees has more shards. */
    treesPerShard: z.number().int().min(1).max(500).optional(),
    /** S3 key of the recent feature rows the Drift step compares with the model's training distributions. */
    recentFeaturesKey: z.string().optional(),
    /** S3 key of the lake objects BuildDataset read (lib/schemas/training-lake-objects.ts); Merge records it on the version. */
    lakeObjectsKey: z.string().optional(),
    /**
     * The Step Functions execution running the workflow (`$$.Execution.Id`, an execution ARN), as
     * BuildDataset received it; absent when the runner has no such id (the local runner).
     */
    executionArn: z.string().optional(),
    walkForward: WalkForwardSectionSchema.optional(),
    training: TrainingSectionSchema.optional(),
    drift: DriftSectionSchema.optional(),
  })
  .passthrough();

export type WorkflowSections = z.infer<typeof WorkflowSectionsSchema>;

/** Trees one TrainShard Lambda trains by default: 100 trees (the default forest) in 5 shards. */
export const TREES_PER_SHARD = 20;

/** The input of one Map item (the Map's ItemSelector in lib/infra/training-workflow.ts). */
export const MapItemSchema = z.object({
  item: z.unknown(),
  index: z.number().int().min(0),
  runId: z.string(),
  dataset: z.object({ key: z.string() }).passthrough(),
  options: z.record(z.string(), z.unknown()),
});

/** What a version's registry entry records of the run that trained it (both absent for runs from before they were recorded). */
export const runProvenance = (sections: WorkflowSections): { lakeObjectsKey?: string; executionArn?: string } => ({
  ...(sections.lakeObjectsKey === undefined ? {} : { lakeObjectsKey: sections.lakeObjectsKey }),
  ...(sections.executionArn === undefined ? {} : { executionArn: sections.executionArn }),
});

/** The section a step needs, or a TrainingStateError naming the step that should have added it. */
export function requireWorkflowSection<K extends keyof WorkflowSections>(state: WorkflowSections, key: K, step: string): NonNullable<WorkflowSections[K]> {
  const value = state[key];
  if (value === undefined || value === null) throw new TrainingStateError(`${step}: input has no '${String(key)}' (did the previous step run?)`);
  return value as NonNullable<WorkflowSections[K]>;
}
