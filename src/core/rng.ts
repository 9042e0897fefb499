/**
 * The one seeded random-number generator of the core (docs/design.md: core never uses the unseeded global one).
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand,
 * and its state is four uint32 words, so a checkpoint can store it and a resumed run continues the
 * exact same stream. Seeds are expanded with splitmix32 so nearby seeds give unrelated streams.
 */

/** Serialisable generator state (four uint32 words). */
export type RngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a label, used to fork independent streams by purpose. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: RngState) {
    [this.a, this.b, this.c, this.d] = state;
  }

  /** A generator for an integer seed (any safe integer; negative seeds are allowed). */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new Error(`Rng seed must be a safe integer, received ${seed}`);
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x9e3779b1));
    const rng = new Rng([mix(), mix(), mix(), mix() | 1]);
    for (let i = 0; i < 12; i++) rng.nextU32(); // warm up, as sfc32's author recommends
    return rng;
  }

  /** A generator that continues exactly from a saved state. */
  static fromState(state: RngState): Rng {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new Error(`Rng state must be four uint32 words, received ${JSON.stringify(state)}`);
    }
    return new Rng(state);
  }

  /** The current state; `Rng.fromState(rng.state())` continues the same stream. */
  state(): RngState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** An independent generator for one purpose (e.g. 'init', 'env-3'); advances this one once. */
  fork(label: string): Rng {
    const seed = this.nextU32() ^ hashLabel(label);
    const mix = splitmix32(seed);
    const child = new Rng([mix(), mix() ^ hashLabel(`${label}#`), mix(), mix() | 1]);
    for (let i = 0; i < 12; i++) child.nextU32();
    return child;
  }

  /** Next uniform uint32. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`Rng.int needs a positive integer bound, received ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal sample (Box–Muller; one uniform pair per sample keeps the state simple). */
  normal(): number {
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * Index drawn from unnormalised log-probabilities `logits[offset .. offset+n)` (softmax sampling).
   * Works directly on a flat logits buffer so the rollout loop allocates nothing.
   */
  categoricalFromLogits(logits: ArrayLike<number>, offset: number, n: number): number {
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]!);
    let total = 0;
    for (let k = 0; k < n; k++) total += Math.exp(logits[offset + k]! - max);
    let u = this.uniform() * total;
    let last = 0;
    for (let k = 0; k < n; k++) {
      const p = Math.exp(logits[offset + k]! - max);
      if (p > 0) last = k;
      u -= p;
      if (u < 0 && p > 0) return k;
    }
    return last; // rounding left u >= 0: take the last action with non-zero probability
  }
}
