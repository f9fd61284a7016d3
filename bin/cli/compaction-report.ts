/** How `riskfn lake compact` and `riskfn lake redrive` (which compacts what it wrote) report a compaction run. */
import type { CompactionLogger, CompactionRun } from '../../lib/adapters/s3/lake-compactor.ts';
import { counted } from './format.ts';

/** One tab-separated line per partition (symbol, year, outcome, staging objects folded, bars), then one per failed partition. */
export function partitionLines(run: CompactionRun): string {
  const lines = run.partitions.map((p) => {
    const corrupt = p.corruptObjects.length > 0 ? `\t${p.corruptObjects.length} corrupt moved to quarantine` : '';
    return `${p.symbol}\t${p.year}\t${p.status}\t${p.objectsFolded} staging objects\t${p.bars} bars${corrupt}\n`;
  });
  for (const f of run.failed) lines.push(`${f.symbol}\t${f.year}\tfailed\t${f.error.message}\n`);
  return lines.join('');
}

/** The run in one line: partitions compacted in the bucket, staging objects folded, bars written, corrupt objects quarantined. */
export function compactionSummary(run: CompactionRun, bucket: string): string {
  const done = run.partitions.filter((p) => p.status !== 'empty').length;
  return `${counted(done, 'partition')} compacted in s3://${bucket}: ${counted(run.objectsCompacted, 'staging object')} folded, ${counted(run.barsCompacted, 'bar')} written, ${counted(run.corruptObjects, 'corrupt object')} quarantined\n`;
}

/** Reports each corrupt object compaction moves to quarantine, on stderr. */
export const stderrCompactionLogger: CompactionLogger = {
  warn: (message, details) => void process.stderr.write(`${message}: ${details.key} → ${details.quarantineKey} (${details.problem})\n`),
};
