import { describe, expect, it } from 'vitest';
import {
  incompleteBeta,
  logGamma,
  studentTCdf,
  studentTQuantile,
} from '../../../../src/main/compare/studentT.js';

describe('studentTQuantile', () => {
  it("gives the two-sided 95 % quantiles of a printed t table (e.g. Student's t tables to 3 decimals)", () => {
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [9, 2.262],
      [19, 2.093],
      [29, 2.045],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('has closed forms at df 1 (Cauchy: tan(π(p − ½))) and df 2 ((2p − 1)·√(2 / (1 − (2p − 1)²)))', () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      const a = 2 * p - 1;
      expect(studentTQuantile(p, 2)).toBeCloseTo(a * Math.sqrt(2 / (1 - a * a)), 9);
    }
  });

  it('tends to the normal quantile 1.95996 for many degrees of freedom, and is symmetric', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-studentTQuantile(0.975, 4), 12);
    expect(studentTQuantile(0.5, 7)).toBeCloseTo(0, 12);
  });

  it('inverts the CDF', () => {
    for (const df of [1, 3, 10, 50]) {
      for (const p of [0.05, 0.5, 0.8, 0.975])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
  });

  it('refuses p outside (0, 1) and df ≤ 0, naming the values', () => {
    expect(() => studentTQuantile(1, 3)).toThrow('received p 1, df 3');
    expect(() => studentTQuantile(0.5, 0)).toThrow('received p 0.5, df 0');
  });
});

describe('the special functions', () => {
  it('logGamma matches factorials and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('incompleteBeta: I_x(1, 1) = x, I_x(a, 1) = xᵃ, and the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 12);
    expect(incompleteBeta(0.2, 2.5, 4)).toBeCloseTo(1 - incompleteBeta(0.8, 4, 2.5), 12);
  });
});
