import { describe, expect, it } from 'vitest';
import { wilsonInterval, Z_95 } from '../../../../src/main/table1/wilson.js';

describe('wilsonInterval (95 %)', () => {
  it('matches textbook values', () => {
    // 10/20: p̂ = 0.5 → [0.2993, 0.7007]; 19/20 → [0.7639, 0.9911] (Wilson 1927; Newcombe 1998)
    const half = wilsonInterval(10, 20);
    expect(half.low).toBeCloseTo(0.2993, 4);
    expect(half.high).toBeCloseTo(0.7007, 4);
    const most = wilsonInterval(19, 20);
    expect(most.low).toBeCloseTo(0.7639, 4);
    expect(most.high).toBeCloseTo(0.9911, 4);
  });

  it('is exact at the ends: 0/n starts at 0 and n/n ends at 1, with a non-degenerate other end', () => {
    const none = wilsonInterval(0, 20);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(Z_95 ** 2 / (20 + Z_95 ** 2), 12); // = 0.1611
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(20 / (20 + Z_95 ** 2), 12); // = 0.8389
  });

  it('is symmetric: k/n mirrors (n−k)/n', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it('narrows as runs grow and always contains the observed share', () => {
    for (const n of [5, 20, 100]) {
      const { low, high } = wilsonInterval(Math.round(0.7 * n), n);
      expect(low).toBeLessThanOrEqual(Math.round(0.7 * n) / n);
      expect(high).toBeGreaterThanOrEqual(Math.round(0.7 * n) / n);
    }
    const width = (n: number) => {
      const i = wilsonInterval(n / 2, n);
      return i.high - i.low;
    };
    expect(width(100)).toBeLessThan(width(20));
  });

  it('knows nothing from no runs, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(() => wilsonInterval(5, 4)).toThrow(/0 ≤ successes ≤ trials/);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
  });
});
