/**
 * Lane geometry (docs/spec/horm.md §1.2–§1.4): straight lanes and the sine converging lane, with the
 * predicates the reference uses (on-lane, reachable, after-end, L1 distance). All functions take
 * scalar coordinates and allocate nothing.
 */

/** Lane width [m]; docs/spec/horm.md §1.2. */
export const LANE_WIDTH_M = 4;
/**
 * Body length of every vehicle [m] (docs/spec/horm.md §2.1), which the lane predicates assume too
 * (§1.4). Defined here, in the lowest layer that needs it; vehicles and scenarios import it.
 */
export const VEHICLE_LENGTH_M = 5;

/** Graph address of a lane: road from node `from` to node `to`, lane `index` (docs/spec/horm.md §1.5). */
export interface LaneIndex {
  readonly from: string;
  readonly to: string;
  readonly index: number;
}

/** One lane: local coordinates (s along, r lateral) and heading as functions of position. */
export interface Lane {
  readonly address: LaneIndex;
  /** Length along the lane [m]. */
  readonly lengthM: number;
  /** Width [m]. */
  readonly widthM: number;
  /** A forbidden lane can never be the target of a lane change (docs/spec/horm.md §1.2). */
  readonly forbidden: boolean;
  /** Longitudinal coordinate of world point (x, y) [m]. */
  s(x: number, y: number): number;
  /** Lateral coordinate of world point (x, y) [m] (vertical offset for the sine lane, §1.3). */
  r(x: number, y: number): number;
  /** Heading of the lane at longitudinal coordinate s [rad]. */
  headingAt(s: number): number;
  /** World x of the lane point (s, r) [m]. */
  pointX(s: number, r: number): number;
  /** World y of the lane point (s, r) [m]. */
  pointY(s: number, r: number): number;
}

/** A straight lane from (x0, y0) to (x1, y1); docs/spec/horm.md §1.4. */
export class StraightLane implements Lane {
  readonly lengthM: number;
  readonly widthM = LANE_WIDTH_M;
  private readonly dirX: number;
  private readonly dirY: number;
  private readonly heading: number;

  /** Start and end of the centre line [m]. */
  constructor(
    readonly address: LaneIndex,
    readonly x0: number,
    readonly y0: number,
    x1: number,
    y1: number,
    readonly forbidden: boolean,
  ) {
    this.lengthM = Math.hypot(x1 - x0, y1 - y0);
    this.dirX = (x1 - x0) / this.lengthM;
    this.dirY = (y1 - y0) / this.lengthM;
    this.heading = Math.atan2(this.dirY, this.dirX);
  }

  s(x: number, y: number): number {
    return (x - this.x0) * this.dirX + (y - this.y0) * this.dirY;
  }

  r(x: number, y: number): number {
    return -(x - this.x0) * this.dirY + (y - this.y0) * this.dirX;
  }

  headingAt(_s: number): number {
    return this.heading;
  }

  pointX(s: number, r: number): number {
    return this.x0 + s * this.dirX - r * this.dirY;
  }

  pointY(s: number, r: number): number {
    return this.y0 + s * this.dirY + r * this.dirX;
  }
}

/**
 * The converging lane: a straight base line along +x from (x0, y0) plus A·sin(ω s + φ) in +y
 * (docs/spec/horm.md §1.3). The base line must point along +x, as in the merge scenario.
 */
export class SineLane implements Lane {
  readonly widthM = LANE_WIDTH_M;

  /**
   * @param amplitudeM A [m]; @param pulsation ω [rad/m]; @param phase φ [rad].
   */
  constructor(
    readonly address: LaneIndex,
    readonly x0: number,
    readonly y0: number,
    readonly lengthM: number,
    readonly amplitudeM: number,
    readonly pulsation: number,
    readonly phase: number,
    readonly forbidden: boolean,
  ) {}

  s(x: number, _y: number): number {
    return x - this.x0;
  }

  r(x: number, y: number): number {
    const s = x - this.x0;
    return y - this.y0 - this.amplitudeM * Math.sin(this.pulsation * s + this.phase);
  }

  headingAt(s: number): number {
    return Math.atan(this.amplitudeM * this.pulsation * Math.cos(this.pulsation * s + this.phase));
  }

  pointX(s: number, _r: number): number {
    return this.x0 + s;
  }

  pointY(s: number, r: number): number {
    return this.y0 + r + this.amplitudeM * Math.sin(this.pulsation * s + this.phase);
  }
}

/** wrap(x) = ((x + π) mod 2π) − π with a floor-mod, result in [−π, π); docs/spec/horm.md §3.3. */
export function wrapToPi(angle: number): number {
  const t = angle + Math.PI;
  const m = t - 2 * Math.PI * Math.floor(t / (2 * Math.PI));
  return m - Math.PI;
}

/** |r| ≤ w/2 + margin and −5 ≤ s < L + 5 (docs/spec/horm.md §1.4); `openEnd` drops the s < L + 5 bound. */
export function isOnLane(lane: Lane, x: number, y: number, marginM: number, openEnd = false): boolean {
  const s = lane.s(x, y);
  const r = lane.r(x, y);
  return (
    Math.abs(r) <= lane.widthM / 2 + marginM &&
    -VEHICLE_LENGTH_M <= s &&
    (openEnd || s < lane.lengthM + VEHICLE_LENGTH_M)
  );
}

/** Lane-change target test: not forbidden, |r| ≤ 2w, 0 ≤ s < L + 5 (docs/spec/horm.md §1.4). */
export function isReachableFrom(lane: Lane, x: number, y: number): boolean {
  if (lane.forbidden) return false;
  const s = lane.s(x, y);
  const r = lane.r(x, y);
  return Math.abs(r) <= 2 * lane.widthM && s >= 0 && s < lane.lengthM + VEHICLE_LENGTH_M;
}

/** s > L − 2.5 m (docs/spec/horm.md §1.4). */
export function isAfterEnd(lane: Lane, x: number, y: number): boolean {
  return lane.s(x, y) > lane.lengthM - VEHICLE_LENGTH_M / 2;
}

/** L1 distance |r| + max(s − L, 0) + max(−s, 0) [m] (docs/spec/horm.md §1.4). */
export function laneDistance(lane: Lane, x: number, y: number): number {
  const s = lane.s(x, y);
  const r = lane.r(x, y);
  return Math.abs(r) + Math.max(s - lane.lengthM, 0) + Math.max(-s, 0);
}

/** distance + |wrap(h − heading_at(s))| (heading weight 1; docs/spec/horm.md §1.4). */
export function laneDistanceWithHeading(lane: Lane, x: number, y: number, headingRad: number): number {
  const s = lane.s(x, y);
  const r = lane.r(x, y);
  const angle = Math.abs(wrapToPi(headingRad - lane.headingAt(s)));
  return Math.abs(r) + Math.max(s - lane.lengthM, 0) + Math.max(-s, 0) + angle;
}
