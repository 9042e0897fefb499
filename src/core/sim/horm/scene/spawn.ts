/**
 * Spawning per traffic density (spec/horm.md §5): counts, spawn offsets drawn without
 * replacement, speeds in [25, 27) m/s and position noise in [−1.5, 1.5) m, in the reference's draw
 * structure but from the project's Rng (§5.3: no MT19937 bit-compatibility).
 */

import type { Rng } from '../../../rng.js';
import { LANE } from '../road/index.js';
import { indexToSpeed, speedToIndex, VehicleKind } from '../vehicle/index.js';
import type { HormWorld } from '../world.js';

/** Supported traffic densities (spec/horm.md §5.1). */
export type TrafficDensity = 1 | 2 | 3;

/** Main-road spawn offsets along a→b [m]; spec/horm.md §5.2. */
export const MAIN_SPAWN_OFFSETS_M = Object.freeze([10, 50, 90, 130, 170, 210]);
/** Ramp spawn offsets along j→k [m]; spec/horm.md §5.2. */
export const RAMP_SPAWN_OFFSETS_M = Object.freeze([5, 45, 85, 125, 165, 205]);

/** CAVs (agents) per density under STEER: density + 1 (spec/horm.md §5.1). */
export function cavCount(density: TrafficDensity): number {
  return density + 1;
}

/** Smallest and largest HDV count per density (uniform draw, spec/horm.md §5.1). */
export function hdvCountRange(density: TrafficDensity): readonly [number, number] {
  return density === 1 ? [1, 3] : density === 2 ? [2, 4] : [3, 5];
}

/** Largest vehicle count of any episode at `density`. */
export function maxVehicles(density: TrafficDensity): number {
  return cavCount(density) + hdvCountRange(density)[1];
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
    t.steering[i] = 0;
    t.accel[i] = 0;
    t.crashed[i] = 0;
    t.lane[i] = world.network.closestLaneId(v.x, v.y, heading);
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
 * Random initial scene for `density` (spec/horm.md §5.1–§5.2): HDV count, CAV main/ramp offsets,
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
