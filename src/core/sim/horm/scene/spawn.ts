/**
 * Spawning (docs/spec/horm.md §5). Per traffic density: counts, spawn offsets drawn without
 * replacement, speeds in [25, 27) m/s and position noise in [−1.5, 1.5) m, in the reference's draw
 * structure but from the project's Rng (§5.3: no MT19937 bit-compatibility). From an explicit
 * vehicle list (a scenario's `traffic.vehicles`): every vehicle exactly where the list puts it, no
 * noise, CAVs first in agent order (§5.2: agent k = vehicle k).
 */

import type { Rng } from '../../../rng.js';
import {
  LANE,
  type LaneIndex,
  type MergeRoadLengths,
  type RoadLengthIssue,
  type RoadNetwork,
  VEHICLE_LENGTH_M,
} from '../road/index.js';
import { indexToSpeed, MAX_SPEED_MPS, speedToIndex, VehicleKind } from '../vehicle/index.js';
import type { HormWorld } from '../world.js';

/** Supported traffic densities (docs/spec/horm.md §5.1). */
export type TrafficDensity = 1 | 2 | 3;

/** Main-road spawn offsets along a→b [m]; docs/spec/horm.md §5.2. */
export const MAIN_SPAWN_OFFSETS_M = Object.freeze([10, 50, 90, 130, 170, 210]);
/** Ramp spawn offsets along j→k [m]; docs/spec/horm.md §5.2. */
export const RAMP_SPAWN_OFFSETS_M = Object.freeze([5, 45, 85, 125, 165, 205]);

/** CAVs (agents) per density under STEER: density + 1 (docs/spec/horm.md §5.1). */
export function cavCount(density: TrafficDensity): number {
  return density + 1;
}

/** Smallest and largest HDV count per density (uniform draw, docs/spec/horm.md §5.1). */
export function hdvCountRange(density: TrafficDensity): readonly [number, number] {
  return density === 1 ? [1, 3] : density === 2 ? [2, 4] : [3, 5];
}

/** Largest vehicle count of any episode at `density`. */
export function maxVehicles(density: TrafficDensity): number {
  return cavCount(density) + hdvCountRange(density)[1];
}

/** Largest position noise of a spawned vehicle [m]; docs/spec/horm.md §5.2. */
const SPAWN_NOISE_M = 1.5;

/**
 * Shortest ramp straight (j,k,0) that density traffic fits on [m]: the last ramp spawn offset
 * (205 m) plus the noise and half a vehicle (docs/spec/horm.md §5.2) = 209 m.
 */
export const DENSITY_MIN_BEFORE_MERGE_M =
  RAMP_SPAWN_OFFSETS_M[RAMP_SPAWN_OFFSETS_M.length - 1]! + SPAWN_NOISE_M + VEHICLE_LENGTH_M / 2;

/** Why density spawning cannot use these segment lengths, or null (docs/spec/horm.md §5.2). */
export function densityRoadIssue(lengths: MergeRoadLengths): RoadLengthIssue | null {
  if (lengths.beforeMergeM >= DENSITY_MIN_BEFORE_MERGE_M) return null;
  const reach = DENSITY_MIN_BEFORE_MERGE_M - VEHICLE_LENGTH_M / 2;
  return {
    field: 'beforeMergeM',
    message: `expected at least ${DENSITY_MIN_BEFORE_MERGE_M} m with density traffic (ramp vehicles spawn up to ${reach} m along j-k-0, docs/spec/horm.md §5.2), received ${lengths.beforeMergeM}`,
  };
}

/** One vehicle of an injected scene (tests, scenarios). */
export interface VehicleSpec {
  readonly kind: 'cav' | 'hdv';
  /** Centre [m]. */
  readonly x: number;
  readonly y: number;
  /** Speed [m/s]. */
  readonly speed: number;
  /** Heading [rad]; default 0. */
  readonly heading?: number;
  /** Current lane id; default: the closest lane (docs/spec/horm.md §1.5). */
  readonly laneId?: number;
}

/**
 * One vehicle of an explicit initial scene (a scenario's `traffic.vehicles` entry): placed on the
 * centre line of `lane` at `positionM` along it, heading along the lane.
 */
export interface SceneVehicle {
  /** Controlled (an agent) or human-driven (IDM/MOBIL, docs/spec/horm.md §4). */
  readonly kind: 'cav' | 'hdv';
  /** Lane (from, to, index), e.g. { from: 'j', to: 'k', index: 0 }. */
  readonly lane: LaneIndex;
  /** Longitudinal position of the centre along the lane, from its start [m]. */
  readonly positionM: number;
  /** Initial speed [m/s]; an HDV also keeps it as its desired speed (docs/spec/horm.md §4.1). */
  readonly speedMps: number;
  /** CAVs only, on all CAVs or none, distinct: agents are numbered by increasing priority. */
  readonly priority?: number;
}

/** A problem with an explicit scene; `path` names the field, e.g. "vehicles[3].positionM". */
export interface SceneIssue {
  readonly path: string;
  readonly message: string;
}

/** Lane id of `lane` on `network`, or null when the network has no such lane. */
function findLaneId(network: RoadNetwork, lane: LaneIndex): number | null {
  const id = network.lanes.findIndex(
    (l) => l.address.from === lane.from && l.address.to === lane.to && l.address.index === lane.index,
  );
  return id < 0 ? null : id;
}

/**
 * What keeps `vehicles` from being placed on `network`: unknown lane, position off the lane,
 * speed outside [0, 40] m/s, no CAV, priorities on HDVs, on some CAVs only, or repeated.
 */
export function sceneIssues(network: RoadNetwork, vehicles: readonly SceneVehicle[]): SceneIssue[] {
  const issues: SceneIssue[] = [];
  const at = (i: number, field: string) => `vehicles[${i}].${field}`;
  const lanes = network.lanes.map((l) => `${l.address.from}-${l.address.to}-${l.address.index}`);
  vehicles.forEach((v, i) => {
    const id = findLaneId(network, v.lane);
    if (id === null) {
      issues.push({
        path: at(i, 'lane'),
        message: `expected one of ${lanes.join(', ')}, received ${v.lane.from}-${v.lane.to}-${v.lane.index}`,
      });
    } else {
      const length = network.lanes[id]!.lengthM;
      if (!(v.positionM >= 0 && v.positionM <= length)) {
        issues.push({
          path: at(i, 'positionM'),
          message: `expected number in [0, ${length}] m on lane ${lanes[id]}, received ${v.positionM}`,
        });
      }
    }
    if (!(v.speedMps >= 0 && v.speedMps <= MAX_SPEED_MPS)) {
      issues.push({
        path: at(i, 'speedMps'),
        message: `expected number in [0, ${MAX_SPEED_MPS}] m/s, received ${v.speedMps}`,
      });
    }
    if (v.kind === 'hdv' && v.priority !== undefined) {
      issues.push({
        path: at(i, 'priority'),
        message: `expected no priority on an "hdv", received ${v.priority}`,
      });
    }
  });
  const cavs = vehicles.flatMap((v, i) => (v.kind === 'cav' ? [i] : []));
  if (cavs.length === 0) {
    issues.push({
      path: 'vehicles',
      message: `expected at least one "cav" (the agents), received ${vehicles.length} "hdv"`,
    });
  }
  const withPriority = cavs.filter((i) => vehicles[i]!.priority !== undefined);
  if (withPriority.length > 0) {
    const seen = new Map<number, number>();
    for (const i of cavs) {
      const p = vehicles[i]!.priority;
      if (p === undefined) {
        issues.push({
          path: at(i, 'priority'),
          message: 'expected a priority on every CAV once one has one, received none',
        });
      } else if (seen.has(p)) {
        issues.push({
          path: at(i, 'priority'),
          message: `expected a distinct priority, received ${p}, already used by vehicles[${seen.get(p)}]`,
        });
      } else {
        seen.set(p, i);
      }
    }
  }
  return issues;
}

/**
 * The injected scene of an explicit list (docs/spec/horm.md §5.2 order): CAVs in agent order (by
 * increasing priority when given, else list order), then HDVs in list order; each on its lane's
 * centre line at `positionM`, heading along the lane, current lane = the listed lane. Call
 * `sceneIssues` first.
 */
export function sceneFromList(network: RoadNetwork, vehicles: readonly SceneVehicle[]): VehicleSpec[] {
  const cavs = vehicles.filter((v) => v.kind === 'cav');
  if (cavs.every((v) => v.priority !== undefined)) {
    cavs.sort((p, q) => p.priority! - q.priority!); // Array.prototype.sort is stable
  }
  const ordered = [...cavs, ...vehicles.filter((v) => v.kind === 'hdv')];
  return ordered.map((v) => {
    const laneId = network.laneId(v.lane);
    const lane = network.lanes[laneId]!;
    const s = v.positionM;
    return {
      kind: v.kind,
      x: lane.pointX(s, 0),
      y: lane.pointY(s, 0),
      speed: v.speedMps,
      heading: lane.headingAt(s),
      laneId,
    };
  });
}

/**
 * Fills the world with the given vehicles in order (CAVs must come first: agent k = vehicle k,
 * §5.2). CAV target speed = snapped initial speed (§3.2); HDV desired speed = initial speed and
 * timer = ((x + y)·π) mod 1 (§4.1).
 */
export function injectScene(world: HormWorld, specs: readonly VehicleSpec[]): void {
  const t = world.vehicles;
  if (specs.length > t.capacity) {
    throw new Error(`injectScene: ${specs.length} vehicles exceed the world capacity ${t.capacity}`);
  }
  let seenHdv = false;
  t.count = specs.length;
  specs.forEach((v, i) => {
    if (v.kind === 'cav' && seenHdv) throw new Error(`injectScene: vehicle ${i} is a CAV after an HDV`);
    seenHdv ||= v.kind === 'hdv';
    const heading = v.heading ?? 0;
    t.x[i] = v.x;
    t.y[i] = v.y;
    t.heading[i] = heading;
    t.speed[i] = v.speed;
    t.lateralSpeed[i] = 0;
    t.yawRate[i] = 0;
    t.steering[i] = 0;
    t.accel[i] = 0;
    t.crashed[i] = 0;
    t.lane[i] = v.laneId ?? world.network.closestLaneId(v.x, v.y, heading);
    t.targetLane[i] = t.lane[i]!;
    t.speedIndex[i] = speedToIndex(v.speed);
    if (v.kind === 'cav') {
      t.kind[i] = VehicleKind.cav;
      t.targetSpeed[i] = indexToSpeed(t.speedIndex[i]!);
      t.timer[i] = 0;
    } else {
      t.kind[i] = VehicleKind.hdv;
      t.targetSpeed[i] = v.speed;
      t.timer[i] = ((v.x + v.y) * Math.PI) % 1;
    }
  });
  world.syncBodies();
}

/** Draws `k` offsets without replacement from `pool` (removing them), in draw order. */
function drawOffsets(pool: number[], k: number, rng: Rng): number[] {
  const out: number[] = [];
  for (let j = 0; j < k; j++) out.push(pool.splice(rng.int(pool.length), 1)[0]!);
  return out;
}

/**
 * Random initial scene for `density` (docs/spec/horm.md §5.1–§5.2): HDV count, CAV main/ramp offsets,
 * HDV main/ramp offsets, N + H speeds, N + H noises — the reference's draw order. Returns the specs.
 */
export function spawnScene(world: HormWorld, density: TrafficDensity, rng: Rng): VehicleSpec[] {
  const n = cavCount(density);
  const [hMin, hMax] = hdvCountRange(density);
  const h = hMin + rng.int(hMax - hMin + 1);
  const main = [...MAIN_SPAWN_OFFSETS_M];
  const ramp = [...RAMP_SPAWN_OFFSETS_M];
  const cavMain = drawOffsets(main, Math.floor(n / 2), rng);
  const cavRamp = drawOffsets(ramp, n - Math.floor(n / 2), rng);
  const hdvMain = drawOffsets(main, Math.floor(h / 2), rng);
  const hdvRamp = drawOffsets(ramp, h - Math.floor(h / 2), rng);
  const speeds = Array.from({ length: n + h }, () => 25 + 2 * rng.uniform());
  const noises = Array.from({ length: n + h }, () => 3 * rng.uniform() - 1.5);
  const mainLane = world.network.lanes[LANE.ab0]!;
  const rampLane = world.network.lanes[LANE.jk0]!;
  const specs: VehicleSpec[] = [];
  const place = (kind: 'cav' | 'hdv', onRamp: boolean, offset: number) => {
    const k = specs.length;
    const lane = onRamp ? rampLane : mainLane;
    const s = offset + noises[k]!;
    specs.push({ kind, x: lane.pointX(s, 0), y: lane.pointY(s, 0), speed: speeds[k]! });
  };
  for (const o of cavMain) place('cav', false, o);
  for (const o of cavRamp) place('cav', true, o);
  for (const o of hdvMain) place('hdv', false, o);
  for (const o of hdvRamp) place('hdv', true, o);
  injectScene(world, specs);
  return specs;
}
