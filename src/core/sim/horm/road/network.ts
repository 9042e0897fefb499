/**
 * Road network graph (docs/spec/horm.md §1.5): node → node → ordered lanes, addressed by
 * (from, to, index). Lanes also get a dense integer id (their position in the reference's dict
 * iteration order) so the hot loops work on ids; the network knows no vehicle class.
 */

import { type Lane, type LaneIndex, laneDistance, laneDistanceWithHeading } from './lane.js';

/** Marker for "no lane" in id fields. */
export const NO_LANE = -1;

/** The road graph and the lane queries vehicles need. */
export class RoadNetwork {
  /** Lanes in graph iteration order; a lane's id is its position here. */
  readonly lanes: readonly Lane[];
  private readonly graph = new Map<string, Map<string, Lane[]>>();
  private readonly ids = new Map<Lane, number>();
  /** Per lane id: ids of the lanes of the next road (empty at a dead end). */
  private readonly nextRoad: Int32Array[] = [];
  /** Per lane id: ids of the lanes whose next road holds this lane (empty where a road starts). */
  private readonly previousRoad: Int32Array[] = [];
  /** Per lane id: whether the next road has as many lanes as this one (then the index is kept). */
  private readonly sameCount: Uint8Array;
  /** Per lane id: id of the side lane with index − 1 / index + 1 on the same road, or NO_LANE. */
  private readonly lowerSide: Int32Array;
  private readonly upperSide: Int32Array;

  /** Builds the graph from lanes in insertion order (docs/spec/horm.md §1.5: dict order matters). */
  constructor(inserted: readonly Lane[]) {
    for (const lane of inserted) {
      const { from, to } = lane.address;
      let roads = this.graph.get(from);
      if (roads === undefined) {
        roads = new Map();
        this.graph.set(from, roads);
      }
      let road = roads.get(to);
      if (road === undefined) {
        road = [];
        roads.set(to, road);
      }
      if (road.length !== lane.address.index) {
        throw new Error(
          `RoadNetwork: lane ${from}-${to} index expected ${road.length} (insertion order), received ${lane.address.index}`,
        );
      }
      road.push(lane);
    }
    const lanes: Lane[] = [];
    for (const roads of this.graph.values()) for (const road of roads.values()) lanes.push(...road);
    this.lanes = lanes;
    for (const [id, lane] of lanes.entries()) this.ids.set(lane, id);
    const n = lanes.length;
    this.sameCount = new Uint8Array(n);
    this.lowerSide = new Int32Array(n).fill(NO_LANE);
    this.upperSide = new Int32Array(n).fill(NO_LANE);
    lanes.forEach((lane, id) => {
      const { from, to, index } = lane.address;
      const road = this.graph.get(from)!.get(to)!;
      if (index > 0) this.lowerSide[id] = this.ids.get(road[index - 1]!)!;
      if (index + 1 < road.length) this.upperSide[id] = this.ids.get(road[index + 1]!)!;
      // No routes are set, and np.random.randint(1) = 0 picks the first outgoing road (§1.5).
      const outgoing = this.graph.get(to);
      const nextTo = outgoing === undefined ? undefined : outgoing.keys().next().value;
      const next = nextTo === undefined ? [] : outgoing!.get(nextTo)!;
      this.nextRoad[id] = Int32Array.from(next, (l) => this.ids.get(l)!);
      this.sameCount[id] = next.length === road.length ? 1 : 0;
    });
    lanes.forEach((_, id) => {
      const feeding = lanes.map((__, p) => p).filter((p) => this.nextRoad[p]!.includes(id));
      this.previousRoad[id] = Int32Array.from(feeding);
    });
  }

  /** The lane at (from, to, index); throws naming the valid roads when absent. */
  laneAt(address: LaneIndex): Lane {
    return this.lanes[this.laneId(address)]!;
  }

  /** Dense id of the lane at (from, to, index). */
  laneId(address: LaneIndex): number {
    const lane = this.graph.get(address.from)?.get(address.to)?.[address.index];
    if (lane === undefined) {
      const known = this.lanes.map((l) => `${l.address.from}-${l.address.to}-${l.address.index}`);
      throw new Error(
        `RoadNetwork: no lane ${address.from}-${address.to}-${address.index}; lanes are ${known.join(', ')}`,
      );
    }
    return this.ids.get(lane)!;
  }

  /** argmin over all lanes of distance_with_heading, first lane wins ties (docs/spec/horm.md §1.5). */
  closestLaneId(x: number, y: number, headingRad: number): number {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    const lanes = this.lanes;
    for (let id = 0; id < lanes.length; id++) {
      const d = laneDistanceWithHeading(lanes[id]!, x, y, headingRad);
      if (d < bestD) {
        bestD = d;
        best = id;
      }
    }
    return best;
  }

  /**
   * next_lane without a route (docs/spec/horm.md §1.5): same index if the next road has as many
   * lanes, else its lane with the smallest L1 distance to (x, y); a dead end returns `laneId`.
   */
  nextLaneId(laneId: number, x: number, y: number): number {
    const next = this.nextRoad[laneId]!;
    if (next.length === 0) return laneId;
    if (this.sameCount[laneId] === 1) return next[this.lanes[laneId]!.address.index]!;
    let best = next[0]!;
    let bestD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < next.length; k++) {
      const d = laneDistance(this.lanes[next[k]!]!, x, y);
      if (d < bestD) {
        bestD = d;
        best = next[k]!;
      }
    }
    return best;
  }

  /**
   * Ids of the lanes whose next road holds `laneId` (a vehicle on one of them reaches `laneId` when
   * `nextLaneId` picks it for its position); empty where a road starts.
   */
  previousLaneIds(laneId: number): Int32Array {
    return this.previousRoad[laneId]!;
  }

  /** True when the lane's end node has no outgoing road (the road continues straight on, §1.5). */
  isDeadEnd(laneId: number): boolean {
    return this.nextRoad[laneId]!.length === 0;
  }

  /** Side lane with index − 1 on the same road, or NO_LANE (docs/spec/horm.md §1.5 side_lanes). */
  lowerSideLane(laneId: number): number {
    return this.lowerSide[laneId]!;
  }

  /** Side lane with index + 1 on the same road, or NO_LANE. */
  upperSideLane(laneId: number): number {
    return this.upperSide[laneId]!;
  }

  /** Number of lanes on the road of `laneId`. */
  roadLaneCount(laneId: number): number {
    const { from, to } = this.lanes[laneId]!.address;
    return this.graph.get(from)!.get(to)!.length;
  }

  /** Id of the lane `index` on the same road as `laneId`. */
  sameRoadLane(laneId: number, index: number): number {
    const { from, to } = this.lanes[laneId]!.address;
    return this.laneId({ from, to, index });
  }

  /** "from-to-index" label of a lane id, for messages and tests. */
  label(laneId: number): string {
    const a = this.lanes[laneId]!.address;
    return `${a.from}${a.to}${a.index}`;
  }
}
