/** The value normaliser of docs/spec/steer.md §b.4 and acceptance check §g.3. */
import { describe, expect, it } from 'vitest';
import { ValueNorm } from '../../../../../src/core/algos/ppo/valueNorm.js';
import { Rng } from '../../../../../src/core/rng.js';

function batchStats(x: number[]): { mean: number; meanSq: number } {
  return {
    mean: x.reduce((a, b) => a + b, 0) / x.length,
    meanSq: x.reduce((a, b) => a + b * b, 0) / x.length,
  };
}

function expectRelClose(actual: number, expected: number, rel = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-12));
}

describe('ValueNorm', () => {
  it('before any update: μ = 0, σ = 0.1, so denormalize(y) = 0.1·y and normalize(x) = 10·x', () => {
    const vn = new ValueNorm();
    expect(vn.stats()).toEqual({ mean: 0, std: expect.closeTo(0.1, 12) });
    for (const y of [-3, -0.5, 0, 1, 7.25]) {
      expectRelClose(vn.denormalize(y), 0.1 * y);
      expectRelClose(vn.normalize(y), 10 * y);
    }
  });

  it('after one update: μ = batch mean and σ² = max(batch mean square − μ², 0.01) (debiased)', () => {
    const rng = Rng.fromSeed(5);
    // float32 values, as the trainer passes them; the statistics are taken of exactly these numbers
    const batch = Float32Array.from({ length: 64 }, () => 3 + 2 * rng.normal());
    const vn = new ValueNorm();
    vn.update(batch);
    const f32 = batchStats(Array.from(batch));
    const s = vn.stats();
    expectRelClose(s.mean, f32.mean);
    expectRelClose(s.std ** 2, Math.max(f32.meanSq - f32.mean ** 2, 0.01));
    expect(s.std ** 2).toBeGreaterThan(1); // the floor is not what is being tested here
    expectRelClose(vn.denormalize(0.5), 0.5 * s.std + s.mean);
  });

  it('floors the variance at 0.01 for a (nearly) constant batch', () => {
    const vn = new ValueNorm();
    vn.update([4, 4, 4, 4.01]);
    const s = vn.stats();
    expectRelClose(s.mean, 4.0025);
    expectRelClose(s.std, 0.1);
    expectRelClose(vn.denormalize(2), 4.0025 + 0.2);
  });

  it('normalize and denormalize are inverses', () => {
    const vn = new ValueNorm();
    vn.update([-5, 1, 2, 10]);
    for (const x of [-12, -1, 0, 3.5, 40]) expect(vn.denormalize(vn.normalize(x))).toBeCloseTo(x, 9);
  });

  it('after k updates μ is the plain average of the batch means to within ~k·1e-5 relative weight (§b.4)', () => {
    const vn = new ValueNorm();
    const means = [1, 5, -2, 8];
    for (const m of means) vn.update([m - 1, m + 1]);
    const plain = means.reduce((a, b) => a + b, 0) / means.length;
    const spread = Math.max(...means) - Math.min(...means);
    expect(Math.abs(vn.stats().mean - plain)).toBeLessThan(means.length * 1e-5 * spread);
    expect(vn.stats().mean).not.toBe(plain); // the weights are exponential, not equal
  });

  it('ignores an empty batch', () => {
    const vn = new ValueNorm();
    vn.update([]);
    expect(vn.getState()).toEqual({ mean: 0, meanSq: 0, debias: 0 });
    vn.update([2, 4]);
    const before = vn.getState();
    vn.update(new Float32Array(0));
    expect(vn.getState()).toEqual(before);
  });

  it('round-trips its state and refuses a non-finite one, naming the field', () => {
    const a = new ValueNorm();
    a.update([1, 2, 3]);
    a.update([10, -4]);
    const b = new ValueNorm();
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.stats()).toEqual(a.stats());
    a.update([0.5]);
    b.update([0.5]);
    expect(b.getState()).toEqual(a.getState());
    // getState is a copy: mutating it does not touch the normaliser
    const copy = a.getState();
    copy.mean = 999;
    expect(a.getState().mean).not.toBe(999);
    expect(() => b.setState({ mean: Number.NaN, meanSq: 0, debias: 1 })).toThrow(
      /mean must be a finite number/,
    );
    expect(() => b.setState({ mean: 0, meanSq: Infinity, debias: 1 })).toThrow(/meanSq/);
  });
});
