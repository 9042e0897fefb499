/**
 * The on-ramp merge road of the reference (docs/spec/horm.md §1): a main road a→b→c→d along y = 0, a
 * ramp j→k along y = 10.5, the sine converging lane k→b and the merge lane b→c index 1, plus the
 * 2 × 2 m obstacle at the end of the merge lane (§1.6). Segment lengths default to the reference's
 * `ends = [220, 100, 100, 100]` (§1.1); other lengths scale the geometry the way the reference's
 * `_make_road` does.
 */

import { type Lane, SineLane, StraightLane } from './lane.js';
import { RoadNetwork } from './network.js';

/**
 * Segment lengths along x [m] (docs/spec/horm.md §1.1 `ends`): before the merge, converging (sine)
 * section, merge (parallel lane) section, after the merge. Same names as a scenario's `road`.
 */
export interface MergeRoadLengths {
  /** Main road before the merge zone = straight ramp (j,k,0) [m]. */
  readonly beforeMergeM: number;
  /** Converging sine lane (k,b,0): half a sine period over this x extent [m]. */
  readonly convergingM: number;
  /** Merge (acceleration) lane (b,c,1), closed by the obstacle at its end [m]. */
  readonly mergeM: number;
  /** Main road after the merge zone (c,d,0); vehicles keep driving past its end (§1.5) [m]. */
  readonly afterMergeM: number;
}

/** The reference's segment lengths [m]; docs/spec/horm.md §1.1. */
export const REFERENCE_ROAD_LENGTHS: MergeRoadLengths = Object.freeze({
  beforeMergeM: 220,
  convergingM: 100,
  mergeM: 100,
  afterMergeM: 100,
});
/** Segment lengths [m]: before the merge, converging, merge, after (docs/spec/horm.md §1.1). */
export const SEGMENT_LENGTHS_M = Object.freeze([220, 100, 100, 100] as const);
/** x where the merge zone starts (node b) on the reference road [m]; docs/spec/horm.md §1.1. */
export const MERGE_START_X_M = 320;
/** x where the merge lane ends (node c, obstacle) on the reference road [m]; docs/spec/horm.md §1.1. */
export const MERGE_END_X_M = 420;
/** Lateral position of the ramp centre line [m] (6.5 + 4); docs/spec/horm.md §1.2. */
export const RAMP_Y_M = 10.5;
/** Sine lane amplitude A [m]; docs/spec/horm.md §1.3. */
export const SINE_AMPLITUDE_M = 3.25;
/**
 * Lateral position of the merge lane (b,c,1) [m]: the sine lane ends at 7.25 + 3.25·sin(π + π/2) =
 * 4 for every converging length, since ω·L = π (docs/spec/horm.md §1.3).
 */
export const MERGE_LANE_Y_M = 4;

/** A static box obstacle (docs/spec/horm.md §1.6). */
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

/** Dense lane ids of the merge road (graph iteration order, docs/spec/horm.md §1.5). */
export const LANE = Object.freeze({ ab0: 0, bc0: 1, bc1: 2, cd0: 3, jk0: 4, kb0: 5 } as const);

/** The built merge road: network, obstacle and the stations the reward and supervisor use. */
export interface MergeRoad {
  readonly network: RoadNetwork;
  readonly obstacle: Obstacle;
  /** Segment lengths the road was built from [m]. */
  readonly lengths: MergeRoadLengths;
  /** x of node b, where the sine lane joins the merge lane (before + converging) [m]. */
  readonly mergeStartXM: number;
  /** x of node c, the merge lane's end and the obstacle's centre (before + converging + merge) [m]. */
  readonly mergeEndXM: number;
}

/** A segment length the geometry cannot use, with the field it came from. */
export interface RoadLengthIssue {
  readonly field: keyof MergeRoadLengths;
  readonly message: string;
}

/**
 * Segment lengths the geometry of docs/spec/horm.md §1 cannot be built from: a zero or negative length
 * gives a lane without direction (straight lanes) or an infinite pulsation ω = π / L (sine lane).
 */
export function roadLengthIssues(lengths: MergeRoadLengths): RoadLengthIssue[] {
  const issues: RoadLengthIssue[] = [];
  for (const field of Object.keys(REFERENCE_ROAD_LENGTHS) as (keyof MergeRoadLengths)[]) {
    const value = lengths[field];
    if (!(Number.isFinite(value) && value > 0)) {
      issues.push({ field, message: `expected a finite length > 0 m, received ${String(value)}` });
    }
  }
  return issues;
}

/**
 * Builds the road of docs/spec/horm.md §1.2 in the reference's insertion order, for the segment
 * lengths `lengths` (default: the reference's). Throws naming the field of an unusable length.
 */
export function buildMergeRoad(lengths: MergeRoadLengths = REFERENCE_ROAD_LENGTHS): MergeRoad {
  const issues = roadLengthIssues(lengths);
  if (issues.length > 0) {
    throw new Error(`buildMergeRoad: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }
  const { beforeMergeM: before, convergingM: converging, mergeM: merge, afterMergeM: after } = lengths;
  const xb = before + converging; // 320 on the reference road
  const xc = xb + merge; // 420
  const xd = xc + after; // 520
  const addr = (from: string, to: string, index: number) => ({ from, to, index });
  const lanes: Lane[] = [
    new StraightLane(addr('a', 'b', 0), 0, 0, xb, 0, false),
    new StraightLane(addr('b', 'c', 0), xb, 0, xc, 0, false),
    new StraightLane(addr('c', 'd', 0), xc, 0, xd, 0, false),
    new StraightLane(addr('j', 'k', 0), 0, RAMP_Y_M, before, RAMP_Y_M, true),
    // Base line 3.25 m above the ramp, half a period over the converging length (§1.3).
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
    new StraightLane(addr('b', 'c', 1), xb, MERGE_LANE_Y_M, xc, MERGE_LANE_Y_M, true),
  ];
  const network = new RoadNetwork(lanes);
  for (const [name, id] of Object.entries(LANE)) {
    if (network.label(id) !== name) {
      throw new Error(`buildMergeRoad: lane id ${id} expected ${name}, found ${network.label(id)}`);
    }
  }
  return {
    network,
    obstacle: { x: xc, y: MERGE_LANE_Y_M, heading: 0, lengthM: 2, widthM: 2 },
    lengths: { beforeMergeM: before, convergingM: converging, mergeM: merge, afterMergeM: after },
    mergeStartXM: xb,
    mergeEndXM: xc,
  };
}
