import { describe, expect, it } from 'vitest';
import { HormEnv } from '../../../../../src/core/envs/horm/index.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';

describe('HormEnv (MultiAgentEnv adapter)', () => {
  it('is registered as horm:density-1..3 with the §6.2 dimensions', () => {
    for (const d of [1, 2, 3]) {
      const env = makeEnv(`horm:density-${d}`);
      expect(env.spec).toEqual({
        name: `horm:density-${d}`,
        numAgents: d + 1,
        obsDim: 25 + d + 1,
        stateDim: (d + 1) * (25 + d + 1),
        actionSpace: { kind: 'discrete', n: 5 },
        episodeLimit: 100,
      });
    }
  });

  it('seeded reset is reproducible; rewards are private regional rewards; dones are broadcast', () => {
    const a = new HormEnv(2);
    const b = new HormEnv(2);
    expect(Array.from(a.reset(3).obs)).toEqual(Array.from(b.reset(3).obs));
    let tr = a.step([1, 1, 1]);
    expect(Array.from(tr.rewards)).toEqual(Array.from(a.sim.regionalRewards));
    expect(tr.availActions).toBeNull();
    while (!tr.episodeDone) tr = a.step([1, 1, 1]);
    expect(Array.from(tr.dones)).toEqual([1, 1, 1]);
    expect(tr.info.crashedAny).toBe(1); // idle ramp CAVs hit the obstacle
    expect(() => a.step([1, 1, 1])).toThrow(/call reset/);
    expect(() => b.step([1, 1, 7])).toThrow(/agent 2: expected an integer action in 0..4, received 7/);
  });

  it('action masks (§3.5) and priority rules', () => {
    const env = new HormEnv(3, { actionMasking: true, priority: 'mainRoadFirst' });
    const s = env.reset(0);
    // Agents 0, 1 on the main road, 2, 3 on the ramp; fresh CAVs: IDLE, FASTER, SLOWER available.
    expect(Array.from(s.availActions!.subarray(0, 5))).toEqual([0, 1, 0, 1, 1]);
    expect(Array.from(s.priority)).toEqual([0, 1, 2, 3]);
    const merge = new HormEnv(3, { priority: 'closestToMerge' });
    const p = merge.reset(0).priority;
    const x = merge.sim.world.vehicles.x;
    const d = Array.from(p, (k) => Math.abs(x[k]! - 320));
    expect(d).toEqual([...d].sort((u, v) => u - v));
  });

  it('snapshot/restore continues the exact same episode', () => {
    const env = new HormEnv(3);
    env.reset(11);
    for (let k = 0; k < 5; k++) env.step([3, 1, 4, 1]);
    const snap = JSON.parse(JSON.stringify(env.snapshot()));
    const run = () => {
      const out: number[] = [];
      for (let k = 0; k < 10 && !env.sim.done; k++) out.push(...env.step([k % 5, 1, 3, 0]).rewards);
      return out;
    };
    const first = run();
    env.restore(snap);
    expect(run()).toEqual(first);
  });
});
