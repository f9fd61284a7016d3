/**
 * The project's one seeded pseudo-random generator: xoshiro128** (Blackman & Vigna), seeded
 * through splitmix32. Same seed → same sequence on every platform and Node version, because
 * it uses only 32-bit integer arithmetic (`Math.imul`, shifts).
 *
 * The random forest's trees are built from it, so its output is part of every model's bytes:
 * changing a constant here changes every trained model (the forest's determinism tests fail).
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
 * The 32-bit seed of stream `index` derived from `seed` (any safe integer, negative allowed):
 * both halves of the seed and the index are mixed in, so streams are independent of each other
 * and of the order in which they are used (the forest seeds tree t with `deriveSeed(seed, t)`).
 */
export function deriveSeed(seed: number, index: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  let [state, out] = splitmix32(lo ^ 0x5bd1e995);
  [state, out] = splitmix32(state ^ hi ^ out);
  [, out] = splitmix32(state ^ Math.imul(index + 1, 0x27d4eb2d) ^ out);
  return out;
}

/** xoshiro128**: fast, 128-bit state, good statistical quality for sampling and shuffling. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Only the low 32 bits of `seed` are used (use {@link deriveSeed} to fold in more). */
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

  /** Uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fisher–Yates shuffle of `a` in place (returns `a`). */
export function shuffleInPlace<T>(a: T[], rng: Xoshiro128): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  return a;
}
