/**
 * Appendix B baseline statistics of docs/spec/horm.md (reference quirks on, as the reference runs):
 * random / idle / merge policies, supervisor on and off. Different RNG ⇒ different scenes, same
 * distributions, so each statistic is compared within a band that covers the reference's
 * 40-episode sampling noise plus ours. The policies come from src/core/envs/horm/baselinePolicies.ts
 * (what `steer baseline` plays), the statistics from ./hormBaselineLoop.ts.
 */

import { describe, expect, it } from 'vitest';
import { type BaselinePolicyName, baselinePolicy } from '../../src/core/envs/horm/baselinePolicies.js';
import { Rng } from '../../src/core/rng.js';
import { HormSim, REFERENCE_QUIRKS, type TrafficDensity } from '../../src/core/sim/horm/index.js';
import { playBaselineLoop } from './hormBaselineLoop.js';

interface Row {
  readonly density: TrafficDensity;
  readonly supervisor: boolean;
  readonly policy: BaselinePolicyName;
  /** Reference: mean length, any-CAV crash rate, mean return, mean CAV speed (Appendix B). */
  readonly length: number;
  readonly crash: number;
  readonly ret: number;
  readonly speed: number;
}

const ROWS: Row[] = [
  { density: 1, supervisor: true, policy: 'random', length: 98.6, crash: 0.1, ret: 33.1, speed: 22.2 },
  { density: 1, supervisor: false, policy: 'random', length: 88.6, crash: 0.35, ret: -18.6, speed: 22.6 },
  { density: 1, supervisor: true, policy: 'idle', length: 63.4, crash: 1, ret: -56.2, speed: 24.7 },
  { density: 1, supervisor: false, policy: 'idle', length: 62.7, crash: 1, ret: -56.3, speed: 24.8 },
  { density: 1, supervisor: true, policy: 'merge', length: 100, crash: 0, ret: 24.8, speed: 24.7 },
  { density: 1, supervisor: false, policy: 'merge', length: 91.8, crash: 0.2, ret: -6.9, speed: 25.0 },
  { density: 2, supervisor: true, policy: 'random', length: 91.7, crash: 0.225, ret: 13.2, speed: 21.1 },
  { density: 2, supervisor: false, policy: 'random', length: 63.1, crash: 0.8, ret: -65.5, speed: 22.9 },
  { density: 3, supervisor: true, policy: 'random', length: 89.5, crash: 0.275, ret: 11.9, speed: 21.4 },
  { density: 3, supervisor: false, policy: 'random', length: 53.2, crash: 0.975, ret: -53.8, speed: 23.4 },
  { density: 3, supervisor: true, policy: 'idle', length: 53.4, crash: 1, ret: -14.1, speed: 24.8 },
  { density: 3, supervisor: true, policy: 'merge', length: 97.8, crash: 0.075, ret: -32.7, speed: 24.4 },
  { density: 3, supervisor: false, policy: 'merge', length: 76.7, crash: 0.55, ret: -46.4, speed: 25.0 },
];

/** Episodes per row: 40 as in the reference; all rows together run in about a second. */
const EPISODES = 40;

function run(row: Row) {
  const sim = new HormSim({
    density: row.density,
    safetySupervisor: row.supervisor,
    quirks: REFERENCE_QUIRKS,
  });
  const policy = baselinePolicy(row.policy, Rng.fromSeed(1234).fork(`policy-${row.policy}`));
  return playBaselineLoop(sim, policy, 0, EPISODES);
}

describe('HORM Appendix B baselines (reference quirks)', () => {
  for (const row of ROWS) {
    const name = `density ${row.density}, supervisor ${row.supervisor ? 'on' : 'off'}, ${row.policy}`;
    it(`${name}: length, any-CAV crash rate, return and speed within the sampling bands`, () => {
      const got = run(row);
      expect(Math.abs(got.crash - row.crash)).toBeLessThanOrEqual(0.25);
      expect(Math.abs(got.length - row.length)).toBeLessThanOrEqual(15);
      expect(Math.abs(got.speed - row.speed)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(got.ret - row.ret)).toBeLessThanOrEqual(45);
    });
  }
});
