/**
 * The lake's repair and review subcommands of `riskfn lake` (registered by commands/lake.ts):
 *   quarantine [--reason R] [--since DATE]   list quarantined and held parts
 *   release KEY...                           apply held bars a person checked
 *   redrive [--from FILE]                    ingest again the records ingest gave up on
 *   rebuild --symbol S [--apply]             recompute a symbol's compacted objects from raw/ and compare
 * Each targets the local stack `npm start` runs, or a bucket in AWS with --bucket NAME (standard
 * AWS configuration). AWS SDK code is loaded inside the actions, so `riskfn --help` stays fast.
 */
import type { Command } from 'commander';
import type { Partition } from '../../lib/adapters/s3/lake-compactor.ts';
import { parseStagingKey } from '../../lib/domain/lake/keys.ts';
import { QUARANTINE_REASON_CODES, type QuarantineReason } from '../../lib/schemas/quarantine-reason.ts';
import { parseIsoDate } from '../../lib/util/calendar-date.ts';
import { choiceOption, DataError, paragraphs, UsageError } from './command-kit.ts';
import { compactionSummary, stderrCompactionLogger } from './compaction-report.ts';
import { readInput } from './io.ts';
import { connectLocalStack, quietAwsSdk } from './local-endpoints.ts';

/** The --bucket option every `riskfn lake` subcommand takes. */
export interface BucketOptions {
  bucket?: string;
}

const BUCKET_FLAGS = ['--bucket <name>', 'the data-lake bucket in AWS (default: the local stack of `npm start`)'] as const;

/**
 * The bucket a `riskfn lake` subcommand works on: --bucket in AWS (also set as DATA_BUCKET, which
 * the in-process ingest handler of redrive reads), else the local stack's, whose endpoints the
 * SDK then uses.
 */
export async function targetBucket(opts: BucketOptions): Promise<string> {
  if (opts.bucket !== undefined) {
    quietAwsSdk();
    process.env.DATA_BUCKET = opts.bucket;
    return opts.bucket;
  }
  return (await connectLocalStack('--bucket NAME')).bucket;
}

export function registerLakeAdmin(lake: Command): void {
  lake
    .command('quarantine')
    .summary('list quarantined and held parts (reason, ingest date, status)')
    .description(
      paragraphs(`Lists quarantine/: every rejected part (a record or one bar of a batch) and every bar held by
the plausibility check, oldest ingest date first, one line each: ingest date, reason, status
(rejected, held, released, corrupt), symbol and date of held bars, and the S3 key. Held bars
(IMPLAUSIBLE_PRICE, SUSPECT_REVISION) also show why they were held; \`riskfn lake release KEY\`
applies one. Read any entry with its key (the JSON keeps the original bytes). See docs/data-lake.md.`),
    )
    .addOption(choiceOption('--reason <code>', 'only this reason code', QUARANTINE_REASON_CODES))
    .option('--since <date>', 'only parts ingested on or after this UTC date (YYYY-MM-DD)')
    .option(...BUCKET_FLAGS)
    .action(async (opts: BucketOptions & { reason?: QuarantineReason; since?: string }) => {
      if (opts.since !== undefined && !parseIsoDate(opts.since).ok) throw new UsageError(`--since must be a YYYY-MM-DD date, got '${opts.since}'`);
      const bucket = await targetBucket(opts);
      const { listQuarantine } = await import('../../lib/adapters/s3/quarantine-store.ts');
      const rows = await listQuarantine(bucket, {
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.since ? { since: opts.since } : {}),
      });
      for (const r of rows) {
        const bar = r.symbol ? `${r.symbol} ${r.date}` : '-';
        process.stdout.write(`${r.ingestDate}\t${r.reason}\t${r.status}\t${bar}\t${r.key}${r.detail && r.status !== 'rejected' ? `\t${r.detail}` : ''}\n`);
      }
      const held = rows.filter((r) => r.status === 'held').length;
      process.stderr.write(`${rows.length} parts (${held} held awaiting release) in s3://${bucket}/quarantine/\n`);
    });

  lake
    .command('release')
    .summary('apply held bars after checking them')
    .description(
      paragraphs(`Applies each held bar (quarantine/reason=IMPLAUSIBLE_PRICE/… or SUSPECT_REVISION/…): the bar is written
as its own staging object with its original shard, sequence number, bar index and arrival time
and the flag \`released\`, its (symbol, year) partition is compacted at once, and its quarantine
entry records the release (it stays, as the bar's trace). Releasing twice changes nothing. Only
held bars can be released: a rejected part is invalid and must be corrected and sent again.`),
    )
    .argument('<key...>', 'quarantine keys of held bars (as `riskfn lake quarantine` prints them)')
    .option(...BUCKET_FLAGS)
    .action(async (keys: string[], opts: BucketOptions) => {
      const bucket = await targetBucket(opts);
      const { releaseHeldPart, ReleaseError } = await import('../../lib/adapters/s3/quarantine-store.ts');
      for (const key of keys) {
        try {
          const r = await releaseHeldPart(bucket, key, new Date());
          const bar = r.entry.held!.bar;
          process.stdout.write(`${r.firstRelease ? 'released' : 'already released'}\t${bar.symbol} ${bar.date} close ${bar.close}\t${r.stagingKey}\n`);
        } catch (err) {
          if (err instanceof ReleaseError) throw new DataError(err.message);
          throw err;
        }
      }
    });

  lake
    .command('redrive')
    .summary('ingest again the records ingest gave up on (from the stream, by sequence number)')
    .description(
      paragraphs(`For each failure record (a batch the ingest gave up on: shard and sequence range), reads those
records from the stream again (GetShardIterator AT_SEQUENCE_NUMBER) and runs them through the
ingest handler in this process; a failure record whose whole range was ingested is removed.
The (symbol, year) partitions the redrive wrote are then compacted at once.
Locally the failure records are the objects under failed/ in the bucket. In AWS they are messages
on the ingest's on-failure SQS queue: save them with
\`aws sqs receive-message --queue-url URL --max-number-of-messages 10 > failed.json\` and pass
--from failed.json (delete the messages after a successful redrive). Records can be redriven while
they are on the stream (7 days). Exit code 1 if any range could not be ingested.`),
    )
    .option('--from <file>', "failure records in a file ('-' = stdin): one record, an array, JSON lines, or `aws sqs receive-message` output")
    .option(...BUCKET_FLAGS)
    .action(async (opts: BucketOptions & { from?: string }) => {
      const failures = opts.from !== undefined ? parseFailureRecords(await readInput(opts.from)) : undefined;
      const bucket = await targetBucket(opts);
      const written = new Map<string, Partition>();
      const invoke = await ingestInvoker(written);
      const { redriveFailureRecord, redriveStoredFailures } = await import('../../lib/adapters/kinesis/redrive.ts');
      const { OnFailureRecordSchema } = await import('../../lib/schemas/on-failure-record.ts');
      const outcomes: { key: string; ok: boolean; records: number; ingested: number; problem?: string; removed?: boolean }[] = [];
      if (failures) {
        for (const [i, json] of failures.entries()) {
          const parsed = OnFailureRecordSchema.safeParse(json);
          if (!parsed.success) {
            outcomes.push({ key: `record ${i + 1}`, ok: false, records: 0, ingested: 0, problem: `not a failure record: ${parsed.error.issues[0]?.message}` });
            continue;
          }
          const info = parsed.data.KinesisBatchInfo;
          outcomes.push({ key: `${info.shardId} ${info.startSequenceNumber}-${info.endSequenceNumber}`, ...(await redriveFailureRecord(parsed.data, invoke)) });
        }
      } else {
        outcomes.push(...(await redriveStoredFailures(bucket, invoke)));
      }
      for (const o of outcomes) {
        const what = o.ok
          ? `redriven ${o.records} records${o.removed ? ', failure record removed' : ''}`
          : `NOT redriven (${o.ingested}/${o.records} records ingested): ${o.problem}`;
        process.stdout.write(`${o.key}\t${what}\n`);
      }
      const bad = outcomes.filter((o) => !o.ok).length;
      process.stderr.write(`${outcomes.length - bad} of ${outcomes.length} failure records redriven\n`);
      // This process wrote the staging objects, so no compaction loop was told about them (the local
      // stack's would see them only at its 30 s timer): fold them now. If that fails they stay
      // readable in staging for the next compaction, so the redrive itself still succeeded.
      if (written.size > 0) {
        const { compactPartitions } = await import('../../lib/adapters/s3/lake-compactor.ts');
        const run = await compactPartitions(bucket, { partitions: [...written.values()], logger: stderrCompactionLogger });
        process.stderr.write(compactionSummary(run, bucket));
        for (const f of run.failed) process.stderr.write(`${f.symbol} ${f.year} not compacted (the next compaction folds it): ${f.error.message}\n`);
      }
      if (bad > 0) throw new DataError(`${bad} failure records could not be redriven (see above)`);
    });

  lake
    .command('rebuild')
    .summary("recompute a symbol's compacted objects from raw/ and compare them byte for byte")
    .description(
      paragraphs(`Compacts the symbol's pending staging objects, then rebuilds each year's compacted object from the
source backup (raw/): every record is decoded and validated again, parts in quarantine stay out
(released bars come back), and the rows are merged as compaction merges them. Prints, per year,
whether the stored object has the same bytes, differs, is missing, or has no bar in raw/.
Without --apply nothing is written and the exit code is 1 if any year differs or is missing;
with --apply those years are replaced by the rebuilt objects. Reads every raw record (their keys
do not name symbols). See docs/data-lake.md.`),
    )
    .requiredOption('--symbol <symbol>', 'the symbol to rebuild (matched upper-cased)')
    .option('--apply', 'write the rebuilt objects of the years that differ or are missing')
    .option(...BUCKET_FLAGS)
    .action(async (opts: BucketOptions & { symbol: string; apply?: boolean }) => {
      const { SYMBOL_PATTERN, isReservedSymbol } = await import('../../lib/schemas/price-bar.ts');
      const symbol = opts.symbol.toUpperCase();
      if (!SYMBOL_PATTERN.test(symbol) || isReservedSymbol(symbol)) throw new UsageError(`--symbol '${opts.symbol}' is not a symbol ingest stores`);
      const bucket = await targetBucket(opts);
      const { rebuildSymbol } = await import('../../lib/adapters/s3/lake-rebuild.ts');
      const report = await rebuildSymbol(bucket, symbol, { apply: opts.apply === true });
      for (const y of report.years) {
        const counts = y.storedBars === undefined ? `${y.rebuiltBars} bars rebuilt` : `${y.rebuiltBars} bars rebuilt, ${y.storedBars} stored`;
        process.stdout.write(`${y.year}\t${y.status}${y.written ? ' (written)' : ''}\t${counts}\t${y.key}\n`);
      }
      process.stderr.write(`${symbol}: ${report.bars} bars from ${report.rawRecords} raw records (${report.heldOut} held or rejected parts left out)\n`);
      const off = report.years.filter((y) => (y.status === 'differs' || y.status === 'missing') && !y.written);
      if (off.length > 0) throw new DataError(`${off.length} years of ${symbol} do not match raw/ (run with --apply to replace them)`);
    });
}

/**
 * Failure records from a file: one JSON record, an array of them, JSON lines, or the output of
 * `aws sqs receive-message` (`{ "Messages": [{ "Body": "<record JSON>" }] }`).
 */
function parseFailureRecords(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let values: unknown[];
  try {
    const json: unknown = JSON.parse(trimmed);
    values = Array.isArray(json) ? json : [json];
  } catch {
    try {
      values = trimmed
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
    } catch (err) {
      throw new DataError(`failure records are not JSON: ${(err as Error).message}`);
    }
  }
  return values.flatMap((v) => {
    const messages = (v as { Messages?: { Body?: string }[] } | null)?.Messages;
    if (!Array.isArray(messages)) return [v];
    return messages.map((m) => {
      try {
        return JSON.parse(m.Body ?? '') as unknown;
      } catch {
        return m.Body;
      }
    });
  });
}

/**
 * The ingest handler, in-process, quiet (its outcome is what redrive reports), with a Lambda-shaped
 * context; the (symbol, year) partitions of the staging objects it writes are added to `written`.
 */
async function ingestInvoker(written: Map<string, Partition>) {
  const { Logger } = await import('@aws-lambda-powertools/logger');
  const { awsIngestDependencies, createIngestHandler } = await import('../../functions/ingest.ts');
  const { createLambdaContext } = await import('../../lib/local/lambda-context.ts');
  const noop = () => undefined;
  const deps = awsIngestDependencies();
  const handler = createIngestHandler({
    ...deps,
    writeObjects(objects) {
      for (const o of objects) {
        const staging = parseStagingKey(o.key);
        if (staging) written.set(`${staging.symbol}/${staging.year}`, { symbol: staging.symbol, year: staging.year });
      }
      return deps.writeObjects(objects);
    },
    logger: new Logger({ serviceName: 'riskfn-redrive', logLevel: 'SILENT' }),
    metrics: { barsAccepted: noop, barsHeld: noop, partsQuarantined: noop, recordsFailed: noop, publish: noop },
  });
  return (event: Parameters<typeof handler>[0]) => handler(event, createLambdaContext({ functionName: 'riskfn-redrive', timeoutMs: 15 * 60_000 }));
}
