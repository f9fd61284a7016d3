/**
 * Typed errors of the risk engine. Metric functions throw these for inputs they cannot
 * give a number for (too short, mismatched lengths, bad parameters); a ratio whose
 * denominator is zero is not an error — it is reported as `null` ("undefined").
 */
import { DomainError } from '../errors.ts';

/** Any input the risk engine refuses; match the subclasses, or `code`. */
export abstract class RiskInputError extends DomainError {}

/** Fewer observations than the metric needs (code `INSUFFICIENT_HISTORY`). */
export class InsufficientDataError extends RiskInputError {
  readonly code = 'INSUFFICIENT_HISTORY';
  constructor(
    readonly metric: string,
    readonly needed: number,
    readonly got: number,
  ) {
    super(`${metric} needs at least ${needed} observations, got ${got}`);
  }
}

/** A parameter outside its domain, e.g. confidence not in (0, 1) (code `INVALID_PARAMETER`). */
export class InvalidParameterError extends RiskInputError {
  readonly code = 'INVALID_PARAMETER';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${parameter} must be ${expected}, got ${String(value)}`);
  }
}

/** @internal */
export function requireLength(metric: string, x: ArrayLike<number>, needed: number): void {
  if (x.length < needed) throw new InsufficientDataError(metric, needed, x.length);
}

/** @internal confidence c in (0, 1), e.g. 0.95 or 0.99. */
export function requireConfidence(c: number): void {
  if (!(c > 0 && c < 1)) throw new InvalidParameterError('confidence', c, 'in (0, 1), e.g. 0.95');
}

/** @internal */
export function requirePositiveInteger(name: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new InvalidParameterError(name, v, 'a positive integer');
}
