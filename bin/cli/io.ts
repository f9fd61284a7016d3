/**
 * Files, stdin and stdout the way command-line tools treat them: `-` as an input is stdin, `-o -`
 * (or no `-o` for commands that print) is stdout, and a reader that goes away early
 * (`riskfn … | head -1`) ends the command quietly.
 */
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

let stdinBytes: Promise<Buffer> | undefined;

/** The whole of stdin (read once; later calls get the same bytes). */
function readStdinBytes(): Promise<Buffer> {
  if (process.stdin.isTTY) {
    return Promise.reject(new UsageError("'-' reads stdin, but stdin is a terminal: pipe or redirect a file into it"));
  }
  // Streamed, not readFileSync(0): that throws EAGAIN on a non-blocking pipe.
  stdinBytes ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  return stdinBytes;
}

/** The whole of stdin as UTF-8 text. */
async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8');
}

/** The text of an input file, or of stdin for `-`. File-system errors propagate (their code and path are reported). */
export async function readInput(path: string): Promise<string> {
  return path === STDIO ? readStdin() : readFileSync(path, 'utf8');
}

/** Writes `text` (or its pieces, one after another) to stdout (`-`) or to a file, creating its directory. */
export function writeOutput(path: string, text: string | readonly string[]): void {
  const pieces = typeof text === 'string' ? [text] : text;
  if (path === STDIO) {
    for (const piece of pieces) process.stdout.write(piece);
    return;
  }
  makeFolders(dirname(path));
  writeFileSync(path, pieces[0] ?? '');
  for (const piece of pieces.slice(1)) appendFileSync(path, piece);
}

/** Largest piece {@link readInputLines} decodes into one string: far below V8's longest string (2^29 − 24 characters). */
const MAX_PIECE_BYTES = 128 * 1024 * 1024;

/**
 * The text of an input file, or of stdin for `-`, in pieces of whole lines (one piece when it fits
 * in one): a table larger than one string can hold (about 512 MB) is still read. A piece ends at a
 * line end, so a quoted field with a line break inside must not cross a piece boundary.
 */
export async function readInputLines(path: string, maxPieceBytes = MAX_PIECE_BYTES): Promise<string[]> {
  if (path !== STDIO && statSync(path).size <= maxPieceBytes) return [readFileSync(path, 'utf8')];
  const bytes = path === STDIO ? await readStdinBytes() : readFileSync(path);
  if (bytes.length <= maxPieceBytes) return [bytes.toString('utf8')];
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    let end = Math.min(bytes.length, start + maxPieceBytes);
    if (end < bytes.length) {
      const newline = bytes.lastIndexOf(0x0a, end - 1);
      end = newline >= start ? newline + 1 : end;
    }
    pieces.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return pieces;
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
