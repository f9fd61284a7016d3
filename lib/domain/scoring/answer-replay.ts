/**
 * Judging a replayed answer (pure): each stored piece an audit record points at is checked
 * against the hash the record names, and the recomputed answer is compared with the recorded one
 * as canonical JSON (RFC 8785), byte for byte. `riskfn audit replay` prints the verdict
 * (docs/lineage.md).
 */
import { canonicalJson } from '../../util/canonical-json.ts';

/** One stored piece checked against the record: `match`, `mismatch` (the bytes hash to something else) or `missing` (not found). */
export interface PieceCheck {
  /** What the piece is, e.g. `request`, `input series DAX`, `model artifact`, `conventions`. */
  piece: string;
  status: 'match' | 'mismatch' | 'missing';
  /** What the record says (a hash, usually). */
  expected: string;
  /** What was found; null when missing. */
  actual: string | null;
  /** Where the piece is (an S3 key, the item). */
  location: string;
}

/** A stored piece's check: `actual` null = not found. */
export function checkPiece(piece: string, location: string, expected: string, actual: string | null): PieceCheck {
  return { piece, location, expected, actual, status: actual === null ? 'missing' : actual === expected ? 'match' : 'mismatch' };
}

/** Where two JSON values first differ, as a JSON Pointer, with both sides (absent = undefined). */
export interface JsonDifference {
  path: string;
  recorded: unknown;
  recomputed: unknown;
}

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The first difference between two parsed JSON values in canonical key order (depth first), or null when they are equal. */
export function firstDifference(recorded: unknown, recomputed: unknown, path = ''): JsonDifference | null {
  if (Object.is(recorded, recomputed)) return null;
  const bothArrays = Array.isArray(recorded) && Array.isArray(recomputed);
  const bothObjects =
    typeof recorded === 'object' &&
    recorded !== null &&
    typeof recomputed === 'object' &&
    recomputed !== null &&
    !Array.isArray(recorded) &&
    !Array.isArray(recomputed);
  if (bothArrays) {
    const a = recorded as unknown[];
    const b = recomputed as unknown[];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (bothObjects) {
    const a = recorded as Record<string, unknown>;
    const b = recomputed as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], `${path}/${escapePointer(k)}`);
      if (d) return d;
    }
    return null;
  }
  return { path, recorded, recomputed };
}

/** The recorded and the recomputed answer compared as canonical JSON. */
export interface AnswerComparison {
  identical: boolean;
  /** Bytes of each side's canonical JSON. */
  recordedBytes: number;
  recomputedBytes: number;
  /** The first differing member; null when identical. */
  difference: JsonDifference | null;
}

/** Compares two answer texts (JSON) as canonical JSON, byte for byte. */
export function compareAnswers(recordedText: string, recomputedText: string): AnswerComparison {
  const recorded = JSON.parse(recordedText) as unknown;
  const recomputed = JSON.parse(recomputedText) as unknown;
  const a = Buffer.from(canonicalJson(recorded), 'utf8');
  const b = Buffer.from(canonicalJson(recomputed), 'utf8');
  const identical = a.equals(b);
  return { identical, recordedBytes: a.length, recomputedBytes: b.length, difference: identical ? null : firstDifference(recorded, recomputed) };
}

/** The outcome of a replay. */
export type ReplayOutcome = 'identical' | 'different' | 'not-replayable';

/** The verdict: identical only when every piece matched and the answers are byte-identical. */
export interface ReplayVerdict {
  outcome: ReplayOutcome;
  /** The pieces that did not match (mismatch or missing), in check order. */
  failed: PieceCheck[];
  /** One sentence for people. */
  summary: string;
}

/**
 * The verdict of a replay from its piece checks and, when the answer could be recomputed, its
 * comparison. A piece that fails makes the replay `different` even when the answer came out the
 * same: the evidence no longer matches what the record says was used.
 */
export function replayVerdict(checks: readonly PieceCheck[], comparison: AnswerComparison | null, whyNot?: string): ReplayVerdict {
  const failed = checks.filter((c) => c.status !== 'match');
  const named = failed.map((c) => `${c.piece} (${c.status}: ${c.location})`).join('; ');
  if (comparison === null) {
    const why = whyNot ?? 'the answer could not be recomputed';
    return { outcome: 'not-replayable', failed, summary: failed.length > 0 ? `${why}; no longer matching: ${named}` : why };
  }
  if (failed.length > 0) {
    const answer = comparison.identical ? 'the recomputed answer is identical' : `the answer differs first at ${comparison.difference?.path || '(root)'}`;
    return { outcome: 'different', failed, summary: `no longer matching the record: ${named}; ${answer}` };
  }
  if (!comparison.identical) {
    return {
      outcome: 'different',
      failed,
      summary: `every piece matches, but the recomputed answer differs first at ${comparison.difference?.path || '(root)'}`,
    };
  }
  return { outcome: 'identical', failed, summary: `${comparison.recordedBytes} bytes of canonical JSON, byte for byte` };
}
