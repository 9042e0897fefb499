/** The core's seeded generator: reproducible streams, exact resume, forks, and sampling laws. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextU32());
}

/** Softmax of a plain array (float64), the law categoricalFromLogits should follow. */
function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** |observed − expected| within `sigmas` binomial standard deviations, for every category. */
function expectFrequencies(counts: number[], probs: number[], total: number, sigmas = 5): void {
  probs.forEach((p, k) => {
    const sd = Math.sqrt(total * p * (1 - p));
    expect(
      Math.abs(counts[k]! - total * p),
      `category ${k}: ${counts[k]} vs ${total * p}`,
    ).toBeLessThanOrEqual(sigmas * sd + 1e-9);
  });
}

describe('Rng streams', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draws(Rng.fromSeed(7), 1000)).toEqual(draws(Rng.fromSeed(7), 1000));
    const a = draws(Rng.fromSeed(7), 100);
    for (const other of [8, 0, -7, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
      expect(draws(Rng.fromSeed(other), 100)).not.toEqual(a);
    }
  });

  it('nearby seeds give unrelated first draws (no shared prefix)', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, s) => Rng.fromSeed(s).nextU32()));
    expect(firsts.size).toBe(200);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => Rng.fromSeed(1.5)).toThrow(/safe integer/);
    expect(() => Rng.fromSeed(Number.NaN)).toThrow(/safe integer/);
    expect(() => Rng.fromSeed(2 ** 60)).toThrow(/safe integer/);
  });

  it('continues exactly from a saved state (fromState(state()))', () => {
    const rng = Rng.fromSeed(123);
    draws(rng, 37);
    rng.normal();
    const resumed = Rng.fromState(rng.state());
    expect(draws(resumed, 500)).toEqual(draws(rng, 500));
    expect(resumed.uniform()).toBe(rng.uniform());
    expect(resumed.normal()).toBe(rng.normal());
    expect(Array.from(resumed.permutation(20))).toEqual(Array.from(rng.permutation(20)));
  });

  it('state() is four uint32 words and survives a JSON round trip', () => {
    const rng = Rng.fromSeed(-5);
    draws(rng, 3);
    const state = rng.state();
    expect(state).toHaveLength(4);
    for (const w of state) {
      expect(Number.isInteger(w)).toBe(true);
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(0xffffffff);
    }
    const revived = Rng.fromState(JSON.parse(JSON.stringify(state)));
    expect(draws(revived, 50)).toEqual(draws(rng, 50));
  });

  it('refuses a malformed state, naming what it received', () => {
    expect(() => Rng.fromState([1, 2, 3] as unknown as [number, number, number, number])).toThrow(
      /four uint32 words/,
    );
    expect(() => Rng.fromState([1, 2, 3, -1])).toThrow(/four uint32 words/);
    expect(() => Rng.fromState([1, 2, 3, 2 ** 32])).toThrow(/four uint32 words/);
    expect(() => Rng.fromState([1, 2, 3.5, 4])).toThrow(/3\.5/);
  });
});

describe('Rng.fork', () => {
  it('different labels give different streams; the same label on the same state gives the same stream', () => {
    const a = Rng.fromSeed(1).fork('init');
    const b = Rng.fromSeed(1).fork('env-0');
    const c = Rng.fromSeed(1).fork('env-1');
    const again = Rng.fromSeed(1).fork('init');
    const sa = draws(a, 100);
    expect(draws(again, 100)).toEqual(sa);
    expect(draws(b, 100)).not.toEqual(sa);
    expect(draws(c, 100)).not.toEqual(draws(Rng.fromSeed(1).fork('env-0'), 100));
  });

  it('a child stream differs from its parent and the parent advances by exactly one draw', () => {
    const parent = Rng.fromSeed(9);
    const twin = Rng.fromSeed(9);
    const child = parent.fork('x');
    twin.nextU32();
    expect(parent.state()).toEqual(twin.state());
    expect(draws(child, 100)).not.toEqual(draws(parent, 100));
  });

  it('successive forks with the same label differ (the parent moved on)', () => {
    const parent = Rng.fromSeed(3);
    expect(draws(parent.fork('same'), 20)).not.toEqual(draws(parent.fork('same'), 20));
  });
});

describe('Rng distributions', () => {
  const N = 20_000;

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = Rng.fromSeed(11);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      sumSq += u * u;
    }
    const mean = sum / N;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(sumSq / N - mean * mean - 1 / 12)).toBeLessThan(0.005);
  });

  it('int(n) covers 0..n-1 uniformly and refuses a bad bound', () => {
    const rng = Rng.fromSeed(12);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < N; i++) {
      const k = rng.int(7);
      expect(Number.isInteger(k)).toBe(true);
      counts[k] += 1;
    }
    expectFrequencies(counts, new Array(7).fill(1 / 7), N);
    expect(() => rng.int(0)).toThrow(/positive integer/);
    expect(() => rng.int(2.5)).toThrow(/positive integer/);
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = Rng.fromSeed(13);
    let sum = 0;
    let sumSq = 0;
    let beyond2 = 0;
    for (let i = 0; i < N; i++) {
      const z = rng.normal();
      expect(Number.isFinite(z)).toBe(true);
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 2) beyond2 += 1;
    }
    expect(Math.abs(sum / N)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(sumSq / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    // P(|Z| > 2) = 0.0455 for a standard normal
    expectFrequencies([beyond2], [0.04550026389635842], N);
  });

  it('permutation(n) is a permutation of 0..n-1 for every n, including 0 and 1', () => {
    const rng = Rng.fromSeed(14);
    for (const n of [0, 1, 2, 3, 10, 257]) {
      const p = Array.from(rng.permutation(n));
      expect(p).toHaveLength(n);
      expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('permutation(3) draws all 6 orders equally often', () => {
    const rng = Rng.fromSeed(15);
    const counts = new Map<string, number>();
    const total = 12_000;
    for (let i = 0; i < total; i++) {
      const key = Array.from(rng.permutation(3)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expectFrequencies([...counts.values()], new Array(6).fill(1 / 6), total);
  });
});

describe('Rng.categoricalFromLogits', () => {
  const N = 20_000;

  it('draws indices with the softmax probabilities of the logits', () => {
    const logits = [0.5, -1, 2, 0, 1.25];
    const rng = Rng.fromSeed(21);
    const counts = new Array(logits.length).fill(0);
    for (let i = 0; i < N; i++) counts[rng.categoricalFromLogits(logits, 0, logits.length)] += 1;
    expectFrequencies(counts, softmax(logits), N);
  });

  it('reads only logits[offset .. offset+n) of a flat buffer', () => {
    // two rows of three logits; the neighbours of the sampled row are huge so any overrun would show
    const flat = Float32Array.from([50, 50, 50, 0, 1, -1, 50, 50, 50]);
    const rng = Rng.fromSeed(22);
    const counts = new Array<number>(3).fill(0);
    for (let i = 0; i < N; i++) {
      const k = rng.categoricalFromLogits(flat, 3, 3);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(3);
      counts[k] = counts[k]! + 1;
    }
    expectFrequencies(counts, softmax([0, 1, -1]), N);
  });

  it('never returns a masked (−1e10) index, and renormalises over the rest', () => {
    const logits = Float32Array.from([3, -1e10, 0.2, -1e10, -0.5]);
    const rng = Rng.fromSeed(23);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < N; i++) counts[rng.categoricalFromLogits(logits, 0, 5)] += 1;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    const p = softmax([3, 0.2, -0.5]);
    expectFrequencies([counts[0], counts[2], counts[4]], p, N);
  });

  it('returns the only available action when every other one is masked, wherever it sits', () => {
    const rng = Rng.fromSeed(24);
    for (let only = 0; only < 4; only++) {
      const logits = [-1e10, -1e10, -1e10, -1e10];
      logits[only] = -3;
      for (let i = 0; i < 200; i++) expect(rng.categoricalFromLogits(logits, 0, 4)).toBe(only);
    }
  });

  it('consumes one uniform per draw, so the stream stays reproducible', () => {
    const a = Rng.fromSeed(25);
    const b = Rng.fromSeed(25);
    const logits = [0, 1, 2];
    const sa = Array.from({ length: 100 }, () => a.categoricalFromLogits(logits, 0, 3));
    const sb = Array.from({ length: 100 }, () => b.categoricalFromLogits(logits, 0, 3));
    expect(sa).toEqual(sb);
    const drawn = Rng.fromSeed(26);
    const plain = Rng.fromSeed(26);
    drawn.categoricalFromLogits(logits, 0, 3);
    plain.uniform();
    expect(drawn.state()).toEqual(plain.state());
  });
});
