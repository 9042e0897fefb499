/**
 * Lane neighbour search used by IDM and MOBIL (docs/spec/horm.md §4.2 `neighbour_vehicles`): vehicles
 * and the obstacle on a lane with a 1 m margin; front = smallest s ≥ s_ego, rear = largest s < s_ego.
 */

import { isOnLane, type Obstacle, type RoadNetwork } from '../road/index.js';
import type { VehicleTable } from '../vehicle/index.js';

/** Neighbour id meaning "none". */
export const NONE = -1;
/** Neighbour id meaning "the obstacle at the end of the merge lane". */
export const OBSTACLE = -2;

/** Lateral margin of the on-lane test [m]; docs/spec/horm.md §4.2. */
const ON_LANE_MARGIN_M = 1;

/** The scene a behaviour model looks at. */
export interface Scene {
  readonly network: RoadNetwork;
  readonly vehicles: VehicleTable;
  readonly obstacle: Obstacle;
}

/** Result slots written by `neighbourVehicles`: [front, rear] ids (vehicle index, NONE or OBSTACLE). */
export type NeighbourPair = Int32Array;

/**
 * Front and rear neighbours of vehicle `ego` on lane `laneId` (docs/spec/horm.md §4.2).
 * @param segmentLocal reference quirk §10.9: only the lane segment ±5 m is searched. When false, a
 *   dead-end lane has no far end, if nothing is ahead on `laneId` its next lane is searched, and if
 *   nothing is behind, the lanes that lead into it (for a vehicle a few metres short of the merge
 *   area, which MOBIL's safety check must see: docs/horm.md, "Lane neighbours").
 */
export function neighbourVehicles(
  scene: Scene,
  ego: number,
  laneId: number,
  segmentLocal: boolean,
  out: NeighbourPair,
): NeighbourPair {
  const { network, vehicles: t, obstacle } = scene;
  const lane = network.lanes[laneId]!;
  const openEnd = !segmentLocal && network.isDeadEnd(laneId);
  const s = lane.s(t.x[ego]!, t.y[ego]!);
  let front = NONE;
  let rear = NONE;
  let sFront = Number.POSITIVE_INFINITY;
  let sRear = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= t.count; k++) {
    if (k === ego) continue;
    const isObstacle = k === t.count; // the reference lists road objects after the vehicles
    const x = isObstacle ? obstacle.x : t.x[k]!;
    const y = isObstacle ? obstacle.y : t.y[k]!;
    if (!isOnLane(lane, x, y, ON_LANE_MARGIN_M, openEnd)) continue;
    const sv = lane.s(x, y);
    const id = isObstacle ? OBSTACLE : k;
    if (s <= sv && sv <= sFront) {
      sFront = sv;
      front = id;
    }
    if (sv < s && sv > sRear) {
      sRear = sv;
      rear = id;
    }
  }
  if (front === NONE && !segmentLocal) {
    const next = network.nextLaneId(laneId, t.x[ego]!, t.y[ego]!);
    if (next !== laneId) {
      const nextLane = network.lanes[next]!;
      const nextOpen = network.isDeadEnd(next);
      for (let k = 0; k <= t.count; k++) {
        if (k === ego) continue;
        const isObstacle = k === t.count;
        const x = isObstacle ? obstacle.x : t.x[k]!;
        const y = isObstacle ? obstacle.y : t.y[k]!;
        if (!isOnLane(nextLane, x, y, ON_LANE_MARGIN_M, nextOpen)) continue;
        const sv = nextLane.s(x, y);
        if (lane.s(x, y) >= s && sv <= sFront) {
          sFront = sv;
          front = isObstacle ? OBSTACLE : k;
        }
      }
    }
  }
  if (rear === NONE && !segmentLocal) rear = rearOnPreviousLanes(scene, ego, laneId, s);
  out[0] = front;
  out[1] = rear;
  return out;
}

/**
 * The vehicle closest behind s (in `laneId`'s coordinate) among those on the lanes leading into
 * `laneId` whose next lane, from where they are, is `laneId`; NONE when there is none.
 */
function rearOnPreviousLanes(scene: Scene, ego: number, laneId: number, s: number): number {
  const { network, vehicles: t } = scene;
  const lane = network.lanes[laneId]!;
  let rear = NONE;
  let sRear = Number.NEGATIVE_INFINITY;
  const previousIds = network.previousLaneIds(laneId);
  for (let p = 0; p < previousIds.length; p++) {
    const previous = previousIds[p]!;
    const previousLane = network.lanes[previous]!;
    for (let k = 0; k < t.count; k++) {
      if (k === ego) continue;
      const x = t.x[k]!;
      const y = t.y[k]!;
      if (!isOnLane(previousLane, x, y, ON_LANE_MARGIN_M, false)) continue;
      if (network.nextLaneId(previous, x, y) !== laneId) continue;
      const sv = lane.s(x, y);
      if (sv < s && sv > sRear) {
        sRear = sv;
        rear = k;
      }
    }
  }
  return rear;
}
