/**
 * The plumbing every `riskfn` command shares: argument parsing (node:util parseArgs, with
 * `-h/--help` added), numeric option checks, and the mapping of errors to one stderr line
 * `riskfn <command>: <message>` and an exit code:
 *   0  success (and `--help`)
 *   2  usage error: a UsageError or a parseArgs error (unknown option, missing value)
 *   1  data error: a bad input file or value found by the domain code (its message names the
 *      file/row/column), or a file-system error (`cannot <syscall> <path>: <code>`)
 * Anything else is a bug and is rethrown (bin/cli/main.ts still prints it as one line, exit 1).
 *
 * Lives beside main.ts, not in commands/: main.ts treats every file in commands/ as a command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FeatureInputError } from '../../lib/domain/features/index.ts';
import { ModelError } from '../../lib/domain/model/errors.ts';
import { PriceFileError } from '../../lib/domain/prices/parse-price-csv.ts';
import { RiskInputError } from '../../lib/domain/risk/index.ts';

/** A usage error: bad or missing arguments (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Errors about the input data: reported as their message, exit code 1. */
const DATA_ERRORS = [PriceFileError, RiskInputError, ModelError, FeatureInputError] as const;

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
const HELP_OPTION = { help: { type: 'boolean', short: 'h', default: false } } as const;
type Parsed<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP_OPTION }>>;

export interface CommandSpec<O extends OptionsConfig> {
  /** The sub-command name, as typed after `riskfn`. */
  name: string;
  /** Printed for `--help` (stdout, exit 0). */
  help: string;
  /** parseArgs options; `-h/--help` is added. Positionals are always allowed. */
  options: O;
  /** The command itself; returns the exit code. Throw UsageError for bad arguments. */
  run(args: Parsed<O>): Promise<number> | number;
}

/** Builds a command's `run(argv)` from its spec. */
export function defineCommand<const O extends OptionsConfig>(spec: CommandSpec<O>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    try {
      const args = parseArgs({ args: argv, allowPositionals: true, options: { ...spec.options, ...HELP_OPTION } }) as unknown as Parsed<O>;
      if ((args.values as { help?: boolean }).help) {
        console.log(spec.help);
        return 0;
      }
      return await spec.run(args);
    } catch (err) {
      const code = reportError(spec, err);
      if (code === undefined) throw err;
      return code;
    }
  };
}

/** Prints the one-line report of an expected error and returns its exit code; undefined for a bug. */
function reportError(spec: Pick<CommandSpec<OptionsConfig>, 'name'>, err: unknown): number | undefined {
  const prefix = `riskfn ${spec.name}:`;
  const parseError = err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  if (err instanceof UsageError || parseError) {
    // One line, like every other error; the help is one flag away.
    console.error(`${prefix} ${(err as Error).message} (see: riskfn ${spec.name} --help)`);
    return 2;
  }
  if (DATA_ERRORS.some((cls) => err instanceof cls)) {
    console.error(`${prefix} ${(err as Error).message}`);
    return 1;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.path) {
    console.error(`${prefix} cannot ${e.syscall ?? 'access'} ${e.path}: ${e.code}`);
    return 1;
  }
  return undefined;
}

/**
 * Parses a numeric option, checking its domain: `--<name> must be <expected>, got '<raw>'`
 * (a UsageError) for an empty, non-finite or out-of-domain value; `fallback` when absent.
 */
export function numberOption(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`--${name} must be ${expected}, got '${raw}'`);
  return v;
}

/** The usual FILE positional check: exactly one (UsageError otherwise). */
export function onePositional(positionals: string[], what = 'FILE'): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `missing ${what}` : `expected one ${what}, got ${positionals.length}`);
  return positionals[0];
}
