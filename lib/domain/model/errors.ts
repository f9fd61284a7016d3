/** Errors of the model core. Each names the row, column or field at fault. */
import { DomainError } from '../errors.ts';

/** The training data cannot be used (missing column, bad value, too few rows, one class...). */
export class TrainingDataError extends DomainError {
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly where: { row?: number; column?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model artifact is corrupt, from an incompatible format version, or inconsistent. */
export class ModelArtifactError extends DomainError {
  readonly code = 'MODEL_ARTIFACT';
  /** The artifact field at fault (a dotted path such as `baselines.classPriors`), when one is. */
  readonly field?: string;
  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.field = options.field;
  }
}

/** The price history is too short to compute every feature the model needs on its last date. */
export class InsufficientHistoryError extends DomainError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    message: string,
    readonly needed: number,
    readonly available: number,
  ) {
    super(message);
  }
}
