/** Groups a record's accepted bars by lake partition (symbol, month), in order of first appearance. */
import { monthOf } from '../../util/calendar-date.ts';
import type { AcceptedBar } from './validate-record.ts';

export interface PartitionGroup {
  symbol: string;
  /** `YYYY-MM` of the bars' dates. */
  month: string;
  bars: AcceptedBar[];
}

export function partitionBars(accepted: readonly AcceptedBar[]): PartitionGroup[] {
  const groups = new Map<string, PartitionGroup>();
  for (const a of accepted) {
    const month = monthOf(a.bar.date);
    const id = `${a.bar.symbol}\u0000${month}`;
    let g = groups.get(id);
    if (!g) {
      g = { symbol: a.bar.symbol, month, bars: [] };
      groups.set(id, g);
    }
    g.bars.push(a);
  }
  return [...groups.values()];
}
