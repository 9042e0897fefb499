/** GAE per agent (docs/spec/steer.md §b.3): the worked example of §g.5 and batched-vs-looped equivalence. */
import { describe, expect, it } from 'vitest';
import { computeGae } from '../../../../../src/core/algos/ppo/gae.js';
import { Rng } from '../../../../../src/core/rng.js';

/**
 * The plain per-lane loop of §b.3, written independently: one lane's series in, its advantages and
 * returns out (float64). values and masks have T+1 entries.
 */
function gaeOneLane(
  rewards: number[],
  values: number[],
  masks: number[],
  gamma: number,
  lambda: number,
): { advantages: number[]; returns: number[] } {
  const steps = rewards.length;
  const advantages = new Array<number>(steps).fill(0);
  let next = 0; // g_T = 0
  for (let t = steps - 1; t >= 0; t--) {
    const delta = rewards[t]! + gamma * values[t + 1]! * masks[t + 1]! - values[t]!;
    next = delta + gamma * lambda * masks[t + 1]! * next;
    advantages[t] = next;
  }
  return { advantages, returns: advantages.map((g, t) => g + values[t]!) };
}

/** Random [T(+1), lanes] inputs with some episode ends. */
function randomInput(steps: number, lanes: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const rewards = Float32Array.from({ length: steps * lanes }, () => rng.normal() * 2);
  const values = Float32Array.from({ length: (steps + 1) * lanes }, () => rng.normal());
  const masks = Float32Array.from({ length: (steps + 1) * lanes }, () => (rng.uniform() < 0.2 ? 0 : 1));
  return { rewards, values, masks };
}

/** Column `lane` of a time-major [rows, lanes] array. */
function column(x: ArrayLike<number>, lane: number, lanes: number): number[] {
  const out: number[] = [];
  for (let i = lane; i < x.length; i += lanes) out.push(x[i]!);
  return out;
}

describe('computeGae', () => {
  it('reproduces the worked example of docs/spec/steer.md §g.5', () => {
    // one agent, γ = 0.99, λ = 0.95, rewards (1, 2), values (0.5, 0.25), the second step terminal
    const { advantages, returns } = computeGae({
      steps: 2,
      lanes: 1,
      rewards: [1, 2],
      values: [0.5, 0.25, 1000], // V_T is multiplied by the zero mask, so any value must do
      masks: [1, 1, 0],
      gamma: 0.99,
      lambda: 0.95,
    });
    expect(advantages[1]).toBeCloseTo(1.75, 6);
    expect(advantages[0]).toBeCloseTo(2.393375, 6);
    expect(returns[0]).toBeCloseTo(2.893375, 6);
    expect(returns[1]).toBeCloseTo(2.0, 6);
  });

  it('equals a plain per-lane loop over several lanes (envs × agents)', () => {
    const steps = 13;
    const lanes = 6; // e.g. 3 envs × 2 agents
    const input = randomInput(steps, lanes, 42);
    const gamma = 0.97;
    const lambda = 0.9;
    const { advantages, returns } = computeGae({ steps, lanes, ...input, gamma, lambda });
    for (let lane = 0; lane < lanes; lane++) {
      const ref = gaeOneLane(
        column(input.rewards, lane, lanes),
        column(input.values, lane, lanes),
        column(input.masks, lane, lanes),
        gamma,
        lambda,
      );
      const adv = column(advantages, lane, lanes);
      const ret = column(returns, lane, lanes);
      for (let t = 0; t < steps; t++) {
        expect(adv[t]).toBeCloseTo(ref.advantages[t]!, 4);
        expect(ret[t]).toBeCloseTo(ref.returns[t]!, 4);
      }
    }
  });

  it('keeps lanes independent: changing one lane changes only that lane', () => {
    const steps = 8;
    const lanes = 4;
    const input = randomInput(steps, lanes, 7);
    const base = computeGae({ steps, lanes, ...input, gamma: 0.99, lambda: 0.95 });
    const rewards = Float32Array.from(input.rewards);
    for (let t = 0; t < steps; t++) rewards[t * lanes + 2] = rewards[t * lanes + 2]! + 1;
    const changed = computeGae({ steps, lanes, ...input, rewards, gamma: 0.99, lambda: 0.95 });
    for (let lane = 0; lane < lanes; lane++) {
      const same = column(changed.advantages, lane, lanes);
      const before = column(base.advantages, lane, lanes);
      if (lane === 2) expect(same).not.toEqual(before);
      else expect(same).toEqual(before);
    }
  });

  it('λ = 0 gives the one-step TD error; λ = 1 without episode ends gives the bootstrapped discounted return', () => {
    const steps = 6;
    const rng = Rng.fromSeed(3);
    const rewards = Array.from({ length: steps }, () => rng.normal());
    const values = Array.from({ length: steps + 1 }, () => rng.normal());
    const masks = new Array(steps + 1).fill(1);
    const gamma = 0.9;
    const td = computeGae({ steps, lanes: 1, rewards, values, masks, gamma, lambda: 0 });
    for (let t = 0; t < steps; t++) {
      expect(td.advantages[t]).toBeCloseTo(rewards[t]! + gamma * values[t + 1]! - values[t]!, 5);
    }
    const mc = computeGae({ steps, lanes: 1, rewards, values, masks, gamma, lambda: 1 });
    for (let t = 0; t < steps; t++) {
      let discounted = gamma ** (steps - t) * values[steps]!;
      for (let k = t; k < steps; k++) discounted += gamma ** (k - t) * rewards[k]!;
      expect(mc.returns[t]).toBeCloseTo(discounted, 5);
    }
  });

  it('a zero mask cuts both the bootstrap and the trace at an episode end', () => {
    // episode ends after step 1: steps 0–1 must not see anything from steps 2–3
    const input = {
      steps: 4,
      lanes: 1,
      values: [0.1, 0.2, 0.3, 0.4, 0.5],
      masks: [1, 1, 0, 1, 1],
      gamma: 0.99,
      lambda: 0.95,
    };
    const a = computeGae({ ...input, rewards: [1, 1, 5, 5] });
    const b = computeGae({ ...input, rewards: [1, 1, -7, 9], values: [0.1, 0.2, 3, -4, 8] });
    expect(a.advantages[0]).toBe(b.advantages[0]);
    expect(a.advantages[1]).toBe(b.advantages[1]);
    expect(a.advantages[1]).toBeCloseTo(1 - 0.2, 6);
  });

  it('refuses arrays whose lengths do not match T and lanes', () => {
    const ok = {
      steps: 2,
      lanes: 2,
      rewards: [0, 0, 0, 0],
      values: new Array(6).fill(0),
      masks: new Array(6).fill(1),
      gamma: 0.99,
      lambda: 0.95,
    };
    expect(() => computeGae(ok)).not.toThrow();
    expect(() => computeGae({ ...ok, rewards: [0, 0, 0] })).toThrow(/rewards has 3 entries, expected 4/);
    expect(() => computeGae({ ...ok, values: new Array(4).fill(0) })).toThrow(/6 entries/);
    expect(() => computeGae({ ...ok, masks: new Array(4).fill(1) })).toThrow(/6 entries/);
  });
});
