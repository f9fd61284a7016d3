/**
 * The conventions every `riskfn` command shares, on top of commander:
 * - option values are checked as they are parsed, so a bad value is a usage error before any
 *   file is read ({@link numberOption}, {@link integerOption}, {@link choiceOption});
 * - {@link exitCodeOf} maps whatever a command threw to one stderr line and an exit code:
 *     0  success (and `--help`, `--version`)
 *     2  usage error: the command line itself is wrong (unknown command or option, missing or
 *        bad value, wrong number of files) — found before any input is read
 *     1  data error: an input file or its content is unusable (unreadable, bad row, too little
 *        history for the options given, a corrupt model) — found while reading or computing
 *   Anything else is a bug: still one line, exit 1.
 *
 * Lives beside main.ts, not in commands/: every file in commands/ is a command.
 */
import { CommanderError, Option } from 'commander';
import { DomainError } from '../../lib/domain/errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../../lib/domain/risk/index.ts';
import { CsvError } from '../../lib/util/csv.ts';

/** A usage error: the command line is wrong (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A data error found by a command itself (exit code 1), e.g. too few common dates for the options given. */
export class DataError extends Error {
  override name = 'DataError';
}

/**
 * Errors about the input data (exit code 1, reported as their message): every error the domain
 * throws on purpose (one base class), a malformed CSV text, and the commands' own.
 */
const DATA_ERRORS = [DataError, DomainError, CsvError] as const;

/**
 * Help text written as wrapped lines in the source, as paragraphs for commander: single line
 * breaks become spaces (commander wraps to the terminal's width), blank lines stay.
 */
export function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}

/** The long option name of commander flags such as `-o, --output <file>` (`output`). */
function longName(flags: string): string {
  const m = /--([a-z][a-z0-9-]*)/.exec(flags);
  if (!m) throw new Error(`option flags without a long name: ${flags}`);
  return m[1];
}

/** A numeric option whose value must satisfy `check`; otherwise `--<name> must be <expected>, got '<raw>'`. */
export function numberOption(
  flags: string,
  description: string,
  spec: { check: (v: number) => boolean; expected: string; default?: number; defaultDescription?: string },
): Option {
  const name = longName(flags);
  const option = new Option(flags, description).argParser((raw: string) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || !spec.check(v)) throw new UsageError(`--${name} must be ${spec.expected}, got '${raw}'`);
    return v;
  });
  if (spec.default !== undefined) option.default(spec.default, spec.defaultDescription);
  else if (spec.defaultDescription !== undefined) option.default(undefined, spec.defaultDescription);
  return option;
}

/** An integer option in `[min, ∞)`. */
export function integerOption(
  flags: string,
  description: string,
  spec: { min: number; default?: number; defaultDescription?: string; expected?: string },
): Option {
  return numberOption(flags, description, {
    check: (v) => Number.isInteger(v) && v >= spec.min,
    expected: spec.expected ?? (spec.min === 0 ? 'a non-negative integer' : `an integer >= ${spec.min}`),
    default: spec.default,
    defaultDescription: spec.defaultDescription,
  });
}

/** An option whose value is one of `choices` (listed in the help). */
export function choiceOption<const C extends readonly string[]>(flags: string, description: string, choices: C, fallback?: C[number]): Option {
  const name = longName(flags);
  const option = new Option(flags, `${description} (${choices.join(' | ')})`).argParser((raw: string) => {
    if (!choices.includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${raw}'`);
    return raw;
  });
  if (fallback !== undefined) option.default(fallback);
  return option;
}

/** `--confidence <c>` in (0, 1), shared by the risk commands. */
export function confidenceOption(fallback: number, what = 'VaR/ES'): Option {
  return numberOption('--confidence <c>', `${what} confidence in (0, 1)`, { check: (v) => v > 0 && v < 1, expected: 'in (0, 1)', default: fallback });
}

/** `--periods <n>`: periods per year for annualisation (default 252, trading days). */
export function periodsOption(): Option {
  return numberOption('--periods <n>', 'periods per year for annualisation', {
    check: (v) => v > 0,
    expected: 'a positive number',
    default: TRADING_DAYS_PER_YEAR,
  });
}

/** `--horizon <periods>` of the parametric VaR/ES (square-root-of-time scaling). */
export function varHorizonOption(): Option {
  return numberOption('--horizon <periods>', 'horizon in periods for the parametric VaR/ES, square-root-of-time', {
    check: (v) => v > 0,
    expected: 'a positive number of periods',
    default: 1,
  });
}

/** Commander's own message as one line: `unknown option '--jsn' (did you mean --json?)`. */
function commanderMessage(err: CommanderError): string {
  return err.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** Codes of the CommanderErrors that are not errors: help or version was printed. */
const PRINTED = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * Prints the one-line report of an error thrown while parsing or running `command` (the
 * sub-command's name, or undefined before one was chosen) and returns the exit code.
 */
export function exitCodeOf(err: unknown, command: string | undefined, write: (line: string) => void): number {
  const prefix = command ? `riskfn ${command}:` : 'riskfn:';
  const seeHelp = `(see: riskfn ${command ? `${command} ` : ''}--help)`;
  if (err instanceof CommanderError) {
    // Help printed because nothing was asked (a bare `riskfn`) is a usage error.
    if (PRINTED.has(err.code)) return err.exitCode === 0 ? 0 : 2;
    write(`${prefix} ${commanderMessage(err)} ${seeHelp}`);
    return 2;
  }
  if (err instanceof UsageError) {
    write(`${prefix} ${err.message} ${seeHelp}`);
    return 2;
  }
  if (DATA_ERRORS.some((cls) => err instanceof cls)) {
    write(`${prefix} ${(err as Error).message}`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.path) {
    write(`${prefix} cannot ${e.syscall ?? 'access'} ${e.path}: ${e.code}`);
    return 1;
  }
  // A bug: still one line (the message), exit 1.
  write(`${prefix} ${err instanceof Error ? err.message : String(err)}`);
  return 1;
}
