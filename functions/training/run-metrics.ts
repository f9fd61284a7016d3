/**
 * The training workflow's CloudWatch metrics (service `riskfn-training-<state>`, namespace
 * `riskfn`), composed here so the task handlers each emit them with one call:
 * - Evaluate: the gate's decision (`gatePassed`, 1 promote / 0 reject), the challenger's pooled
 *   out-of-sample scores, how long the run took so far (`trainingDuration`) and the age of the
 *   champion it was held against (`championAgeDays`, the "no promotion in N days" alarm);
 * - Promote: `promotions` (1 per promotion);
 * - BuildDataset: the training set's size (`datasetRows`, `datasetSymbols`, `symbolsSkipped` for
 *   too short a history), so a run trained on less data than usual shows.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runStartedAt } from '../../lib/domain/training/run-id.ts';
import type { GateDecision, ScoreSummary } from '../../lib/schemas/training-state.ts';
import type { MetricValue } from '../kit/metrics.ts';

const DAY_MS = 86_400_000;

/** What Evaluate knows when the gate has decided. */
export interface GateMetricsInput {
  runId: string | undefined;
  scores: ScoreSummary;
  decision: GateDecision;
  /** When the champion the challenger was held against was promoted (ISO 8601), or null without one. */
  championPromotedAt: string | null;
  now: Date;
}

/** Evaluate's metrics: gate decision, challenger scores, run duration so far (s) and champion age (days). */
export function gateMetrics(input: GateMetricsInput): MetricValue[] {
  const { scores, decision, now } = input;
  const values: MetricValue[] = [
    { name: 'gatePassed', unit: MetricUnit.Count, value: decision.promote ? 1 : 0 },
    { name: 'challengerBalancedAccuracy', unit: MetricUnit.NoUnit, value: scores.balancedAccuracy },
    { name: 'challengerLogLoss', unit: MetricUnit.NoUnit, value: scores.logLoss },
  ];
  if (scores.brier !== undefined) values.push({ name: 'challengerBrier', unit: MetricUnit.NoUnit, value: scores.brier });
  if (scores.ece !== undefined) values.push({ name: 'challengerEce', unit: MetricUnit.NoUnit, value: scores.ece });
  const started = input.runId === undefined ? null : runStartedAt(input.runId);
  if (started) values.push({ name: 'trainingDuration', unit: MetricUnit.Seconds, value: Math.max(0, (now.getTime() - started.getTime()) / 1000) });
  const promoted = input.championPromotedAt === null ? Number.NaN : Date.parse(input.championPromotedAt);
  if (Number.isFinite(promoted)) values.push({ name: 'championAgeDays', unit: MetricUnit.NoUnit, value: Math.max(0, (now.getTime() - promoted) / DAY_MS) });
  return values;
}

/** BuildDataset's metrics: rows and instruments of the training set, instruments left out. */
export function datasetMetrics(dataset: { rows: number; symbols: readonly string[]; skipped?: readonly unknown[] }): MetricValue[] {
  return [
    { name: 'datasetRows', unit: MetricUnit.Count, value: dataset.rows },
    { name: 'datasetSymbols', unit: MetricUnit.Count, value: dataset.symbols.length },
    { name: 'symbolsSkipped', unit: MetricUnit.Count, value: dataset.skipped?.length ?? 0 },
  ];
}

/** Promote's metric: one promotion. */
export const promotionMetrics = (): MetricValue[] => [{ name: 'promotions', unit: MetricUnit.Count, value: 1 }];
