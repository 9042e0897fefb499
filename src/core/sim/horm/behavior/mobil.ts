/**
 * MOBIL lane-change policy of the HDVs (docs/spec/horm.md §4.3).
 */

import type { HormQuirks } from '../config.js';
import { isReachableFrom, NO_LANE } from '../road/index.js';
import { desiredGap, idmAcceleration } from './idm.js';
import { type NeighbourPair, neighbourVehicles, type Scene } from './neighbours.js';

/** Politeness factor; docs/spec/horm.md §4.1. */
export const POLITENESS = 0;
/** Minimum acceleration gain to change lane [m/s²]; docs/spec/horm.md §4.1. */
export const LANE_CHANGE_MIN_ACC_GAIN_MPS2 = 0.1;
/** Maximum braking imposed on the new follower [m/s²]; docs/spec/horm.md §4.1. */
export const LANE_CHANGE_MAX_BRAKING_IMPOSED_MPS2 = 9;
/** Time between lane-change decisions [s]; docs/spec/horm.md §4.1. */
export const LANE_CHANGE_DELAY_S = 1;

const pairNew: NeighbourPair = new Int32Array(2);
const pairOld: NeighbourPair = new Int32Array(2);

/** True when MOBIL accepts a change of `ego` to lane `laneId` (docs/spec/horm.md §4.3 step 3). */
export function mobil(scene: Scene, ego: number, laneId: number, quirks: HormQuirks): boolean {
  const t = scene.vehicles;
  const unclamped = quirks.unclampedDesiredGap;
  neighbourVehicles(scene, ego, laneId, quirks.segmentLocalNeighbours, pairNew);
  const newFront = pairNew[0]!;
  const newRear = pairNew[1]!;
  const newRearPred = idmAcceleration(scene, newRear, ego, unclamped);
  if (newRearPred < -LANE_CHANGE_MAX_BRAKING_IMPOSED_MPS2) return false;
  neighbourVehicles(scene, ego, t.lane[ego]!, quirks.segmentLocalNeighbours, pairOld);
  const selfPred = idmAcceleration(scene, ego, newFront, unclamped);
  const selfNow = idmAcceleration(scene, ego, pairOld[0]!, unclamped);
  // POLITENESS = 0: the followers' terms vanish (computed by the reference, multiplied by 0).
  const gain = selfPred - selfNow;
  return gain >= LANE_CHANGE_MIN_ACC_GAIN_MPS2;
}

/**
 * change_lane_policy (docs/spec/horm.md §4.3): abort an in-progress change when someone else heading
 * for the same lane is too close ahead; otherwise, every LANE_CHANGE_DELAY_S, run MOBIL on each
 * reachable side lane (lower index first; a later yes overrides).
 * @param useTimer false in the supervisor's predictor (§3.6: MOBIL without the 1 s timer).
 * @param reachabilityOfOwnLane supervisor quirk (§3.6): test the own lane's reachability instead
 *   of the candidate's.
 */
export function changeLanePolicy(
  scene: Scene,
  ego: number,
  quirks: HormQuirks,
  useTimer = true,
  reachabilityOfOwnLane = false,
): void {
  const { network, vehicles: t } = scene;
  const lane = t.lane[ego]!;
  const target = t.targetLane[ego]!;
  if (lane !== target) {
    const a = network.lanes[lane]!.address;
    const b = network.lanes[target]!.address;
    if (a.from === b.from && a.to === b.to) {
      const egoLane = network.lanes[lane]!;
      const sEgo = egoLane.s(t.x[ego]!, t.y[ego]!);
      for (let k = 0; k < t.count; k++) {
        if (k === ego || t.lane[k] === target || t.targetLane[k] !== target) continue;
        const d = egoLane.s(t.x[k]!, t.y[k]!) - sEgo;
        const vk = t.speed[k]!;
        const dStar = desiredGap(
          t,
          ego,
          vk * Math.cos(t.heading[k]!),
          vk * Math.sin(t.heading[k]!),
          quirks.unclampedDesiredGap,
        );
        if (d > 0 && d < dStar) {
          t.targetLane[ego] = lane;
          break;
        }
      }
    }
    return;
  }
  if (useTimer) {
    if (!(LANE_CHANGE_DELAY_S < t.timer[ego]!)) return;
    t.timer[ego] = 0;
  }
  for (let side = 0; side < 2; side++) {
    const candidate = side === 0 ? network.lowerSideLane(lane) : network.upperSideLane(lane);
    if (candidate === NO_LANE) continue;
    const tested = network.lanes[reachabilityOfOwnLane ? lane : candidate]!;
    if (!isReachableFrom(tested, t.x[ego]!, t.y[ego]!)) continue;
    if (mobil(scene, ego, candidate, quirks)) t.targetLane[ego] = candidate;
  }
}
