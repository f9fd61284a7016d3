/**
 * Files, stdin and stdout the way command-line tools treat them: `-` as an input is stdin, `-o -`
 * (or no `-o` for commands that print) is stdout, and a reader that goes away early
 * (`riskfn … | head -1`) ends the command quietly.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option } from 'commander';
import { UsageError } from './command-kit.ts';

/** The path that means stdin (as an input) or stdout (as `-o`). */
export const STDIO = '-';

/** `-o, --output <file>` for commands that print their result (default: stdout). */
export function outputOption(what: string): Option {
  return new Option('-o, --output <file>', `where to write ${what} ('-': stdout)`).default(STDIO, 'stdout');
}

/** How errors and messages name an input: the path, or `<stdin>`. */
export function inputName(path: string): string {
  return path === STDIO ? '<stdin>' : path;
}

/** Refuses a command line that reads stdin more than once (it can be read only once). */
export function checkStdinOnce(paths: readonly (string | undefined)[]): void {
  if (paths.filter((p) => p === STDIO).length > 1) throw new UsageError("'-' (stdin) can be given as one input only");
}

let stdinText: Promise<string> | undefined;

/** The whole of stdin as UTF-8 text (read once; later calls get the same text). */
function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    return Promise.reject(new UsageError("'-' reads stdin, but stdin is a terminal: pipe or redirect a file into it"));
  }
  // Streamed, not readFileSync(0): that throws EAGAIN on a non-blocking pipe.
  stdinText ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  })();
  return stdinText;
}

/** The text of an input file, or of stdin for `-`. File-system errors propagate (their code and path are reported). */
export async function readInput(path: string): Promise<string> {
  return path === STDIO ? readStdin() : readFileSync(path, 'utf8');
}

/** Writes `text` to stdout (`-`) or to a file, creating its directory. */
export function writeOutput(path: string, text: string): void {
  if (path === STDIO) {
    process.stdout.write(text);
    return;
  }
  makeFolders(dirname(path));
  writeFileSync(path, text);
}

/**
 * `mkdir -p` that always ends. Node's own recursive mkdir loops forever where creating a folder
 * fails with ENOENT although its parent exists (e.g. under /proc): it keeps re-creating the parent.
 * Here each level is tried at most twice, so such a path fails with the system's error.
 */
function makeFolders(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    makeFolders(parent);
    mkdirSync(dir);
  }
}

/**
 * Where a command's messages go: stdout, unless stdout carries the data (`-o -`), then stderr,
 * so the data stays clean for the next program in the pipe.
 */
export function messageWriter(dataOnStdout: boolean): (line: string) => void {
  const stream = dataOnStdout ? process.stderr : process.stdout;
  return (line) => void stream.write(`${line}\n`);
}

/**
 * Makes a closed stdout end the process with exit code 0 and no message: `riskfn … | head -1`
 * closes the pipe after one line, which is what the user asked for, not an error. Any other
 * stdout error is rethrown.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw err;
  });
}
