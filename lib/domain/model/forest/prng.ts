/**
 * Seeded pseudo-random numbers for the forest: xoshiro128** (Blackman & Vigna), seeded
 * through splitmix32. Per-tree seeds are derived from the forest seed and the tree index
 * only, so a tree is the same whichever thread builds it and in whatever order.
 */

/** One splitmix32 step: returns the next state and a well-mixed 32-bit output. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
}

/**
 * The 32-bit seed of tree `treeIndex` of a forest seeded with `forestSeed` (any safe
 * integer, negative allowed). Both halves of the seed and the index are mixed in.
 */
export function deriveTreeSeed(forestSeed: number, treeIndex: number): number {
  const lo = forestSeed >>> 0;
  const hi = Math.floor(forestSeed / 0x1_0000_0000) >>> 0;
  let [state, out] = splitmix32(lo ^ 0x5bd1e995);
  [state, out] = splitmix32(state ^ hi ^ out);
  [, out] = splitmix32(state ^ Math.imul(treeIndex + 1, 0x27d4eb2d) ^ out);
  return out;
}

/** xoshiro128**: fast, 128-bit state, good statistical quality for sampling. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let st = seed | 0;
    let o: number;
    [st, o] = splitmix32(st);
    this.s0 = o | 0;
    [st, o] = splitmix32(st);
    this.s1 = o | 0;
    [st, o] = splitmix32(st);
    this.s2 = o | 0;
    [, o] = splitmix32(st);
    this.s3 = o | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias below n / 2^32). */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() * n) / 0x1_0000_0000);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
