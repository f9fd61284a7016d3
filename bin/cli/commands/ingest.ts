/**
 * `riskfn ingest FILE... [--symbol S] [--source NAME] [--batch-bars N] [--stream NAME] [--max-attempts N]`
 *
 * Sends price files to the market-data stream as a producer would: one bar per Kinesis record by
 * default (`{"symbol","date","open","high","low","close","volume","source"}`), or `{"bars":[...]}`
 * records of N bars with --batch-bars; partition key = the symbol. PutRecords calls stay within
 * Kinesis' limits and refused records are retried within a stated budget
 * (lib/adapters/kinesis/put-records.ts). Targets the local stack `npm start` runs
 * (bin/cli/local-endpoints.ts), or a stream in AWS with --stream.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { monthlyRecords } from '../../../lib/domain/ingest/monthly-records.ts';
import type { PriceSeries } from '../../../lib/domain/prices/price-series.ts';
import { MAX_BARS_PER_RECORD } from '../../../lib/schemas/market-data-record.ts';
import { isReservedSymbol, type PriceBarInput, SYMBOL_PATTERN } from '../../../lib/schemas/price-bar.ts';
import { DataError, integerOption, numberOption, paragraphs, UsageError } from '../command-kit.ts';
import { checkStdinOnce, inputName, messageWriter, STDIO } from '../io.ts';
import { connectLocalStack, quietAwsSdk } from '../local-endpoints.ts';
import { addPriceFileOptions, type PriceFileOptions, readPriceSeries } from '../price-files.ts';
import { withProgress } from '../progress.ts';

interface IngestOptions extends PriceFileOptions {
  symbol?: string;
  source?: string;
  batchBars: number;
  stream?: string;
  maxAttempts: number;
}

/** Attempts per record, first included, unless --max-attempts says otherwise (the adapter's documented budget). */
const DEFAULT_ATTEMPTS = 8;

export function register(program: Command): void {
  const command = program
    .command('ingest')
    .summary('send price files to the market-data stream (the local stack of `npm start`, or AWS with --stream)')
    .description(
      paragraphs(`Reads price files (Date,Close | Date,Open,High,Low,Close,Volume | ...,Adj Close,Volume) and
puts their bars on the Kinesis stream: one bar per record (the usual feed), or N bars per record with
--batch-bars N. Records go in PutRecords calls of at most 500 records and 5 MiB; records the stream
refuses are retried with exponential backoff and full jitter (--max-attempts tries each, pauses up
to 100 ms doubling to at most 5 s: about 11 s at most per call with the default). Prints the counts
sent and failed; exits 1 if any record could not be sent.

Without --stream it sends to the local stack that \`npm start\` runs (found through
.riskfn-local/endpoints.json in this directory or above). With --stream NAME it sends to that
stream in AWS with the standard AWS configuration (credentials, AWS_REGION). See docs/cli.md.`),
    )
    .argument('<file...>', "price files ('-' reads one from stdin; needs --symbol)")
    .option('--symbol <symbol>', 'symbol of the bars (default: the file name without its extension; upper-cased by ingest)')
    .option('--source <name>', "the bars' source field (default: riskfn-ingest:<file name>)")
    .addOption(
      numberOption('--batch-bars <n>', 'bars per record', {
        check: (v) => Number.isInteger(v) && v >= 1 && v <= MAX_BARS_PER_RECORD,
        expected: `an integer in [1, ${MAX_BARS_PER_RECORD}]`,
        default: 1,
      }),
    )
    .option('--stream <name>', 'a Kinesis stream in AWS (default: the local stack of `npm start`)')
    .addOption(integerOption('--max-attempts <n>', 'attempts per record, first included', { min: 1, default: DEFAULT_ATTEMPTS }));
  addPriceFileOptions(command).action((files: string[], opts: IngestOptions) => run(files, opts));
}

/** Why `symbol` cannot be a lake symbol, or undefined when it can. */
function symbolProblem(symbol: string): string | undefined {
  if (!SYMBOL_PATTERN.test(symbol)) return `symbol '${symbol}' must be 1-32 of A-Z a-z 0-9 . _ ^ -`;
  if (isReservedSymbol(symbol)) return `symbol '${symbol}' is reserved`;
  return undefined;
}

/** A Kinesis record to put: its partition key (the symbol) and JSON bytes. */
export interface BarRecord {
  partitionKey: string;
  data: Uint8Array;
  /** Bars the record carries. */
  bars: number;
}

/**
 * The stream records for one series: its bars in date order, one per record (a bare bar object)
 * when `barsPerRecord` is 1, else `{ "bars": [...] }` records of up to `barsPerRecord` bars.
 * With an `Adj Close` column the adjusted close is sent alone (the file's open/high/low are
 * unadjusted and would not bracket it).
 */
export function barRecords(series: PriceSeries, symbol: string, source: string, barsPerRecord: number): BarRecord[] {
  // monthlyRecords holds the one rule for turning a series into wire bars; its grouping is not used here.
  const bars: PriceBarInput[] = monthlyRecords(series, symbol, source).flatMap((r) => r.bars);
  const out: BarRecord[] = [];
  for (let i = 0; i < bars.length; i += barsPerRecord) {
    const group = bars.slice(i, i + barsPerRecord);
    const body = barsPerRecord === 1 ? group[0] : { bars: group };
    out.push({ partitionKey: symbol, data: Buffer.from(JSON.stringify(body)), bars: group.length });
  }
  return out;
}

interface FileRecords {
  file: string;
  symbol: string;
  records: BarRecord[];
}

async function readFiles(files: readonly string[], opts: IngestOptions): Promise<FileRecords[]> {
  const read: FileRecords[] = [];
  for (const file of files) {
    const series = await readPriceSeries(file, opts);
    const symbol = opts.symbol ?? series.symbol!;
    const problem = symbolProblem(symbol);
    if (problem) throw new DataError(`${inputName(file)}: ${problem}; name the symbol with --symbol`);
    const name = file === STDIO ? 'stdin' : basename(file);
    read.push({ file, symbol, records: barRecords(series, symbol, opts.source ?? `riskfn-ingest:${name}`, opts.batchBars) });
  }
  return read;
}

async function run(files: string[], opts: IngestOptions): Promise<void> {
  checkStdinOnce(files);
  if (files.includes(STDIO) && opts.symbol === undefined) throw new UsageError("reading stdin ('-') needs --symbol");
  if (opts.symbol !== undefined) {
    const problem = symbolProblem(opts.symbol);
    if (problem) throw new UsageError(`--symbol: ${problem}`);
  }
  if (opts.source !== undefined && (opts.source.length < 1 || opts.source.length > 256)) throw new UsageError('--source must be 1 to 256 characters');
  const say = messageWriter(false);
  const perFile = await readFiles(files, opts);

  let streamName: string;
  let where: string;
  if (opts.stream !== undefined) {
    quietAwsSdk();
    streamName = opts.stream;
    where = 'AWS';
  } else {
    const local = await connectLocalStack('--stream NAME');
    streamName = local.stream;
    where = `local stack, ${local.endpoints.kinesis}`;
  }
  // Loaded here: the SDK is needed only once there is something to send.
  const { sendRecords } = await import('../../../lib/adapters/kinesis/put-records.ts');
  const entries = perFile.flatMap((f) => f.records);
  const totalBars = entries.reduce((n, r) => n + r.bars, 0);
  const report = await withProgress('sending records', entries.length, (progress) =>
    sendRecords(streamName, entries, { maxAttempts: opts.maxAttempts, onProgress: (n) => progress.update(n) }),
  );

  for (const f of perFile)
    say(`${inputName(f.file)}: ${f.records.reduce((n, r) => n + r.bars, 0)} bars of ${f.symbol.toUpperCase()} in ${f.records.length} records`);
  const failedBars = report.failed.reduce((n, f) => n + (f.entry as BarRecord).bars, 0);
  say(
    `sent ${report.sent} records (${totalBars - failedBars} bars), failed ${report.failed.length} records (${failedBars} bars), to stream ${streamName} (${where}); ${report.calls} PutRecords calls, ${report.retriedEntries} records retried`,
  );
  if (report.failed.length > 0) {
    const codes = new Map<string, number>();
    for (const f of report.failed) codes.set(f.errorCode ?? 'unknown', (codes.get(f.errorCode ?? 'unknown') ?? 0) + 1);
    const byCode = [...codes].map(([code, n]) => `${code} ×${n}`).join(', ');
    const why = report.stoppedBy ?? `still refused after ${opts.maxAttempts} attempts (${byCode})`;
    throw new DataError(`${report.failed.length} of ${report.records} records could not be sent: ${why}`);
  }
}
