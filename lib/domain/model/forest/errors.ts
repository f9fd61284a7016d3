/**
 * Typed errors of the random forest. Every error names what was wrong (the option, the
 * row and feature of a bad training value, or the JSON path of a corrupt model field).
 */
import { DomainError } from '../../errors.ts';

/** An option of {@link ForestOptions} is out of range or of the wrong type. */
export class ForestOptionsError extends DomainError {
  readonly code = 'INVALID_PARAMETER';
  readonly option: string;
  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(`forest option ${option}: ${message}`, options);
    this.option = option;
  }
}

/** Training or prediction input is unusable (ragged rows, NaN, label count mismatch...). */
export class ForestInputError extends DomainError {
  readonly code = 'INVALID_INPUT';
  /** 0-based row of the bad value, when one row is to blame. */
  readonly row?: number;
  /** 0-based feature (column) of the bad value, when one feature is to blame. */
  readonly feature?: number;
  constructor(message: string, where: { row?: number; feature?: number } = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.row = where.row;
    this.feature = where.feature;
  }
}

/** A serialised model is corrupt, truncated or from an incompatible format version. */
export class ForestFormatError extends DomainError {
  readonly code = 'MODEL_ARTIFACT';
  /** JSON path of the offending field, e.g. `trees[3].threshold[17]`. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`invalid random-forest model at ${path || '(root)'}: ${message}`, options);
    this.path = path;
  }
}
