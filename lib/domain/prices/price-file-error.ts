/**
 * Errors of the price/return file parsers. Each names the file (`source`), the 1-based line
 * number in the file (`row`; the header is row 1; 0 = the file as a whole, e.g. unreadable) and,
 * when one cell is at fault, its column. The message is one line:
 * `<source>: row <n>, column <name>: <problem>` (the row part is left out when row is 0).
 */
import { DomainError } from '../errors.ts';

export class PriceFileError extends DomainError {
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    readonly source: string,
    readonly row: number,
    readonly problem: string,
    readonly column?: string,
    options?: { cause?: unknown },
  ) {
    const where = [row > 0 ? `row ${row}` : '', column ? `column ${column}` : ''].filter(Boolean).join(', ');
    super(`${source}: ${where ? `${where}: ` : ''}${problem}`, options);
  }
}
