/** Errors of the model core. Each names the row, column or field at fault. */

export class ModelError extends Error {
  override name = 'ModelError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The training data cannot be used (missing column, bad value, too few rows, one class...). */
export class TrainingDataError extends ModelError {
  override name = 'TrainingDataError';
  constructor(
    message: string,
    readonly where: { row?: number; column?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model artifact is corrupt, from an incompatible format version, or inconsistent. */
export class ModelArtifactError extends ModelError {
  override name = 'ModelArtifactError';
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The price history is too short to compute every feature the model needs on its last date. */
export class InsufficientHistoryError extends ModelError {
  override name = 'InsufficientHistoryError';
  constructor(
    message: string,
    readonly needed: number,
    readonly available: number,
  ) {
    super(message);
  }
}
