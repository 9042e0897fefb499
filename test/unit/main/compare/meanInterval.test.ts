import { describe, expect, it } from 'vitest';
import { meanInterval } from '../../../../src/main/compare/meanInterval.js';

describe('meanInterval', () => {
  it('is mean ± t₀.₉₇₅,ₙ₋₁ · s / √n, checked by hand', () => {
    // 1, 2, 3, 4, 5: mean 3, s² = (4 + 1 + 0 + 1 + 4) / 4 = 2.5, t₀.₉₇₅,₄ = 2.776445,
    // half-width 2.776445 · √2.5 / √5 = 2.776445 · 0.707107 = 1.963243
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.n).toBe(5);
    expect(m.mean).toBe(3);
    expect(m.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(m.low).toBeCloseTo(3 - 1.963243, 5);
    expect(m.high).toBeCloseTo(3 + 1.963243, 5);
  });

  it('two seeds use t₀.₉₇₅,₁ = 12.706: 10 and 12 give 11 ± 12.706 · √2 / √2 = 11 ± 12.706', () => {
    const m = meanInterval([10, 12]);
    expect(m.low).toBeCloseTo(11 - 12.706205, 5);
    expect(m.high).toBeCloseTo(11 + 12.706205, 5);
  });

  it('has no interval with one value, nothing with none, and leaves out non-finite values', () => {
    expect(meanInterval([4])).toEqual({ n: 1, mean: 4, sd: null, low: null, high: null });
    expect(meanInterval([]).n).toBe(0);
    expect(Number.isNaN(meanInterval([]).mean)).toBe(true);
    expect(meanInterval([1, Number.NaN, 3, Number.POSITIVE_INFINITY]).mean).toBe(2);
  });

  it('is a point when every seed agrees', () => {
    expect(meanInterval([7, 7, 7])).toMatchObject({ mean: 7, low: 7, high: 7 });
  });
});
