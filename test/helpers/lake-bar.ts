/** A valid lake bar for tests: DAX on 2024-01-02, close 100, first version, single-bar record; override any field. */
import type { LakeBar } from '../../lib/domain/lake/bar-schema.ts';

export const TEST_SHARD = 'shardId-000000000000';
/** A realistic Kinesis sequence number: 56 digits, far beyond 2^53. */
export const TEST_SEQ = '49590338271490256608559692538361571095921575989136588898';

export function lakeBar(overrides: Partial<LakeBar> = {}): LakeBar {
  return {
    symbol: 'DAX',
    date: '2024-01-02',
    open: null,
    high: null,
    low: null,
    close: 100,
    volume: null,
    source: 'test',
    shardId: TEST_SHARD,
    sequenceNumber: TEST_SEQ,
    barIndex: 0,
    arrivalTime: Date.UTC(2024, 0, 2, 18, 0, 0, 250),
    revision: 0,
    flags: null,
    ...overrides,
  };
}
