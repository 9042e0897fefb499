/**
 * Intelligent Driver Model with the reference's parameters (docs/spec/horm.md §4.1–§4.2).
 */

import { notZero, type VehicleTable } from '../vehicle/index.js';
import { NONE, OBSTACLE, type Scene } from './neighbours.js';

/** Command clip for HDV acceleration [m/s²]; docs/spec/horm.md §4.1. */
export const ACC_MAX_MPS2 = 6;
/** Maximum comfortable acceleration a [m/s²]; docs/spec/horm.md §4.1. */
export const COMFORT_ACC_MAX_MPS2 = 3;
/** Comfortable deceleration b (negative) [m/s²]; docs/spec/horm.md §4.1. */
export const COMFORT_ACC_MIN_MPS2 = -5;
/** Jam distance s₀, centre to centre [m]; docs/spec/horm.md §4.1. */
export const DISTANCE_WANTED_M = 10;
/** Desired time gap T [s]; docs/spec/horm.md §4.1. */
export const TIME_WANTED_S = 1.5;
/** Acceleration exponent δ; docs/spec/horm.md §4.1. */
export const IDM_DELTA = 4;

/**
 * Desired gap d* of `ego` behind a leader with velocity (fvx, fvy) [m] (docs/spec/horm.md §4.2):
 * s₀ + v·T + v·Δv/(2√(a·|b|)). `unclamped` (reference quirk §10.10) lets the dynamic part go
 * negative; the correct IDM clamps it at 0.
 */
export function desiredGap(
  t: VehicleTable,
  ego: number,
  frontVx: number,
  frontVy: number,
  unclamped: boolean,
): number {
  const v = t.speed[ego]!;
  const cx = Math.cos(t.heading[ego]!);
  const cy = Math.sin(t.heading[ego]!);
  const dv = (v * cx - frontVx) * cx + (v * cy - frontVy) * cy;
  const dynamic =
    v * TIME_WANTED_S + (v * dv) / (2 * Math.sqrt(-COMFORT_ACC_MAX_MPS2 * COMFORT_ACC_MIN_MPS2));
  return DISTANCE_WANTED_M + (unclamped ? dynamic : Math.max(0, dynamic));
}

/** Free-road plus interaction IDM acceleration from explicit numbers [m/s²] (docs/spec/horm.md §4.2). */
export function idmFormula(speedMps: number, desiredSpeedMps: number, gapM: number, dStarM: number): number {
  let a = COMFORT_ACC_MAX_MPS2 * (1 - (Math.max(speedMps, 0) / notZero(desiredSpeedMps)) ** IDM_DELTA);
  if (!Number.isNaN(gapM)) a -= COMFORT_ACC_MAX_MPS2 * (dStarM / notZero(gapM)) ** 2;
  return a;
}

/**
 * Unclipped IDM acceleration of vehicle `ego` (its target speed plays v₀) behind `front` (a vehicle
 * index, OBSTACLE or NONE) [m/s²]; the gap is measured along the ego's current lane (§4.2).
 * `ego` = NONE or OBSTACLE gives 0, as in the reference.
 */
export function idmAcceleration(scene: Scene, ego: number, front: number, unclamped: boolean): number {
  if (ego < 0) return 0;
  const t = scene.vehicles;
  const v = t.speed[ego]!;
  if (front === NONE) return idmFormula(v, t.targetSpeed[ego]!, Number.NaN, 0);
  const lane = scene.network.lanes[t.lane[ego]!]!;
  let fx: number;
  let fy: number;
  let fvx = 0;
  let fvy = 0;
  if (front === OBSTACLE) {
    fx = scene.obstacle.x;
    fy = scene.obstacle.y;
  } else {
    fx = t.x[front]!;
    fy = t.y[front]!;
    fvx = t.speed[front]! * Math.cos(t.heading[front]!);
    fvy = t.speed[front]! * Math.sin(t.heading[front]!);
  }
  const gap = lane.s(fx, fy) - lane.s(t.x[ego]!, t.y[ego]!);
  return idmFormula(v, t.targetSpeed[ego]!, gap, desiredGap(t, ego, fvx, fvy, unclamped));
}
