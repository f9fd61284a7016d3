/**
 * The training set as stored between workflow steps (datasets/<runId>/training-set.json):
 * plain JSON, validated on the way back in so a truncated or foreign object fails loudly
 * in the step that reads it.
 */
import * as z from 'zod';
import type { EvaluationReport, TrainingSet } from '../model/index.ts';
import type { ScoreSummary } from '../../schemas/training-state.ts';

const TrainingSetSchema = z.object({
  horizon: z.number().int().positive(),
  featureNames: z.array(z.string()).min(1),
  benchmark: z.string().optional(),
  rows: z.array(
    z.object({
      symbol: z.string(),
      date: z.string(),
      features: z.array(z.number()),
      forwardVol: z.number(),
      trailingVol: z.number().optional(),
    }),
  ),
});

export class TrainingSetFormatError extends Error {
  override name = 'TrainingSetFormatError';
}

export function serializeTrainingSet(set: TrainingSet): string {
  return JSON.stringify(set);
}

export function parseTrainingSet(text: string): TrainingSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TrainingSetFormatError(`stored training set is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = TrainingSetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrainingSetFormatError(`stored training set is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** What the workflow state records about a training set. */
export function summarizeTrainingSet(set: TrainingSet): { rows: number; symbols: string[]; from: string; to: string } {
  const symbols = [...new Set(set.rows.map((r) => r.symbol))].sort();
  return { rows: set.rows.length, symbols, from: set.rows[0]?.date ?? '', to: set.rows.at(-1)?.date ?? '' };
}

/** The few evaluation numbers that travel in the workflow state. */
export function scoreSummary(e: EvaluationReport): ScoreSummary {
  return {
    accuracy: e.accuracy,
    balancedAccuracy: e.balancedAccuracy,
    logLoss: e.logLoss,
    testRows: e.testRows,
    testFrom: e.testFrom ?? '',
  };
}
