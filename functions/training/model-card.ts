/**
 * The training workflow's model card: built once the promotion gate has decided (Evaluate), from
 * the challenger's artifact, the run's walk-forward report and the decision, and stored beside the
 * artifact as `models/<version>/model-card.json` and `model-card.html`. Its approval block is what
 * was known then (candidate, or rejected); `GET /v1/models/{version}/card` shows the registry's
 * current status instead.
 */
import type { ModelArtifact, WalkForwardReport } from '../../lib/domain/model/index.ts';
import type { GateInput } from '../../lib/domain/training/gate.ts';
import { buildModelCard } from '../../lib/domain/training/model-card.ts';
import { renderModelCardHtml } from '../../lib/reports/model-card/page.ts';
import type { GateDecision } from '../../lib/schemas/training-state.ts';
import type { TrainingDependencies } from './dependencies.ts';

/** Who the workflow names as the owner of the models it trains: the operators of the deployed stack. */
const WORKFLOW_MODEL_OWNER = 'riskfn training workflow (the operators of this deployment)';

export interface WorkflowCardInput {
  version: string;
  artifact: ModelArtifact;
  report: WalkForwardReport;
  decision: GateDecision;
  champion: GateInput['champion'];
  /** Whether the run waits for a person's approval before promoting. */
  requireApproval: boolean;
}

/** Builds, renders and stores the card; returns the two keys. */
export async function storeModelCard(deps: Pick<TrainingDependencies, 'putModelCard'>, input: WorkflowCardInput): Promise<{ key: string; pageKey: string }> {
  const card = buildModelCard({
    artifact: input.artifact,
    report: input.report,
    decision: input.decision,
    champion: input.champion,
    owner: WORKFLOW_MODEL_OWNER,
    approval: {
      // Evaluate records a rejection itself; a challenger that passed is still a candidate until approved or promoted.
      status: input.decision.promote ? 'candidate' : 'rejected',
      source: 'training',
      approver: null,
      approvedAt: null,
      promotedAt: null,
      requireApproval: input.requireApproval,
    },
  });
  return deps.putModelCard(input.version, `${JSON.stringify(card, null, 2)}\n`, await renderModelCardHtml(card));
}
