/**
 * "Dynamic" physics (world.ts, vehicle/tyreModel.ts): planck integrates rigid bodies driven by the
 * tyre model from the same controllers. Physical outcomes, not pinned numbers: a car settles at its
 * target speed less the drag offset of a proportional controller, keeps its lane, completes the
 * merge-lane change, follows the sine ramp; a rear-end collision is found from planck's contacts;
 * a seed gives one episode and a snapshot continues it exactly.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../../src/core/rng.js';
import { HormSim, type HormSimConfig } from '../../../../../src/core/sim/horm/hormSim.js';
import { LANE, type LaneIndex } from '../../../../../src/core/sim/horm/road/index.js';
import type { SceneVehicle } from '../../../../../src/core/sim/horm/scene/spawn.js';
import {
  bodiesCollide,
  KP_A,
  MetaAction,
  resistanceForce,
  VEHICLE_LENGTH_M,
  VEHICLE_MASS_KG,
  VEHICLE_WIDTH_M,
} from '../../../../../src/core/sim/horm/vehicle/index.js';

const lane = (from: string, to: string, index = 0): LaneIndex => ({ from, to, index });
const AB0 = lane('a', 'b');
const BC1 = lane('b', 'c', 1);
const JK0 = lane('j', 'k');

/** A dynamic-physics sim of an explicit scene, supervisor off unless asked. */
function dynamicSim(vehicles: SceneVehicle[], config: Partial<HormSimConfig> = {}): HormSim {
  const sim = new HormSim({ vehicles, physics: 'dynamic', safetySupervisor: false, ...config });
  sim.reset(0);
  return sim;
}

/** Lateral offset of vehicle i from the centre line of its current lane [m]. */
function laneOffset(sim: HormSim, i: number): number {
  const t = sim.world.vehicles;
  return sim.world.network.lanes[t.lane[i]!]!.r(t.x[i]!, t.y[i]!);
}

/** The state of every vehicle, for exact comparisons. */
function stateOf(sim: HormSim): number[] {
  const t = sim.world.vehicles;
  const out: number[] = [];
  for (let i = 0; i < t.count; i++) {
    out.push(t.x[i]!, t.y[i]!, t.heading[i]!, t.speed[i]!, t.lateralSpeed[i]!, t.yawRate[i]!, t.crashed[i]!);
  }
  return out;
}

describe('dynamic physics — determinism', () => {
  it('two runs of one seed are identical, and a snapshot continues the episode exactly', async () => {
    const play = (sim: HormSim, rng: Rng, steps: number) => {
      const rows: number[][] = [];
      const actions = new Int32Array(sim.numAgents);
      for (let s = 0; s < steps && !sim.done; s++) {
        for (let k = 0; k < actions.length; k++) actions[k] = rng.int(5);
        sim.step(actions);
        rows.push([...stateOf(sim), ...sim.regionalRewards]);
      }
      return rows;
    };
    const a = new HormSim({ density: 2, physics: 'dynamic' });
    const b = new HormSim({ density: 2, physics: 'dynamic' });
    a.reset(5);
    b.reset(5);
    expect(play(a, Rng.fromSeed(1), 60)).toEqual(play(b, Rng.fromSeed(1), 60));
    await new Promise((r) => setImmediate(r));

    const c = new HormSim({ density: 2, physics: 'dynamic' });
    c.reset(7);
    play(c, Rng.fromSeed(2), 20);
    const snapshot = JSON.parse(JSON.stringify(c.snapshot()));
    expect(snapshot.vehicles.lateralSpeed).toHaveLength(c.world.vehicles.count);
    const first = play(c, Rng.fromSeed(3), 30);
    c.restore(snapshot);
    expect(play(c, Rng.fromSeed(3), 30)).toEqual(first);
  });
});

describe('dynamic physics — single cars', () => {
  it('a car on the main road settles at its target speed less the drag offset, centred in its lane', () => {
    const sim = dynamicSim([{ kind: 'cav', lane: AB0, positionM: 10, speedMps: 25 }]);
    const t = sim.world.vehicles;
    sim.step([MetaAction.faster]); // target 25 → 30 m/s
    expect(t.targetSpeed[0]).toBe(30);
    for (let s = 0; s < 59; s++) sim.step([MetaAction.idle]);
    // A proportional speed law a = KP_A·(v* − v) against drag settles where m·a = drag:
    // v = v* − drag(v)/(m·KP_A), about 0.21 m/s below 30 m/s.
    const offset = resistanceForce(30) / (VEHICLE_MASS_KG * KP_A);
    expect(offset).toBeGreaterThan(0.15);
    expect(offset).toBeLessThan(0.3);
    expect(t.speed[0]).toBeCloseTo(30 - offset, 2);
    expect(Math.abs(t.y[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(t.heading[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(t.lateralSpeed[0]!)).toBeLessThan(1e-6);
    expect(t.x[0]).toBeGreaterThan(10 + 12 * 27); // 12 s mostly near 30 m/s
  });

  it('a lane change from the merge lane ends near the main lane centre, heading back along the road', () => {
    const sim = dynamicSim([{ kind: 'cav', lane: BC1, positionM: 0, speedMps: 25 }]);
    const t = sim.world.vehicles;
    let minY = Number.POSITIVE_INFINITY;
    let maxHeading = 0;
    for (let s = 0; s < 15; s++) {
      sim.step([t.lane[0] === LANE.bc1 ? MetaAction.laneLeft : MetaAction.idle]);
      minY = Math.min(minY, t.y[0]!);
      maxHeading = Math.max(maxHeading, Math.abs(t.heading[0]!));
    }
    expect(sim.anyCavCrashed()).toBe(false);
    expect(t.lane[0]).toBe(LANE.bc0);
    expect(Math.abs(t.y[0]!)).toBeLessThan(0.1); // 4 m across, now on the main lane's centre line
    expect(Math.abs(t.heading[0]!)).toBeLessThan(0.01);
    expect(maxHeading).toBeGreaterThan(0.05); // it did turn
    expect(minY).toBeGreaterThan(-0.5); // little overshoot toward the road edge (y = −2 m)
  });

  it('a ramp car follows the sine section and merges without leaving the road', async () => {
    const sim = dynamicSim([{ kind: 'cav', lane: JK0, positionM: 150, speedMps: 25 }]);
    const t = sim.world.vehicles;
    let worstOffset = 0;
    let worstSine = 0;
    const visited = new Set<number>();
    for (let s = 0; s < 70; s++) {
      sim.step([t.lane[0] === LANE.bc1 ? MetaAction.laneLeft : MetaAction.idle]);
      visited.add(t.lane[0]!);
      worstOffset = Math.max(worstOffset, Math.abs(laneOffset(sim, 0)));
      if (t.lane[0] === LANE.kb0) worstSine = Math.max(worstSine, Math.abs(laneOffset(sim, 0)));
      // The road spans y = −2 (main road's edge) … 12.5 (ramp's edge); half a car width inside.
      expect(t.y[0]!).toBeGreaterThan(-2 + VEHICLE_WIDTH_M / 2);
      expect(t.y[0]!).toBeLessThan(12.5 - VEHICLE_WIDTH_M / 2);
    }
    await new Promise((r) => setImmediate(r));
    expect([...visited].sort()).toEqual([LANE.bc0, LANE.bc1, LANE.cd0, LANE.jk0, LANE.kb0].sort());
    expect(sim.anyCavCrashed()).toBe(false);
    expect(worstSine).toBeLessThan(0.5); // tracks the sine curve (3.25 m amplitude) within half a metre
    expect(worstOffset).toBeLessThanOrEqual(2); // never beyond a lane edge of its current lane
    expect(t.lane[0]).toBe(LANE.cd0);
    expect(Math.abs(t.y[0]!)).toBeLessThan(0.1);
    expect(Math.abs(t.heading[0]!)).toBeLessThan(0.01);
  });

  it('stays close to the reference bicycle model at gentle manoeuvres (same controllers)', () => {
    const scene: SceneVehicle[] = [{ kind: 'cav', lane: JK0, positionM: 150, speedMps: 25 }];
    const poses = (physics: 'reference' | 'dynamic'): [number, number] => {
      const sim = new HormSim({ vehicles: scene, physics, safetySupervisor: false });
      sim.reset(0);
      const t = sim.world.vehicles;
      for (let s = 0; s < 40; s++) sim.step([t.lane[0] === LANE.bc1 ? MetaAction.laneLeft : MetaAction.idle]);
      return [t.x[0]!, t.y[0]!];
    };
    const [xr, yr] = poses('reference');
    const [xd, yd] = poses('dynamic');
    expect(xd).not.toBe(xr); // drag and planck's integrator change the numbers…
    expect(Math.abs(xd - xr)).toBeLessThan(3); // …by little over 8 s of driving
    expect(Math.abs(yd - yr)).toBeLessThan(0.5);
  });
});

describe('dynamic physics — collisions', () => {
  it('a rear-end collision is found from planck contacts at the first sub-step the boxes overlap', () => {
    // A CAV at 30 m/s (no car following, §3.3) closes on a slow HDV 30 m ahead.
    const sim = dynamicSim([
      { kind: 'cav', lane: AB0, positionM: 100, speedMps: 30 },
      { kind: 'hdv', lane: AB0, positionM: 130, speedMps: 10 },
    ]);
    const { world } = sim;
    const t = world.vehicles;
    const overlap = () =>
      bodiesCollide(
        false,
        t.x[0]!,
        t.y[0]!,
        t.heading[0]!,
        VEHICLE_LENGTH_M,
        VEHICLE_WIDTH_M,
        t.x[1]!,
        t.y[1]!,
        t.heading[1]!,
        VEHICLE_LENGTH_M,
        VEHICLE_WIDTH_M,
      );
    world.deliverActions([MetaAction.idle]);
    const crashed = () => t.crashed[0] === 1;
    let subSteps = 0;
    while (!crashed() && subSteps < 60) {
      expect(overlap()).toBe(false);
      const before = [t.speed[0]!, t.speed[1]!];
      world.subStep(1 / 15);
      subSteps++;
      if (crashed()) {
        expect(overlap()).toBe(true);
        expect(world.contactCount()).toBeGreaterThan(0);
        expect(before[0]).toBeGreaterThan(before[1]!); // it was closing in
      }
    }
    expect(subSteps).toBeGreaterThan(10); // ≈ 25 m gap closed at ≈ 20 m/s
    expect(subSteps).toBeLessThan(40);
    expect([t.crashed[0], t.crashed[1]]).toEqual([1, 1]);
    expect(t.speed[0]).toBe(t.speed[1]); // both take the smaller speed (§2.6)
  });
});
