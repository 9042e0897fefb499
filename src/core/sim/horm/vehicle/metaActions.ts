/**
 * CAV meta-actions (docs/spec/horm.md §3.1), their effect on the target lane and speed (§3.2) and the
 * availability rule (§3.5).
 */

import { isReachableFrom, NO_LANE, type RoadNetwork } from '../road/index.js';
import { followRoad, indexToSpeed, SPEED_COUNT, speedToIndex } from './controller.js';
import type { VehicleTable } from './vehicleTable.js';

/** Meta-action indices (docs/spec/horm.md §3.1). */
export const MetaAction = Object.freeze({
  laneLeft: 0,
  idle: 1,
  laneRight: 2,
  faster: 3,
  slower: 4,
} as const);

/** Number of meta-actions. */
export const META_ACTION_COUNT = 5;

/**
 * Delivers a high-level action to CAV `i` (docs/spec/horm.md §3.1–§3.3): follow the road, then change
 * the target lane (if the neighbouring lane is reachable) or the speed index.
 * @param fromCurrentSpeed reference quirk §10.11: FASTER/SLOWER step from idx(current speed).
 */
export function applyMetaAction(
  t: VehicleTable,
  i: number,
  action: number,
  network: RoadNetwork,
  fromCurrentSpeed: boolean,
): void {
  followRoad(t, i, network);
  if (action === MetaAction.faster || action === MetaAction.slower) {
    const base = fromCurrentSpeed ? speedToIndex(t.speed[i]!) : t.speedIndex[i]!;
    const index = Math.min(SPEED_COUNT - 1, Math.max(0, base + (action === MetaAction.faster ? 1 : -1)));
    t.speedIndex[i] = index;
    t.targetSpeed[i] = indexToSpeed(index);
  } else if (action === MetaAction.laneLeft || action === MetaAction.laneRight) {
    const target = t.targetLane[i]!;
    const count = network.roadLaneCount(target);
    const index = network.lanes[target]!.address.index + (action === MetaAction.laneLeft ? -1 : 1);
    const candidate = network.sameRoadLane(target, Math.min(count - 1, Math.max(0, index)));
    if (isReachableFrom(network.lanes[candidate]!, t.x[i]!, t.y[i]!)) t.targetLane[i] = candidate;
  }
}

/**
 * Available actions of CAV `i` in the reference's list order IDLE, LEFT, RIGHT, FASTER, SLOWER
 * (docs/spec/horm.md §3.5; the order matters for the supervisor, §3.6). Writes into `out`, returns the
 * count.
 */
export function availableActions(t: VehicleTable, i: number, network: RoadNetwork, out: Int32Array): number {
  let n = 0;
  out[n++] = MetaAction.idle;
  const lane = t.lane[i]!;
  const lower = network.lowerSideLane(lane);
  const upper = network.upperSideLane(lane);
  if (lower !== NO_LANE && isReachableFrom(network.lanes[lower]!, t.x[i]!, t.y[i]!)) {
    out[n++] = MetaAction.laneLeft;
  }
  if (upper !== NO_LANE && isReachableFrom(network.lanes[upper]!, t.x[i]!, t.y[i]!)) {
    out[n++] = MetaAction.laneRight;
  }
  if (t.speedIndex[i]! < SPEED_COUNT - 1) out[n++] = MetaAction.faster;
  if (t.speedIndex[i]! > 0) out[n++] = MetaAction.slower;
  return n;
}
