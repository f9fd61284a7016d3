/**
 * `riskfn` command dispatcher. Each sub-command lives in bin/cli/commands/<name>.ts and
 * exports `run(argv): Promise<number>` (the exit code) and a one-line `summary`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'commands');

interface CommandModule {
  run(argv: string[]): Promise<number>;
  summary: string;
}

async function load(name: string): Promise<CommandModule | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  const file = join(COMMANDS_DIR, `${name}.ts`);
  if (!existsSync(file)) return undefined;
  return (await import(file)) as CommandModule;
}

async function usage(): Promise<string> {
  const names = readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  const lines = ['usage: riskfn <command> [options]', '', 'commands:'];
  for (const n of names) {
    const mod = await load(n);
    lines.push(`  ${n.padEnd(12)}${mod?.summary ?? ''}`);
  }
  lines.push('', 'Run `riskfn <command> --help` for the options of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const mod = await load(name);
  if (!mod) {
    console.error(`riskfn: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    return await mod.run(rest);
  } catch (err) {
    // Commands report expected errors themselves; anything reaching here is still one line.
    console.error(`riskfn ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
