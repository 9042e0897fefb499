/**
 * Where scenario lanes lie in the world, for the editor's top-down view: the simulator's own lane
 * geometry (src/core/sim/horm/road, built for the draft's segment lengths), so a vehicle is drawn
 * where the simulator will place it, and a world point maps back to the nearest lane and a
 * position along it (click to place, drag to move). Pure; no DOM.
 */
import { type RoadLengths, SCENARIO_LANES, type ScenarioLane } from '../../core/scenario/index.js';
import { buildMergeRoad, type Lane, type MergeRoad } from '../../core/sim/horm/road/index.js';
import { clampToLane } from './scenarioDraft.js';

/** A road built for drawing and picking. */
export interface EditorRoad {
  readonly lengths: RoadLengths;
  readonly road: MergeRoad;
  /** Lane geometry by scenario lane id. */
  readonly lanes: ReadonlyMap<ScenarioLane, Lane>;
  /** x of the road's far end (node d) [m]. */
  readonly endXM: number;
}

/** Builds the road of `lengths` (usable, positive lengths: see usableRoad). */
export function editorRoad(lengths: RoadLengths): EditorRoad {
  const road = buildMergeRoad(lengths);
  const lanes = new Map<ScenarioLane, Lane>();
  for (const lane of road.network.lanes) {
    const { from, to, index } = lane.address;
    const id = `${from}-${to}-${index}` as ScenarioLane;
    if ((SCENARIO_LANES as readonly string[]).includes(id)) lanes.set(id, lane);
  }
  return {
    lengths,
    road,
    lanes,
    endXM: lengths.beforeMergeM + lengths.convergingM + lengths.mergeM + lengths.afterMergeM,
  };
}

/** World point of the centre line of `lane` at `positionM` [m], and its heading [rad]. */
export function lanePoint(
  road: EditorRoad,
  lane: ScenarioLane,
  positionM: number,
): { x: number; y: number; heading: number } {
  const geometry = road.lanes.get(lane)!;
  return {
    x: geometry.pointX(positionM, 0),
    y: geometry.pointY(positionM, 0),
    heading: geometry.headingAt(positionM),
  };
}

/** Half a lane width [m]: how far from a centre line a point still counts as on that lane. */
const PICK_HALF_WIDTH_M = 2;

/**
 * The lane a world point is on, and the position along it clamped onto the lane (what a click
 * places, what a drag moves to). Beyond a lane's ends the point still snaps to the lane whose
 * centre line is nearest. `maxDistanceM` limits how far off any centre line a point may be;
 * null when it is farther.
 */
export function pickLane(
  road: EditorRoad,
  x: number,
  y: number,
  maxDistanceM = PICK_HALF_WIDTH_M * 1.5,
): { lane: ScenarioLane; positionM: number } | null {
  let best: { lane: ScenarioLane; positionM: number; cost: number } | null = null;
  for (const [id, lane] of road.lanes) {
    const s = lane.s(x, y);
    const inside = Math.min(Math.max(s, 0), lane.lengthM);
    // Distance to the lane's centre line segment: lateral offset, plus how far past an end.
    const px = lane.pointX(inside, 0);
    const py = lane.pointY(inside, 0);
    const cost = Math.hypot(x - px, y - py);
    if (best === null || cost < best.cost) best = { lane: id, positionM: s, cost };
  }
  if (best === null || best.cost > maxDistanceM) return null;
  return { lane: best.lane, positionM: clampToLane(road.lengths, best.lane, best.positionM) };
}
