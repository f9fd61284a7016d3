/**
 * Refusals of the model registry routes (`/v1/models…`), as typed API errors the problem mapper
 * answers with their own status.
 */
import { ApiError, PROBLEM_TYPES } from '../errors.ts';

/** Problem type of an unknown version (a tag URI, like the others in ../errors.ts). */
const UNKNOWN_MODEL_VERSION = 'tag:riskfn,2026:unknown-model-version';

/** 404: the registry has no such version. */
export class UnknownModelVersionError extends ApiError {
  override name = 'UnknownModelVersionError';
  readonly status = 404;
  readonly type = UNKNOWN_MODEL_VERSION;
  readonly title = 'Unknown model version';
  constructor(readonly version: string) {
    super(`the model registry has no version ${JSON.stringify(version)}`, { errors: [{ path: '/version', message: 'unknown model version' }] });
  }
}

/**
 * 404 on `GET /v1/models/champion`: nothing has been promoted yet. A 404 (not the scoring
 * routes' 503): the resource asked for does not exist; the service itself is fine.
 */
export class NoChampionYetError extends ApiError {
  override name = 'NoChampionYetError';
  readonly status = 404;
  readonly type = PROBLEM_TYPES.noChampionModel;
  readonly title = 'No champion model';
  constructor() {
    super('no model has been promoted to champion yet; run the training workflow');
  }
}

/** Problem type of a version without a model card. */
const NO_MODEL_CARD = 'tag:riskfn,2026:no-model-card';

/** 404 on `GET /v1/models/{version}/card`: the version exists but has no card. */
export class ModelCardMissingError extends ApiError {
  override name = 'ModelCardMissingError';
  readonly status = 404;
  readonly type = NO_MODEL_CARD;
  readonly title = 'No model card';
  constructor(readonly version: string) {
    super(
      `model version ${JSON.stringify(version)} has no model card: it was trained before model cards existed (retrain to get one), ` +
        'or its training run has not reached the promotion gate yet',
    );
  }
}
