/**
 * The lanes a scenario may place a vehicle on, named by the HORM network's nodes (docs/spec/horm.md
 * §1.2, §1.5: lane (from, to, id) is written "from-to-id"), and where each lies for given segment
 * lengths (§1.1). Only what validation needs; the simulator builds the real geometry.
 */

/** Lane ids in the network's iteration order (docs/spec/horm.md §1.5). */
export const SCENARIO_LANES = ['a-b-0', 'b-c-0', 'c-d-0', 'j-k-0', 'k-b-0', 'b-c-1'] as const;

/** A lane id: "a-b-0" is lane 0 of the road from node a to node b. */
export type ScenarioLane = (typeof SCENARIO_LANES)[number];

/** Segment lengths along x [m] (docs/spec/horm.md §1.1: ends = [220, 100, 100, 100]). */
export interface RoadLengths {
  /** Main road before the merge zone / straight part of the ramp [m]. */
  readonly beforeMergeM: number;
  /** Converging (sine) part of the ramp, beside the main road [m]. */
  readonly convergingM: number;
  /** Merge zone: the acceleration lane (b,c,1) beside the main road [m]. */
  readonly mergeM: number;
  /** Main road after the merge zone [m]. */
  readonly afterMergeM: number;
}

/**
 * The line of traffic a lane belongs to: the main road (a,b,0) → (b,c,0) → (c,d,0), or the ramp
 * (j,k,0) → (k,b,0) → merge lane (b,c,1). Lanes of different lines are at least 4 m apart
 * laterally (lane width, §1.2), so only vehicles of the same line can overlap.
 */
export type TrafficLine = 'main' | 'ramp';

/** The (from, to, id) lane index of the reference network (docs/spec/horm.md §1.2). */
export interface LaneIndex {
  readonly from: string;
  readonly to: string;
  readonly index: number;
}

/** The network lane index of a lane id: "b-c-1" → { from: 'b', to: 'c', index: 1 }. */
export function laneIndexOf(lane: ScenarioLane): LaneIndex {
  const [from, to, index] = lane.split('-') as [string, string, string];
  return { from, to, index: Number(index) };
}

/** The line of traffic of a lane. */
export function trafficLineOf(lane: ScenarioLane): TrafficLine {
  return lane === 'a-b-0' || lane === 'b-c-0' || lane === 'c-d-0' ? 'main' : 'ramp';
}

/** x of a lane's start [m] (every lane runs along +x; docs/spec/horm.md §1.2). */
export function laneStartXM(road: RoadLengths, lane: ScenarioLane): number {
  switch (lane) {
    case 'a-b-0':
    case 'j-k-0':
      return 0;
    case 'k-b-0':
      return road.beforeMergeM;
    case 'b-c-0':
    case 'b-c-1':
      return road.beforeMergeM + road.convergingM;
    case 'c-d-0':
      return road.beforeMergeM + road.convergingM + road.mergeM;
  }
}

/** Length of a lane along x [m] (the sine lane's length is its x extent, as in the reference). */
export function laneLengthM(road: RoadLengths, lane: ScenarioLane): number {
  switch (lane) {
    case 'a-b-0':
      return road.beforeMergeM + road.convergingM;
    case 'j-k-0':
      return road.beforeMergeM;
    case 'k-b-0':
      return road.convergingM;
    case 'b-c-0':
    case 'b-c-1':
      return road.mergeM;
    case 'c-d-0':
      return road.afterMergeM;
  }
}
