import { describe, expect, it } from 'vitest';
import { REFERENCE_QUIRKS } from '../../../../../../src/core/sim/horm/config.js';
import { HormSim } from '../../../../../../src/core/sim/horm/hormSim.js';
import { LANE } from '../../../../../../src/core/sim/horm/road/index.js';
import {
  headwayDistance,
  regionalNeighbours,
} from '../../../../../../src/core/sim/horm/scene/neighbourhood.js';
import { REWARD_TERMS } from '../../../../../../src/core/sim/horm/scene/reward.js';
import { hdvCountRange } from '../../../../../../src/core/sim/horm/scene/spawn.js';
import { MetaAction } from '../../../../../../src/core/sim/horm/vehicle/index.js';

const A2 = [
  { kind: 'cav', x: 170.9978595366, y: 0, speed: 25.1420721164 },
  { kind: 'cav', x: 45.8344702528, y: 10.5, speed: 25.1742585994 },
  { kind: 'hdv', x: 206.1100364447, y: 10.5, speed: 25.0404367949 },
] as const;

function terms(sim: HormSim, k: number) {
  return Object.fromEntries(REWARD_TERMS.map((name, j) => [name, sim.terms[k * REWARD_TERMS.length + j]]));
}

describe('spawning (docs/spec/horm.md §5)', () => {
  it('counts, order, spacing and speeds per density', () => {
    for (const density of [1, 2, 3] as const) {
      const sim = new HormSim({ density });
      for (let seed = 0; seed < 20; seed++) {
        sim.reset(seed);
        const t = sim.world.vehicles;
        const h = t.count - (density + 1);
        const [lo, hi] = hdvCountRange(density);
        expect(h).toBeGreaterThanOrEqual(lo);
        expect(h).toBeLessThanOrEqual(hi);
        const mainCavs = Math.floor((density + 1) / 2);
        for (let i = 0; i < t.count; i++) {
          expect(t.kind[i]).toBe(i < density + 1 ? 0 : 1);
          expect(t.speed[i]).toBeGreaterThanOrEqual(25);
          expect(t.speed[i]).toBeLessThan(27);
          if (i < density + 1) expect(t.y[i]).toBe(i < mainCavs ? 0 : 10.5);
          for (let j = 0; j < i; j++)
            if (t.y[j] === t.y[i]) expect(Math.abs(t.x[j]! - t.x[i]!)).toBeGreaterThanOrEqual(37);
        }
      }
    }
  });

  it('determinism: same seed → identical trajectories; different seeds differ', () => {
    const trace = (seed: number) => {
      const sim = new HormSim({ density: 3 });
      sim.reset(seed);
      const out: number[] = [];
      let a = 0;
      while (!sim.done) {
        sim.step([a % 5, (a + 1) % 5, (a + 2) % 5, (a + 3) % 5]);
        a++;
        out.push(...sim.world.vehicles.x.subarray(0, sim.world.vehicles.count), ...sim.regionalRewards);
      }
      return out;
    };
    expect(trace(5)).toEqual(trace(5));
    expect(trace(5)).not.toEqual(trace(6));
  });
});

describe('observation (docs/spec/horm.md §6)', () => {
  it('layout, normalisation, perception range and agent one-hot', () => {
    const sim = new HormSim({ density: 1, safetySupervisor: false });
    sim.resetWith([
      { kind: 'cav', x: 100, y: 0, speed: 30 },
      { kind: 'cav', x: 290, y: 10.5, speed: 25 }, // 190 m away: out of range for agent 0
      { kind: 'hdv', x: 70, y: 10.5, speed: 25 },
      { kind: 'hdv', x: 130, y: 0, speed: 20 },
    ]);
    expect(sim.obsDim).toBe(27);
    const o = Array.from(sim.obs.subarray(0, 27));
    const near = (a: number[], b: number[]) => {
      for (const [j, v] of a.entries()) expect(v).toBeCloseTo(b[j]!, 6);
    };
    near(o.slice(0, 5), [1, 100 / 150, 0, 30 / 45, 0]);
    // Both HDVs are 30 m away: the tie keeps road.vehicles order (x = 70 first).
    near(o.slice(5, 10), [1, -30 / 150, 10.5 / 12, -5 / 45, 0]);
    near(o.slice(10, 15), [1, 30 / 150, 0, -10 / 45, 0]);
    expect(o.slice(15)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });
});

describe('rewards (docs/spec/horm.md §7)', () => {
  it('named terms and weighted sum on constructed states', () => {
    const sim = new HormSim({ density: 1, safetySupervisor: false });
    sim.resetWith([
      { kind: 'cav', x: 200, y: 0, speed: 20 },
      { kind: 'cav', x: 390, y: 4, speed: 30 },
      { kind: 'hdv', x: 212, y: 0, speed: 20 },
    ]);
    const t = sim.world.vehicles;
    expect(t.lane[1]).toBe(LANE.bc1);
    expect(headwayDistance(t, 0, sim.world.network)).toBeCloseTo(12, 12);
    expect(terms(sim, 0)).toEqual({
      collision: 0,
      highSpeed: 0.5,
      mergingLane: 0,
      headway: Math.log(12 / 24),
    });
    expect(sim.localRewards[0]).toBeCloseTo(0.5 + 4 * Math.log(0.5), 12);
    const merge = -Math.exp(-(30 * 30) / 1000);
    expect(terms(sim, 1)).toEqual({ collision: 0, highSpeed: 1, mergingLane: merge, headway: 0 });
    expect(sim.localRewards[1]).toBeCloseTo(1 + 4 * merge, 12);
    // Agent 0 on (a,b,0) at x ≤ 220 has no ramp-side pair: regional = its own; agent 1's main-side
    // pair on (b,c,0) is empty. The HDV is never averaged in.
    expect(sim.regionalRewards[0]).toBeCloseTo(sim.localRewards[0]!, 12);
    expect(sim.globalReward).toBeCloseTo((sim.localRewards[0]! + sim.localRewards[1]!) / 2, 12);
    t.crashed[0] = 1;
    sim.world.vehicles.x[0] = 230;
    sim.restore(sim.snapshot());
    expect(terms(sim, 0).collision).toBe(-1);
    expect(sim.localRewards[0]).toBeLessThan(-195);
  });

  it('regional neighbours follow the per-lane table (asymmetric, §7.4)', () => {
    const sim = new HormSim({ density: 1, quirks: REFERENCE_QUIRKS, safetySupervisor: false });
    sim.resetWith([
      { kind: 'cav', x: 228, y: 0, speed: 30 },
      { kind: 'cav', x: 89, y: 10.5, speed: 20 },
      { kind: 'hdv', x: 256, y: 8.8, speed: 25, heading: -0.09 },
    ]);
    const nb = new Int32Array(4);
    regionalNeighbours(sim.world.vehicles, 0, sim.world.road, nb);
    expect(Array.from(nb)).toEqual([-1, -1, 2, 1]); // ramp-side (k,b,0) group: leader HDV, follower agent 1
    regionalNeighbours(sim.world.vehicles, 1, sim.world.road, nb);
    expect(Array.from(nb)).toEqual([-1, -1, 2, -1]);
    expect(sim.regionalRewards[0]).toBeCloseTo((sim.localRewards[0]! + sim.localRewards[1]!) / 2, 12);
    expect(sim.regionalRewards[1]).toBeCloseTo(sim.localRewards[1]!, 12);
  });
});

describe('safety supervisor and termination (docs/spec/horm.md §3.6, §8)', () => {
  it('A.4: replaces IDLE by SLOWER at steps 29–30 and the CAV still crashes at step 31 (x ≈ 349.43)', () => {
    const sim = new HormSim({ density: 1, quirks: REFERENCE_QUIRKS, safetySupervisor: true });
    sim.resetWith([...A2]);
    const executed: number[][] = [];
    for (let s = 1; !sim.done; s++) {
      sim.step(s === 1 ? [MetaAction.faster, MetaAction.slower] : [MetaAction.idle, MetaAction.idle]);
      executed.push(Array.from(sim.executed));
      if (s === 29) expect(sim.world.vehicles.x[0]).toBeCloseTo(341.976, 2);
      if (s === 30) expect(sim.world.vehicles.x[0]).toBeCloseTo(347.603, 2);
    }
    expect(sim.steps).toBe(31);
    expect(executed.slice(27, 31)).toEqual([
      [1, 1],
      [4, 1],
      [4, 1],
      [1, 1],
    ]);
    expect(sim.world.vehicles.x[0]).toBeCloseTo(349.43, 1);
    expect(sim.world.vehicles.crashed[0]).toBe(1);
  });

  it('time limit: 100 policy steps; the reference last step lasts one sub-step (§2.3)', () => {
    for (const [quirks, time] of [
      [REFERENCE_QUIRKS, 298],
      [undefined, 300],
    ] as const) {
      const sim = new HormSim({ density: 1, safetySupervisor: false, ...(quirks ? { quirks } : {}) });
      sim.resetWith([
        { kind: 'cav', x: 100, y: 0, speed: 25 },
        { kind: 'cav', x: 50, y: 0, speed: 25 },
        { kind: 'hdv', x: 10, y: 10.5, speed: 25 },
      ]);
      while (!sim.done) sim.step([1, 1]);
      expect(sim.steps).toBe(100);
      expect(sim.time).toBe(time);
      expect(() => sim.step([1, 1])).toThrow(/episode is over/);
    }
  });
});
