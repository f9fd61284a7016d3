/**
 * The one base class of every error the domain throws on purpose. Callers at the edges (the
 * API's problem mapper, the CLI, the training handlers) decide what to do from `code` and
 * `instanceof`, never from `name` strings, so a renamed or minified class cannot change a
 * status code.
 */

/**
 * What kind of failure it is, independent of the module that threw it:
 * - `INSUFFICIENT_HISTORY`: fewer observations than a metric, feature or model needs;
 * - `MODEL_INPUT_UNAVAILABLE`: the history lacks an input a model feature needs (e.g. no benchmark);
 * - `INVALID_PARAMETER`: a parameter outside its domain (confidence 1.5, window 0);
 * - `INVALID_INPUT`: malformed data (a price file row, a training table cell);
 * - `MODEL_ARTIFACT`: a stored model that is corrupt, foreign or inconsistent.
 */
export type DomainErrorCode = 'INSUFFICIENT_HISTORY' | 'MODEL_INPUT_UNAVAILABLE' | 'INVALID_PARAMETER' | 'INVALID_INPUT' | 'MODEL_ARTIFACT';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The subclass's own name, so logs and one-line CLI errors say which error it was.
    this.name = new.target.name;
  }
}
