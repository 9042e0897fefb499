/**
 * The on-ramp merge road of the reference (spec/horm.md §1): a main road a→b→c→d along y = 0, a
 * ramp j→k along y = 10.5, the sine converging lane k→b and the merge lane b→c index 1, plus the
 * 2 × 2 m obstacle at the end of the merge lane (§1.6).
 */

import { type Lane, SineLane, StraightLane } from './lane.js';
import { RoadNetwork } from './network.js';

/** Segment lengths [m]: before the merge, converging, merge, after (spec/horm.md §1.1). */
export const SEGMENT_LENGTHS_M = Object.freeze([220, 100, 100, 100] as const);
/** x where the merge zone starts (node b) [m]; spec/horm.md §1.1. */
export const MERGE_START_X_M = 320;
/** x where the merge lane ends (node c, obstacle) [m]; spec/horm.md §1.1. */
export const MERGE_END_X_M = 420;
/** Lateral position of the ramp centre line [m] (6.5 + 4); spec/horm.md §1.2. */
export const RAMP_Y_M = 10.5;
/** Sine lane amplitude A [m]; spec/horm.md §1.3. */
export const SINE_AMPLITUDE_M = 3.25;

/** A static box obstacle (spec/horm.md §1.6). */
export interface Obstacle {
  /** Centre [m]. */
  readonly x: number;
  readonly y: number;
  /** Heading [rad]. */
  readonly heading: number;
  /** Size [m]. */
  readonly lengthM: number;
  readonly widthM: number;
}

/** Dense lane ids of the merge road (graph iteration order, spec/horm.md §1.5). */
export const LANE = Object.freeze({ ab0: 0, bc0: 1, bc1: 2, cd0: 3, jk0: 4, kb0: 5 } as const);

/** The built merge road: network, obstacle and lane ids. */
export interface MergeRoad {
  readonly network: RoadNetwork;
  readonly obstacle: Obstacle;
}

/** Builds the road of spec/horm.md §1.2 in the reference's insertion order. */
export function buildMergeRoad(): MergeRoad {
  const [before, converging, merge, after] = SEGMENT_LENGTHS_M;
  const xb = before + converging; // 320
  const xc = xb + merge; // 420
  const xd = xc + after; // 520
  const addr = (from: string, to: string, index: number) => ({ from, to, index });
  const lanes: Lane[] = [
    new StraightLane(addr('a', 'b', 0), 0, 0, xb, 0, false),
    new StraightLane(addr('b', 'c', 0), xb, 0, xc, 0, false),
    new StraightLane(addr('c', 'd', 0), xc, 0, xd, 0, false),
    new StraightLane(addr('j', 'k', 0), 0, RAMP_Y_M, before, RAMP_Y_M, true),
    // Base line 3.25 m above the ramp, half a period of a 200 m wave (§1.3).
    new SineLane(
      addr('k', 'b', 0),
      before,
      RAMP_Y_M - SINE_AMPLITUDE_M,
      converging,
      SINE_AMPLITUDE_M,
      (2 * Math.PI) / (2 * converging),
      Math.PI / 2,
      true,
    ),
    new StraightLane(addr('b', 'c', 1), xb, 4, xc, 4, true),
  ];
  const network = new RoadNetwork(lanes);
  for (const [name, id] of Object.entries(LANE)) {
    if (network.label(id) !== name) {
      throw new Error(`buildMergeRoad: lane id ${id} expected ${name}, found ${network.label(id)}`);
    }
  }
  return { network, obstacle: { x: xc, y: 4, heading: 0, lengthM: 2, widthM: 2 } };
}
