/**
 * `riskfn` command dispatcher: one commander program, each sub-command registered by its module
 * in bin/cli/commands/. Help is generated from the option definitions; `riskfn help CMD`,
 * `riskfn --version` and "did you mean" suggestions come from commander. Exit codes and the
 * one-line error format are in command-kit.ts.
 */
import { Command } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { exitCodeOf } from './command-kit.ts';
import * as audit from './commands/audit.ts';
import * as backtest from './commands/backtest.ts';
import * as dataset from './commands/dataset.ts';
import * as drift from './commands/drift.ts';
import * as ingest from './commands/ingest.ts';
import * as lake from './commands/lake.ts';
import * as metrics from './commands/metrics.ts';
import * as models from './commands/models.ts';
import * as portfolio from './commands/portfolio.ts';
import * as predict from './commands/predict.ts';
import * as report from './commands/report.ts';
import * as train from './commands/train.ts';
import { exitQuietlyOnClosedStdout } from './io.ts';

/** Every command module registers itself on the program. */
const COMMANDS: { register(program: Command): void }[] = [metrics, portfolio, backtest, report, dataset, train, predict, drift, models, ingest, lake, audit];

function buildProgram(): Command {
  const program = new Command('riskfn')
    .description('Investment-risk metrics and the risk-level model from price files (docs/cli.md).')
    .version(pkg.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', '\nRun `riskfn help <command>` for the options of one command.')
    .showSuggestionAfterError(true)
    .exitOverride()
    // Errors are printed by main() as one line; commander's own printing is off.
    .configureOutput({ outputError: () => {} });
  for (const c of COMMANDS) c.register(program);
  return program;
}

/**
 * `argv` as commander should parse it so that a NAME that is no command is reported as an unknown
 * command (with a suggestion, exit 2) however it was asked for: commander acts on `--help` and
 * `--version` before it looks at the command, so `riskfn NAME --help` would print the general
 * help with exit 0, and `riskfn help NAME` does too. Parsing NAME alone gives the report.
 */
function unknownCommandAlone(program: Command, argv: string[]): string[] {
  const isCommand = (name: string) => program.commands.some((c) => c.name() === name || c.aliases().includes(name));
  const [first, second] = argv;
  // `help NAME` parses as `NAME`; `help help` and `help --help` thus print the general help.
  if (first === 'help') return second === undefined || isCommand(second) ? argv : [second];
  return first === undefined || first.startsWith('-') || isCommand(first) ? argv : [first];
}

/** Runs `riskfn` with `argv` (the arguments after the program name) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedStdout();
  const program = buildProgram();
  let active: string | undefined;
  program.hook('preSubcommand', (_program, sub) => {
    active = sub.name();
  });
  try {
    await program.parseAsync(unknownCommandAlone(program, argv), { from: 'user' });
    return 0;
  } catch (err) {
    return exitCodeOf(err, active, (line) => void process.stderr.write(`${line}\n`));
  }
}
