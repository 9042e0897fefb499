/**
 * Explicit initial scenes (a scenario's traffic.vehicles) in the simulator: every vehicle where the
 * list puts it, CAVs first in agent order, capacity and agents from the list, the scene's
 * geometry-dependent terms on a road with other segment lengths, and the issues that name a field.
 */
import { describe, expect, it } from 'vitest';
import { REFERENCE_QUIRKS } from '../../../../../../src/core/sim/horm/config.js';
import {
  HormSim,
  hormSimConfigIssues,
  resolveHormSimConfig,
} from '../../../../../../src/core/sim/horm/hormSim.js';
import { LANE } from '../../../../../../src/core/sim/horm/road/index.js';
import {
  distanceToMergeEnd,
  regionalNeighbours,
} from '../../../../../../src/core/sim/horm/scene/neighbourhood.js';
import { REWARD_TERMS } from '../../../../../../src/core/sim/horm/scene/reward.js';
import type { SceneVehicle } from '../../../../../../src/core/sim/horm/scene/spawn.js';
import { VehicleKind } from '../../../../../../src/core/sim/horm/vehicle/index.js';

const lane = (id: string) => {
  const [from, to, index] = id.split('-') as [string, string, string];
  return { from, to, index: Number(index) };
};

const vehicle = (
  kind: 'cav' | 'hdv',
  laneId: string,
  positionM: number,
  speedMps: number,
  priority?: number,
): SceneVehicle =>
  priority === undefined
    ? { kind, lane: lane(laneId), positionM, speedMps }
    : { kind, lane: lane(laneId), positionM, speedMps, priority };

/** Shorter road of the mergeRoad test: nodes b, c, d at x = 330, 390, 430. */
const SHORT_ROAD = { beforeMergeM: 250, convergingM: 80, mergeM: 60, afterMergeM: 40 };

describe('explicit scene: placement and agent order', () => {
  it('puts every vehicle on its lane at positionM, heading along the lane, with its speed', () => {
    // One vehicle per lane; expected centres by hand from docs/spec/horm.md §1.2–§1.3.
    const list = [
      vehicle('hdv', 'a-b-0', 30, 21),
      vehicle('cav', 'b-c-0', 20, 23),
      vehicle('hdv', 'c-d-0', 50, 24),
      vehicle('cav', 'j-k-0', 60, 26),
      vehicle('hdv', 'k-b-0', 50, 22),
      vehicle('cav', 'b-c-1', 40, 14),
    ];
    const sim = new HormSim({ vehicles: list, safetySupervisor: false });
    sim.reset(0);
    const { vehicles: t, network } = sim.world;
    const rows = Array.from({ length: t.count }, (_, i) => [
      t.kind[i] === VehicleKind.cav ? 'cav' : 'hdv',
      network.label(t.lane[i]!),
      t.x[i],
      t.y[i],
      t.speed[i],
      t.crashed[i],
    ]);
    // CAVs first in list order (no priorities), then the HDVs in list order (§5.2).
    expect(rows).toEqual([
      ['cav', 'bc0', 340, 0, 23, 0],
      ['cav', 'jk0', 60, 10.5, 26, 0],
      ['cav', 'bc1', 360, 4, 14, 0],
      ['hdv', 'ab0', 30, 0, 21, 0],
      ['hdv', 'cd0', 470, 0, 24, 0],
      ['hdv', 'kb0', 270, 7.25, 22, 0], // y = 7.25 + 3.25·cos(π/2)
    ]);
    expect(Array.from(t.heading.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(t.heading[5]).toBeCloseTo(-0.101749, 6); // sine lane at s = 50 (docs/spec/horm.md §1.3)
    // CAV target = snapped speed (§3.2), HDV desired speed = its own (§4.1).
    expect(Array.from(t.targetSpeed.subarray(0, 6))).toEqual([25, 25, 15, 21, 24, 22]);
    expect([sim.numAgents, t.capacity, sim.obsDim]).toEqual([3, 6, 28]);
  });

  it('numbers agents by increasing priority; HDVs listed between CAVs come after them', () => {
    const sim = new HormSim({
      vehicles: [
        vehicle('cav', 'a-b-0', 10, 25, 5),
        vehicle('hdv', 'a-b-0', 60, 25),
        vehicle('cav', 'j-k-0', 20, 25, 1),
        vehicle('cav', 'j-k-0', 120, 25, 3),
      ],
    });
    sim.reset(0);
    const t = sim.world.vehicles;
    expect(Array.from(t.x.subarray(0, t.count))).toEqual([20, 120, 10, 60]);
    expect(Array.from(t.kind.subarray(0, t.count))).toEqual([0, 0, 0, 1]);
  });

  it('observation size follows the CAV count: 25 + N, agent k one-hot at 25 + k (docs/spec/horm.md §6.2)', () => {
    for (const cavs of [1, 4]) {
      const list = [
        ...Array.from({ length: cavs }, (_, k) => vehicle('cav', 'a-b-0', 10 + 40 * k, 25)),
        vehicle('hdv', 'j-k-0', 50, 25),
        vehicle('hdv', 'j-k-0', 100, 25),
      ];
      const sim = new HormSim({ vehicles: list });
      sim.reset(1);
      expect(sim.numAgents).toBe(cavs);
      expect(sim.obsDim).toBe(25 + cavs);
      expect(sim.obs).toHaveLength(cavs * (25 + cavs));
      for (let k = 0; k < cavs; k++) {
        const oneHot = Array.from(sim.obs.subarray(k * sim.obsDim + 25, (k + 1) * sim.obsDim));
        expect(oneHot).toEqual(Array.from({ length: cavs }, (_, j) => (j === k ? 1 : 0)));
      }
      sim.step(new Array(cavs).fill(1));
      expect(sim.localRewards).toHaveLength(cavs);
    }
  });

  it('deterministic: the same scene at every reset (no spawn noise); same seed → same episode', () => {
    const list = [
      vehicle('cav', 'a-b-0', 150, 26),
      vehicle('cav', 'j-k-0', 140, 25),
      vehicle('hdv', 'a-b-0', 190, 24),
      vehicle('hdv', 'j-k-0', 180, 23),
    ];
    const trace = (seed: number) => {
      const sim = new HormSim({ vehicles: list });
      sim.reset(seed);
      const start = Array.from(sim.obs);
      const xs: number[] = [];
      let a = 0;
      while (!sim.done) {
        sim.step([a % 5, (a * 3 + 1) % 5]);
        a++;
        xs.push(...sim.world.vehicles.x.subarray(0, 4), ...sim.regionalRewards);
      }
      return { start, xs };
    };
    expect(trace(4)).toEqual(trace(4));
    expect(trace(4).start).toEqual(trace(5).start);
  });
});

describe('explicit scene on a road with other segment lengths', () => {
  it('merge-lane cost, distance to the merge end and the ramp-side neighbour use the moved stations', () => {
    const sim = new HormSim({
      vehicles: [
        vehicle('cav', 'b-c-1', 30, 20),
        vehicle('cav', 'a-b-0', 260, 25),
        vehicle('cav', 'k-b-0', 5, 25),
      ],
      road: SHORT_ROAD,
      safetySupervisor: false,
    });
    sim.reset(0);
    const { vehicles: t, road } = sim.world;
    expect([t.x[0], t.y[0], t.lane[0]]).toEqual([360, 4, LANE.bc1]);
    // −exp(−(x − x_c)²/(10·merge length)) = −exp(−30²/600) (docs/spec/horm.md §7.1 with ends[2] = 60).
    expect(sim.terms[REWARD_TERMS.indexOf('mergingLane')]).toBeCloseTo(-Math.exp(-1.5), 12);
    expect(distanceToMergeEnd(t, 0, road)).toBe(30);
    expect(distanceToMergeEnd(t, 1, road)).toBe(60); // off the merge lane: its length (§3.6)
    // A main-road CAV past the ramp straight (x = 260 > 250) sees the sine lane (§7.4).
    const nb = new Int32Array(4);
    regionalNeighbours(t, 1, road, nb);
    // Ramp side = the (k,b,0) group incl. b-c-1: leader the merge-lane CAV, follower the sine-lane one.
    expect(Array.from(nb)).toEqual([-1, -1, 0, 2]);
    t.x[1] = 240;
    regionalNeighbours(t, 1, road, nb);
    expect(Array.from(nb)).toEqual([-1, -1, -1, -1]); // 240 < 250: no ramp side yet
  });

  it('an IDLE CAV on the merge lane hits the obstacle at the moved merge-lane end', () => {
    // Front of the 90 % box (x + 2.25) reaches the obstacle's back face (x_c − 0.9) within one
    // 1/15 s sub-step of 25/15 m: crash centre x in [x_c − 3.15, x_c − 3.15 + 5/3].
    const crashX = (road: typeof SHORT_ROAD) => {
      const sim = new HormSim({
        vehicles: [vehicle('cav', 'b-c-1', road.mergeM - 50, 25)],
        road,
        quirks: REFERENCE_QUIRKS,
        safetySupervisor: false,
      });
      sim.reset(0);
      while (!sim.done) sim.step([1]);
      expect(sim.world.vehicles.crashed[0]).toBe(1);
      expect(sim.world.obstacleHit).toBe(true);
      return sim.world.vehicles.x[0]!;
    };
    const short = crashX(SHORT_ROAD);
    expect(short).toBeGreaterThanOrEqual(390 - 3.15);
    expect(short).toBeLessThanOrEqual(390 - 3.15 + 25 / 15);
    // Same start 50 m before the end on the reference road: same crash, 30 m further on.
    expect(crashX({ beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 })).toBeCloseTo(
      short + 30,
      9,
    );
  });
});

describe('explicit scene: issues name the field', () => {
  const issues = (config: Parameters<typeof resolveHormSimConfig>[0]) =>
    hormSimConfigIssues(resolveHormSimConfig(config)).map((i) => `${i.path}: ${i.message}`);

  it('unknown lane, position off the lane, no CAV, priorities', () => {
    expect(
      issues({
        vehicles: [
          vehicle('hdv', 'x-y-0', 10, 25),
          vehicle('hdv', 'b-c-1', 400, 25, 2),
          vehicle('hdv', 'a-b-0', 10, 45),
        ],
      }),
    ).toEqual([
      'vehicles[0].lane: expected one of a-b-0, b-c-0, b-c-1, c-d-0, j-k-0, k-b-0, received x-y-0',
      'vehicles[1].positionM: expected number in [0, 100] m on lane b-c-1, received 400',
      'vehicles[1].priority: expected no priority on an "hdv", received 2',
      'vehicles[2].speedMps: expected number in [0, 40] m/s, received 45',
      'vehicles: expected at least one "cav" (the agents), received 3 "hdv"',
    ]);
    expect(
      issues({
        vehicles: [
          vehicle('cav', 'a-b-0', 10, 25, 1),
          vehicle('cav', 'a-b-0', 50, 25),
          vehicle('cav', 'a-b-0', 90, 25, 1),
        ],
      }),
    ).toEqual([
      'vehicles[1].priority: expected a priority on every CAV once one has one, received none',
      'vehicles[2].priority: expected a distinct priority, received 1, already used by vehicles[0]',
    ]);
  });

  it('positions are checked against the scene road; density and vehicles exclude each other', () => {
    expect(issues({ vehicles: [vehicle('cav', 'b-c-1', 80, 25)], road: SHORT_ROAD })).toEqual([
      'vehicles[0].positionM: expected number in [0, 60] m on lane b-c-1, received 80',
    ]);
    expect(issues({ density: 2, vehicles: [vehicle('cav', 'a-b-0', 10, 25)] })).toEqual([
      'density: expected null with an explicit vehicle list (the list gives the scene), received 2',
    ]);
    expect(() => new HormSim({ density: 2, vehicles: [vehicle('cav', 'a-b-0', 10, 25)] })).toThrow(
      /^HormSim: density: expected null/,
    );
  });

  it('density traffic needs the ramp straight its spawn points lie on; lengths > 0; whole steps', () => {
    expect(issues({ density: 1, road: { ...SHORT_ROAD, beforeMergeM: 150, mergeM: 0 } })).toEqual([
      'road.mergeM: expected a finite length > 0 m, received 0',
    ]);
    expect(issues({ density: 1, road: { ...SHORT_ROAD, beforeMergeM: 150 } })).toEqual([
      'road.beforeMergeM: expected at least 209 m with density traffic (ramp vehicles spawn up to 206.5 m along j-k-0, docs/spec/horm.md §5.2), received 150',
    ]);
    expect(issues({ density: 1, road: SHORT_ROAD, episodeSteps: 0 })).toEqual([
      'episodeSteps: expected an integer >= 1, received 0',
    ]);
  });
});
