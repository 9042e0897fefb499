/**
 * Neighbour queries of the reward and the supervisor (docs/spec/horm.md §7.2, §7.4): lane-group
 * leader/follower search on raw x, the four regional neighbours, and the headway distance. Only
 * `road.vehicles` are searched (never the obstacle).
 */

import { LANE, type MergeRoad, NO_LANE, type RoadNetwork } from '../road/index.js';
import type { VehicleTable } from '../vehicle/index.js';

/** Lanes searched for each query lane, as bit masks over lane ids (docs/spec/horm.md §7.4). */
const LANE_GROUP: readonly number[] = (() => {
  const bit = (...ids: number[]) => ids.reduce((m, id) => m | (1 << id), 0);
  const g: number[] = [];
  g[LANE.ab0] = bit(LANE.ab0, LANE.bc0);
  g[LANE.bc0] = bit(LANE.ab0, LANE.bc0, LANE.cd0);
  g[LANE.cd0] = bit(LANE.bc0, LANE.cd0);
  g[LANE.jk0] = bit(LANE.jk0, LANE.kb0);
  g[LANE.kb0] = bit(LANE.jk0, LANE.kb0, LANE.bc1);
  g[LANE.bc1] = bit(LANE.kb0, LANE.bc1);
  return g;
})();

/** Main-road lane ids (a→b, b→c index 0, c→d). */
export function isMainLane(laneId: number): boolean {
  return laneId === LANE.ab0 || laneId === LANE.bc0 || laneId === LANE.cd0;
}

/**
 * Leader (smallest x ≥ x_ego, first in list order on ties) and follower (largest x < x_ego) of
 * `ego` among vehicles whose lane is in the group of `queryLane`; writes [leader, follower] (−1 =
 * none) at out[offset], out[offset + 1] (docs/spec/horm.md §7.4 `surrounding_vehicles`).
 */
export function surroundingVehicles(
  t: VehicleTable,
  ego: number,
  queryLane: number,
  out: Int32Array,
  offset: number,
): void {
  const group = LANE_GROUP[queryLane]!;
  const x0 = t.x[ego]!;
  let leader = -1;
  let follower = -1;
  let xl = Number.POSITIVE_INFINITY;
  let xf = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < t.count; k++) {
    if (k === ego || ((group >> t.lane[k]!) & 1) === 0) continue;
    const x = t.x[k]!;
    if (x >= x0 && x < xl) {
      xl = x;
      leader = k;
    } else if (x < x0 && x > xf) {
      xf = x;
      follower = k;
    }
  }
  out[offset] = leader;
  out[offset + 1] = follower;
}

/**
 * The four regional neighbours of `ego` as [v_fl, v_rl, v_fr, v_rr] (main-side leader/follower,
 * ramp-side leader/follower; −1 = none) by the per-lane table of docs/spec/horm.md §7.4 (a main-road
 * CAV sees the sine lane once past the ramp's straight, x > beforeMergeM).
 */
export function regionalNeighbours(t: VehicleTable, ego: number, road: MergeRoad, out: Int32Array): void {
  const network = road.network;
  out.fill(-1, 0, 4);
  const lane = t.lane[ego]!;
  const side =
    network.lowerSideLane(lane) !== NO_LANE ? network.lowerSideLane(lane) : network.upperSideLane(lane);
  if (isMainLane(lane)) {
    surroundingVehicles(t, ego, lane, out, 0);
    if (side !== NO_LANE) surroundingVehicles(t, ego, side, out, 2);
    else if (lane === LANE.ab0 && t.x[ego]! > road.lengths.beforeMergeM)
      surroundingVehicles(t, ego, LANE.kb0, out, 2);
  } else {
    surroundingVehicles(t, ego, lane, out, 2);
    if (side !== NO_LANE) surroundingVehicles(t, ego, side, out, 0);
    else if (lane === LANE.kb0) surroundingVehicles(t, ego, LANE.ab0, out, 0);
  }
}

/** Headway cap [m]; docs/spec/horm.md §7.2. */
export const HEADWAY_CAP_M = 60;

/**
 * Headway distance hd [m] (docs/spec/horm.md §7.2): smallest positive centre-to-centre x-gap to a
 * vehicle on the ego's lane or (unless the ego is on b→c index 1) on its next lane, capped at 60.
 */
export function headwayDistance(t: VehicleTable, ego: number, network: RoadNetwork): number {
  const lane = t.lane[ego]!;
  const x0 = t.x[ego]!;
  const next = lane === LANE.bc1 ? NO_LANE : network.nextLaneId(lane, x0, t.y[ego]!);
  let hd = HEADWAY_CAP_M;
  for (let k = 0; k < t.count; k++) {
    const l = t.lane[k]!;
    const x = t.x[k]!;
    if ((l === lane || l === next) && x > x0 && x - x0 < hd) hd = x - x0;
  }
  return hd;
}

/**
 * Distance to the end of the merge lane [m]: x_c − x on b→c index 1, else the merge lane's length
 * (420 − x and 100 on the reference road; docs/spec/horm.md §3.6 `distance_to_merging_end`).
 */
export function distanceToMergeEnd(t: VehicleTable, i: number, road: MergeRoad): number {
  return t.lane[i] === LANE.bc1 ? road.mergeEndXM - t.x[i]! : road.lengths.mergeM;
}
