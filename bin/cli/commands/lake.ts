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
import { registerLakeAdmin } from '../lake-admin.ts';
import { connectLocalStack, quietAwsSdk } from '../local-endpoints.ts';

interface CompactOptions {
  bucket?: string;
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
  let bucket: string;
  if (opts.bucket !== undefined) {
    quietAwsSdk();
    bucket = opts.bucket;
  } else {
    bucket = (await connectLocalStack('--bucket NAME')).bucket;
  }
  const { compactPartitions } = await import('../../../lib/adapters/s3/lake-compactor.ts');
  const run = await compactPartitions(bucket, {
    ...(symbol !== undefined ? { symbol } : {}),
    logger: { warn: (message, details) => void process.stderr.write(`${message}: ${details.key} → ${details.quarantineKey} (${details.problem})\n`) },
  });
  for (const p of run.partitions) {
    const corrupt = p.corruptObjects.length > 0 ? `\t${p.corruptObjects.length} corrupt moved to quarantine` : '';
    process.stdout.write(`${p.symbol}\t${p.year}\t${p.status}\t${p.objectsFolded} staging objects\t${p.bars} bars${corrupt}\n`);
  }
  for (const f of run.failed) process.stdout.write(`${f.symbol}\t${f.year}\tfailed\t${f.error.message}\n`);
  const done = run.partitions.filter((p) => p.status !== 'empty').length;
  process.stderr.write(
    `${done} partitions compacted in s3://${bucket}: ${run.objectsCompacted} staging objects folded, ${run.barsCompacted} bars written, ${run.corruptObjects} corrupt objects quarantined\n`,
  );
  if (run.failed.length > 0) throw new DataError(`${run.failed.length} partition(s) not compacted; run the command again (nothing was lost)`);
}
