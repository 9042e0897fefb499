/**
 * Kinematic bicycle model, one explicit-Euler sub-step (docs/spec/horm.md §2.2). No friction, mass or
 * tyre model; the heading is not wrapped.
 */

import type { RoadNetwork } from '../road/index.js';
import { VEHICLE_LENGTH_M, type VehicleTable } from './vehicleTable.js';

/** Hard speed clamp [m/s]; docs/spec/horm.md §2.2. */
export const MAX_SPEED_MPS = 40;

/**
 * The command clipping of §2.2, shared by both physics modes: a crashed vehicle steers straight
 * and brakes with a = −v; beyond |v| = 40 m/s the acceleration may only bring the speed back.
 */
export function clipCommand(t: VehicleTable, i: number): void {
  const v = t.speed[i]!;
  if (t.crashed[i] === 1) {
    t.steering[i] = 0;
    t.accel[i] = -v;
  }
  if (v > MAX_SPEED_MPS) t.accel[i] = Math.min(t.accel[i]!, MAX_SPEED_MPS - v);
  else if (v < -MAX_SPEED_MPS) t.accel[i] = Math.max(t.accel[i]!, MAX_SPEED_MPS - v);
}

/**
 * Integrates vehicle `i` over `dtS` seconds with its stored command, after the command clipping
 * of §2.2 (crashed → δ = 0, a = −v; |v| > 40 limits a), then re-assigns its current lane (§1.5).
 */
export function integrateBicycle(t: VehicleTable, i: number, dtS: number, network: RoadNetwork | null): void {
  clipCommand(t, i);
  const v = t.speed[i]!;
  const h = t.heading[i]!;
  const beta = Math.atan(0.5 * Math.tan(t.steering[i]!));
  t.x[i] = t.x[i]! + v * Math.cos(h + beta) * dtS;
  t.y[i] = t.y[i]! + v * Math.sin(h + beta) * dtS;
  t.heading[i] = h + ((v * Math.sin(beta)) / (VEHICLE_LENGTH_M / 2)) * dtS;
  t.speed[i] = v + t.accel[i]! * dtS;
  if (network !== null) t.lane[i] = network.closestLaneId(t.x[i]!, t.y[i]!, t.heading[i]!);
}
