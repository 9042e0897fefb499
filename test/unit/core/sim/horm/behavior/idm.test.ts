import { describe, expect, it } from 'vitest';
import {
  hdvAct,
  idmAcceleration,
  idmFormula,
  mobil,
  OBSTACLE,
} from '../../../../../../src/core/sim/horm/behavior/index.js';
import { CORRECT_BEHAVIOUR, REFERENCE_QUIRKS } from '../../../../../../src/core/sim/horm/config.js';
import { buildMergeRoad, LANE } from '../../../../../../src/core/sim/horm/road/index.js';
import {
  integrateBicycle,
  VehicleKind,
  VehicleTable,
} from '../../../../../../src/core/sim/horm/vehicle/index.js';

function scene(obstacleX: number, obstacleY: number) {
  const road = buildMergeRoad();
  return {
    network: road.network,
    obstacle: { ...road.obstacle, x: obstacleX, y: obstacleY },
    vehicles: new VehicleTable(3),
  };
}

function put(
  t: VehicleTable,
  i: number,
  kind: number,
  x: number,
  y: number,
  v: number,
  v0: number,
  lane: number,
) {
  t.count = Math.max(t.count, i + 1);
  t.kind[i] = kind;
  t.x[i] = x;
  t.y[i] = y;
  t.heading[i] = 0;
  t.speed[i] = v;
  t.targetSpeed[i] = v0;
  t.lane[i] = lane;
  t.targetLane[i] = lane;
  t.crashed[i] = 0;
}

describe('IDM (docs/spec/horm.md §4.1–§4.2)', () => {
  it('acceleration formula at sample states, computed by hand', () => {
    // Free road: 3·(1 − (20/25)^4) = 3·(1 − 0.4096) = 1.7712.
    expect(idmFormula(20, 25, Number.NaN, 0)).toBeCloseTo(1.7712, 12);
    // Leader 30 m ahead at 15 m/s, ego 20 m/s: Δv = 5, d* = 10 + 30 + 20·5/(2√15) = 52.9099;
    // a = 1.7712 − 3·(52.9099/30)² = 1.7712 − 9.33159 = −7.56039.
    const s = scene(1000, 0);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 440, 0, 20, 25, LANE.cd0);
    put(t, 1, VehicleKind.hdv, 470, 0, 15, 15, LANE.cd0);
    const dStar = 10 + 30 + (20 * 5) / (2 * Math.sqrt(15));
    expect(idmAcceleration(s, 0, 1, false)).toBeCloseTo(1.7712 - 3 * (dStar / 30) ** 2, 10);
    // Leader much faster: d* < 0 unclamped (reference) still brakes; the correct IDM uses s₀ only.
    t.speed[1] = 60;
    const dyn = 20 * 1.5 + (20 * -40) / (2 * Math.sqrt(15));
    expect(idmAcceleration(s, 0, 1, true)).toBeCloseTo(1.7712 - 3 * ((10 + dyn) / 30) ** 2, 10);
    expect(idmAcceleration(s, 0, 1, false)).toBeCloseTo(1.7712 - 3 * (10 / 30) ** 2, 10);
  });

  it('an IDM car stops one jam gap (10 m centre to centre) behind a stopped obstacle', () => {
    for (const quirks of [CORRECT_BEHAVIOUR, REFERENCE_QUIRKS]) {
      const s = scene(480, 0);
      const t = s.vehicles;
      put(t, 0, VehicleKind.hdv, 425, 0, 20, 20, LANE.cd0);
      for (let k = 0; k < 60 * 15; k++) {
        hdvAct(s, 0, quirks);
        integrateBicycle(t, 0, 1 / 15, s.network);
      }
      expect(t.speed[0]).toBeCloseTo(0, 2);
      expect(480 - t.x[0]!).toBeCloseTo(10, 1);
      expect(Math.abs(t.y[0]!)).toBeLessThan(1e-6);
    }
  });

  it('segment-local neighbour search (quirk §10.9): a leader past x = 525 is invisible', () => {
    const s = scene(1000, 100);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 500, 0, 26, 26, LANE.cd0);
    put(t, 1, VehicleKind.cav, 530, 0, 20, 20, LANE.cd0);
    hdvAct(s, 0, REFERENCE_QUIRKS);
    expect(t.accel[0]).toBeCloseTo(idmFormula(26, 26, Number.NaN, 0), 12); // free road
    hdvAct(s, 0, CORRECT_BEHAVIOUR);
    expect(t.accel[0]).toBeLessThan(-1); // sees the slower leader 30 m ahead
  });
});

describe('MOBIL (docs/spec/horm.md §4.3)', () => {
  it('an HDV on the merge lane facing the obstacle changes to a free main lane', () => {
    const s = scene(420, 4);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 380, 4, 20, 25, LANE.bc1);
    expect(mobil(s, 0, LANE.bc0, REFERENCE_QUIRKS)).toBe(true);
  });

  it('refuses when the new follower would have to brake harder than 9 m/s²', () => {
    const s = scene(420, 4);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 380, 4, 20, 25, LANE.bc1);
    put(t, 1, VehicleKind.cav, 376, 0, 30, 30, LANE.bc0); // 4 m behind at 30 m/s
    expect(idmAcceleration(s, 1, 0, true)).toBeLessThan(-9);
    expect(mobil(s, 0, LANE.bc0, REFERENCE_QUIRKS)).toBe(false);
  });

  it('sees a follower still on the lane leading into the merge area (reference quirk §10.9: it does not)', () => {
    // Held-out episode seed 10044 of models/horm-easy (docs/results/horm.md): an HDV that has just
    // entered the merge lane at 20 m/s, a CAV 14.2 m behind at 30 m/s, 5.2 m short of node b
    // (x = 320), so on (a,b,0) and outside (b,c,0)'s 5 m search margin.
    const s = scene(420, 4);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 329, 3.7, 20.2, 25, LANE.bc1);
    put(t, 1, VehicleKind.cav, 314.8, 0, 30, 30, LANE.ab0);
    expect(idmAcceleration(s, 1, 0, false)).toBeLessThan(-9);
    expect(mobil(s, 0, LANE.bc0, REFERENCE_QUIRKS)).toBe(true); // the cut-in that ended in a crash
    expect(mobil(s, 0, LANE.bc0, CORRECT_BEHAVIOUR)).toBe(false); // the CAV is its new follower
    // with a second car further back on (a,b,0), the closer one is still the follower: alone, the
    // far one would allow the change
    const three = scene(420, 4);
    const u = three.vehicles;
    put(u, 0, VehicleKind.hdv, 329, 3.7, 20.2, 25, LANE.bc1);
    put(u, 1, VehicleKind.cav, 250, 0, 30, 30, LANE.ab0);
    expect(mobil(three, 0, LANE.bc0, CORRECT_BEHAVIOUR)).toBe(true);
    put(u, 2, VehicleKind.cav, 314.8, 0, 30, 30, LANE.ab0);
    expect(mobil(three, 0, LANE.bc0, CORRECT_BEHAVIOUR)).toBe(false);
    // a ramp vehicle behind is not on a lane leading into (b,c,0): nothing is behind, the change is safe
    t.x[1] = 300;
    t.y[1] = 6;
    t.lane[1] = LANE.kb0;
    t.targetLane[1] = LANE.kb0;
    expect(mobil(s, 0, LANE.bc0, CORRECT_BEHAVIOUR)).toBe(true);
  });

  it('refuses without enough gain: no obstacle close ahead and a slow leader on the main lane', () => {
    const s = scene(420, 4);
    const t = s.vehicles;
    put(t, 0, VehicleKind.hdv, 325, 4, 20, 20, LANE.bc1);
    put(t, 1, VehicleKind.hdv, 340, 0, 10, 10, LANE.bc0);
    expect(mobil(s, 0, LANE.bc0, REFERENCE_QUIRKS)).toBe(false);
    expect(idmAcceleration(s, 0, OBSTACLE, true)).toBeGreaterThan(idmAcceleration(s, 0, 1, true));
  });
});
