/**
 * `riskfn lake <subcommand>`: operations on the data lake of the local stack (`npm start`) or of
 * a bucket in AWS (--bucket NAME, standard AWS configuration).
 *   compact [--symbol S]   fold staging objects into one compacted object per (symbol, year)
 * and the repair and review subcommands of ../lake-admin.ts (quarantine, release, redrive, rebuild).
 * AWS SDK code is loaded inside the actions, so `riskfn --help` stays fast.
 */
import type { Command } from 'commander';
import { isReservedSymbol, SYMBOL_PATTERN } from '../../../lib/schemas/price-bar.ts';
import { DataError, paragraphs, UsageError } from '../command-kit.ts';
import { compactionSummary, partitionLines, stderrCompactionLogger } from '../compaction-report.ts';
import { counted } from '../format.ts';
import { type BucketOptions, registerLakeAdmin, targetBucket } from '../lake-admin.ts';

interface CompactOptions extends BucketOptions {
  symbol?: string;
}

export function register(program: Command): void {
  const lake = program
    .command('lake')
    .summary('data-lake operations: compact, quarantine, release, redrive, rebuild')
    .description(
      paragraphs(`Operations on the data lake of the local stack that \`npm start\` runs (found through
.riskfn-local/endpoints.json in this directory or above), or of a bucket in AWS with --bucket NAME
and the standard AWS configuration (credentials, AWS_REGION). See docs/data-lake.md.`),
    );

  lake
    .command('compact')
    .summary('fold staging objects into one compacted Parquet object per (symbol, year), now')
    .description(
      paragraphs(`Runs compaction on demand, as the schedule does: every (symbol, year) partition that has
staging objects, or only the partitions of --symbol, is merged into its one compacted object
curated/prices/year=<YYYY>/<SYMBOL>.parquet (latest version of each date wins), committed with a
conditional PUT, and the folded staging objects are deleted. With --symbol the symbol's compacted
objects with nothing staged are checked too. Safe while ingest and other compactions run. Objects
that do not decode are moved to quarantine/reason=CORRUPT_OBJECT/.

Prints one line per partition (symbol, year, what happened, staging objects folded, bars) and a
summary on stderr; exits 1 if a partition could not be compacted.`),
    )
    .option('--symbol <symbol>', 'compact only this symbol (upper-cased)')
    .option('--bucket <name>', 'the data-lake bucket in AWS (default: the local stack of `npm start`)')
    .action((opts: CompactOptions) => compact(opts));

  registerLakeAdmin(lake);
}

async function compact(opts: CompactOptions): Promise<void> {
  const symbol = opts.symbol?.toUpperCase();
  if (symbol !== undefined && (!SYMBOL_PATTERN.test(symbol) || isReservedSymbol(symbol))) {
    throw new UsageError(`--symbol must be 1-32 of A-Z a-z 0-9 . _ ^ - (not . or ..), got '${opts.symbol}'`);
  }
  const bucket = await targetBucket(opts);
  const { compactPartitions } = await import('../../../lib/adapters/s3/lake-compactor.ts');
  const run = await compactPartitions(bucket, {
    ...(symbol !== undefined ? { symbol } : {}),
    logger: stderrCompactionLogger,
  });
  process.stdout.write(partitionLines(run));
  process.stderr.write(compactionSummary(run, bucket));
  if (run.failed.length > 0) throw new DataError(`${counted(run.failed.length, 'partition')} not compacted; run the command again (nothing was lost)`);
}
