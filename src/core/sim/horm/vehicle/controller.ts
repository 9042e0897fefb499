/**
 * Low-level CAV/HDV controllers run at every sub-step (docs/spec/horm.md §3.3): road following,
 * steering toward the target lane and proportional speed control; plus the MDP target-speed set
 * (§3.2).
 */

import { isAfterEnd, type RoadNetwork, wrapToPi } from '../road/index.js';
import { VEHICLE_LENGTH_M, type VehicleTable } from './vehicleTable.js';

/** Speed-control gain 1/TAU_A [1/s]; docs/spec/horm.md §3.3. */
export const KP_A = 1 / 0.6;
/** Heading gain 1/TAU_DS [1/s]; docs/spec/horm.md §3.3. */
export const KP_HEADING = 1 / 0.2;
/** Lateral gain [1/s]; docs/spec/horm.md §3.3. */
export const KP_LATERAL = 5 / 3;
/** Look-ahead time for the lane heading [s]; docs/spec/horm.md §3.3. */
export const PURSUIT_TAU_S = 0.1;
/** Steering limit [rad]; docs/spec/horm.md §3.3. */
export const MAX_STEERING_RAD = Math.PI / 3;
/** Number of CAV target speeds; docs/spec/horm.md §3.2. */
export const SPEED_COUNT = 5;
/** Lowest / highest CAV target speed [m/s]; docs/spec/horm.md §3.2. */
export const SPEED_MIN_MPS = 10;
export const SPEED_MAX_MPS = 30;

/** x if |x| > 0.01, else ±0.01 (docs/spec/horm.md §3.3 `not_zero`). */
export function notZero(x: number): number {
  if (Math.abs(x) > 0.01) return x;
  return x > 0 ? 0.01 : -0.01;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** idx(v) = clamp(round(4·(v − 10)/20), 0, 4) with round-half-even (docs/spec/horm.md §3.2). */
export function speedToIndex(speedMps: number): number {
  const x = (speedMps - SPEED_MIN_MPS) / (SPEED_MAX_MPS - SPEED_MIN_MPS);
  return Math.min(SPEED_COUNT - 1, Math.max(0, roundHalfEven(x * (SPEED_COUNT - 1))));
}

/** Target speed of index k: 10 + 5k [m/s] (docs/spec/horm.md §3.2). */
export function indexToSpeed(index: number): number {
  return SPEED_MIN_MPS + (index * (SPEED_MAX_MPS - SPEED_MIN_MPS)) / (SPEED_COUNT - 1);
}

/** follow_road: past the target lane's end, target its next lane (docs/spec/horm.md §3.3 (1)). */
export function followRoad(t: VehicleTable, i: number, network: RoadNetwork): void {
  const target = t.targetLane[i]!;
  if (isAfterEnd(network.lanes[target]!, t.x[i]!, t.y[i]!)) {
    t.targetLane[i] = network.nextLaneId(target, t.x[i]!, t.y[i]!);
  }
}

/** Steering angle toward lane `laneId`, clipped to ±π/3 [rad] (docs/spec/horm.md §3.3). */
export function steeringCommand(t: VehicleTable, i: number, laneId: number, network: RoadNetwork): number {
  const lane = network.lanes[laneId]!;
  const x = t.x[i]!;
  const y = t.y[i]!;
  const v = t.speed[i]!;
  const s = lane.s(x, y);
  const r = lane.r(x, y);
  const futureHeading = lane.headingAt(s + v * PURSUIT_TAU_S);
  const lateralSpeed = -KP_LATERAL * r;
  const headingCmd = Math.asin(clamp(lateralSpeed / notZero(v), -1, 1));
  const headingRef = futureHeading + clamp(headingCmd, -Math.PI / 4, Math.PI / 4);
  const headingRate = KP_HEADING * wrapToPi(headingRef - t.heading[i]!);
  const delta = Math.asin(clamp(((VEHICLE_LENGTH_M / 2) * headingRate) / notZero(v), -1, 1));
  return clamp(delta, -MAX_STEERING_RAD, MAX_STEERING_RAD);
}

/** a = (v_target − v)/0.6 [m/s²] (docs/spec/horm.md §3.3). */
export function speedCommand(t: VehicleTable, i: number): number {
  return KP_A * (t.targetSpeed[i]! - t.speed[i]!);
}

/** A CAV's per-sub-step act: follow the road, then store steering and speed commands (§3.3). */
export function cavAct(t: VehicleTable, i: number, network: RoadNetwork): void {
  followRoad(t, i, network);
  t.steering[i] = steeringCommand(t, i, t.targetLane[i]!, network);
  t.accel[i] = speedCommand(t, i);
}

/** Clamps x to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
