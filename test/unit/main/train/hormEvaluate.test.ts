/**
 * HORM evaluation metrics (src/main/train/hormEvaluate.ts) with scripted policies whose outcome the
 * spec predicts (docs/spec/horm.md Appendix B, density 1, supervisor on): with the reference's quirks
 * "idle" never merges and the ramp CAV crashes into the obstacle; "merge" (LANE_LEFT on the merge
 * lane) merges without crashing.
 */
import { describe, expect, it } from 'vitest';
import type { SteerPolicy } from '../../../../src/core/algos/steer/policy.js';
import { HormEnv } from '../../../../src/core/envs/horm/index.js';
import { MetaAction, REFERENCE_QUIRKS } from '../../../../src/core/sim/horm/index.js';
import { evaluateHorm, summarize } from '../../../../src/main/train/hormEvaluate.js';

/** A greedy stub: `choose(obsRow)` per agent row (priority order); counts act() calls. */
function rulePolicy(numAgents: number, obsDim: number, choose: (obs: Float32Array) => number) {
  const calls: number[] = [];
  const policy = {
    model: { config: { stateDim: numAgents * obsDim, useStateToken: true } },
    act: (input: { batch: number; obs: Float32Array }, greedy: boolean) => {
      expect(greedy).toBe(true);
      calls.push(input.batch);
      const rows = input.batch * numAgents;
      const actions = new Float32Array(rows);
      for (let r = 0; r < rows; r++) actions[r] = choose(input.obs.subarray(r * obsDim, (r + 1) * obsDim));
      return { actions, logProbs: new Float32Array(rows), values: new Float32Array(rows).fill(0.5) };
    },
  };
  return { policy: policy as unknown as SteerPolicy, calls };
}

const idle = () => MetaAction.idle;
/** Ego row: [presence, x/150, y/12, vx/45, vy/45] (docs/spec/horm.md §6.1); merge lane y = 4 m, x 320–420. */
const merge = (obs: Float32Array) => {
  const x = obs[1]! * 150;
  const y = obs[2]! * 12;
  return Math.abs(y - 4) < 1 && x > 320 && x < 420 ? MetaAction.laneLeft : MetaAction.idle;
};

describe('evaluateHorm', () => {
  const make = () => new HormEnv(1);
  const { numAgents, obsDim } = make().spec;

  it('idle, reference quirks: the ramp CAV never reaches the main road and crashes at the merge end', () => {
    // (With the correct collision test the forced steer at the merge end, §10.16, lets most idle
    // ramp CAVs squeeze past the obstacle onto c-d-0; Appendix B was measured with the quirks.)
    const { policy } = rulePolicy(numAgents, obsDim, idle);
    const e = evaluateHorm(policy, () => new HormEnv(1, { quirks: REFERENCE_QUIRKS }), {
      episodes: 8,
      seed: 100,
    });
    expect(e).toMatchObject({
      env: 'horm:density-1',
      episodes: 8,
      seed: 100,
      rampCavs: 8,
      mergeCompletion: 0,
    });
    expect(e.crashRate).toBeGreaterThanOrEqual(0.75); // Appendix B: 100 %
    expect(e.crashRateAgent0).toBeLessThanOrEqual(e.crashRate);
    expect(e.meanEpisodeLength).toBeLessThan(100);
    expect(e.results.map((r) => r.seed)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it('merge: ramp CAVs change onto the main road; metrics in range', () => {
    const { policy } = rulePolicy(numAgents, obsDim, merge);
    const e = evaluateHorm(policy, make, { episodes: 8, seed: 100 });
    expect(e.mergeCompletion).toBeGreaterThanOrEqual(0.75); // Appendix B: no crash, 100 steps
    expect(e.crashRate).toBeLessThanOrEqual(0.25);
    expect(e.meanSpeed).toBeGreaterThan(15);
    expect(e.meanSpeed).toBeLessThanOrEqual(30);
    expect(e.meanReturnPerAgent).toHaveLength(2);
    expect(e.meanReturn).toBeCloseTo((e.meanReturnPerAgent[0]! + e.meanReturnPerAgent[1]!) / 2, 12);
  });

  it('gives the same episodes whatever the wave size, with one act() per step for the whole wave', () => {
    const one = rulePolicy(numAgents, obsDim, merge);
    const three = rulePolicy(numAgents, obsDim, merge);
    const a = evaluateHorm(one.policy, make, { episodes: 5, seed: 7, batch: 1 });
    const b = evaluateHorm(three.policy, make, { episodes: 5, seed: 7, batch: 3 });
    expect(b.results).toEqual(a.results);
    expect(one.calls.every((size) => size === 1)).toBe(true);
    expect(one.calls).toHaveLength(a.results.reduce((s, r) => s + r.length, 0));
    expect(Math.max(...three.calls)).toBe(3);
  });

  it('hands each episode to an observer with the denormalised values', () => {
    const { policy } = rulePolicy(numAgents, obsDim, idle);
    const seen: { episode: number; seed: number; steps: number; values: number[]; ended: boolean }[] = [];
    evaluateHorm(policy, make, {
      episodes: 2,
      seed: 5,
      denormalize: (v) => 10 * v,
      observe: (_env, episode, seed) => {
        const entry = { episode, seed, steps: 0, values: [] as number[], ended: false };
        seen.push(entry);
        return {
          start: () => {},
          step: (_t, values) => {
            entry.steps++;
            entry.values = Array.from(values);
          },
          end: () => {
            entry.ended = true;
          },
        };
      },
    });
    expect(seen.map((s) => [s.episode, s.seed, s.ended])).toEqual([
      [0, 5, true],
      [1, 6, true],
    ]);
    expect(seen[0]!.values).toEqual([5, 5]);
    expect(seen.every((s) => s.steps > 0)).toBe(true);
  });

  it('summarises: crash rates are fractions of episodes, merge completion pools ramp CAVs', () => {
    const episode = (crashed: boolean, agent0: boolean, ramp: number, merged: number, returns: number[]) => ({
      seed: 0,
      length: crashed ? 50 : 100,
      returns,
      crashed,
      crashedAgent0: agent0,
      meanSpeed: 25,
      rampCavs: ramp,
      merged,
    });
    const e = summarize('horm:density-2', 9, 2, [
      episode(true, false, 2, 0, [1, 3]),
      episode(false, false, 2, 2, [3, 5]),
      episode(true, true, 1, 1, [-1, 1]),
      episode(false, false, 1, 0, [1, 3]),
    ]);
    expect(e).toMatchObject({
      crashRate: 0.5,
      crashRateAgent0: 0.25,
      mergeCompletion: 0.5,
      rampCavs: 6,
      meanEpisodeLength: 75,
      meanReturnPerAgent: [1, 3],
      meanReturn: 2,
    });
    expect(summarize('x', 0, 1, [episode(false, false, 0, 0, [1])]).mergeCompletion).toBeNull();
  });
});
