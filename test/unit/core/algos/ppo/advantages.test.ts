/** Advantage normalisation (docs/spec/steer.md §b.5) and the leader's advantage scale. */
import { describe, expect, it } from 'vitest';
import { normalizeAdvantages, scaleLeaderAdvantages } from '../../../../../src/core/algos/ppo/advantages.js';

const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const stdOf = (xs: number[]) => Math.sqrt(meanOf(xs.map((x) => (x - meanOf(xs)) ** 2)));

describe('normalizeAdvantages', () => {
  it('gives the active entries mean 0 and standard deviation 1 (to the 1e-5 guard)', () => {
    const adv = Float32Array.from([3, -1, 4, 1, -5, 9, 2, 6]);
    normalizeAdvantages(adv, new Float32Array(8).fill(1));
    expect(meanOf([...adv])).toBeCloseTo(0, 6);
    expect(stdOf([...adv])).toBeCloseTo(1, 4);
  });

  it('takes its statistics from the active entries only, and shifts the inactive ones by them too', () => {
    const active = Float32Array.from([1, 1, 0, 1, 1, 0]);
    const a = Float32Array.from([1, 2, 100, 3, 4, -7]);
    const b = Float32Array.from([1, 2, -50, 3, 4, 8]);
    normalizeAdvantages(a, active);
    normalizeAdvantages(b, active);
    // active entries 1..4: mean 2.5, std √1.25
    const std = Math.sqrt(1.25) + 1e-5;
    for (const i of [0, 1, 3, 4]) expect(a[i]).toBe(b[i]);
    expect(a[0]).toBeCloseTo((1 - 2.5) / std, 6);
    expect(a[2]).toBeCloseTo((100 - 2.5) / std, 4);
    expect(b[5]).toBeCloseTo((8 - 2.5) / std, 5);
  });
});

describe('scaleLeaderAdvantages', () => {
  it("multiplies each row's leader's entry, wherever the priority order puts it, and leaves the followers'", () => {
    // 2 steps × 2 envs × 3 agents; the leader is agent 0, 2, 1, 0 in the four rows
    const adv = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const priority = Int32Array.from([0, 1, 2, 2, 0, 1, 1, 2, 0, 0, 2, 1]);
    scaleLeaderAdvantages(adv, priority, 3, 0.5);
    expect([...adv]).toEqual([0.5, 2, 3, 4, 5, 3, 7, 4, 9, 5, 11, 12]);
  });

  it('leaves every entry as it is at scale 1', () => {
    const adv = Float32Array.from([0.1, -0.2, 0.3, -0.4]);
    scaleLeaderAdvantages(adv, Int32Array.from([1, 0, 0, 1]), 2, 1);
    expect([...adv]).toEqual([...Float32Array.from([0.1, -0.2, 0.3, -0.4])]);
  });
});
