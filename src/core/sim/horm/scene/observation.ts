/**
 * Kinematics observation per agent plus the agent-id one-hot (docs/spec/horm.md §6.1–§6.2): 5 rows of
 * [presence, x, y, vx, vy] (ego absolute, others relative, sorted by longitudinal distance in the
 * ego's lane, within 180 m), normalised by [150, 12, 45, 45], unclipped, then one-hot(agent).
 */

import type { RoadNetwork } from '../road/index.js';
import type { VehicleTable } from '../vehicle/index.js';

/** Rows of the neighbour table (ego + 4); docs/spec/horm.md §6.1. */
export const OBS_ROWS = 5;
/** Features per row; docs/spec/horm.md §6.1. */
export const OBS_FEATURES = 5;
/** Perception distance 6·30 m; docs/spec/horm.md §6.1. */
export const PERCEPTION_DISTANCE_M = 180;
/** Normalisation ranges for x, y [m] and vx, vy [m/s]; docs/spec/horm.md §6.1. */
export const OBS_RANGE = Object.freeze({ x: 150, y: 12, vx: 45, vy: 45 });

/** Observation length per agent: 25 + numAgents (docs/spec/horm.md §6.2). */
export function observationDim(numAgents: number): number {
  return OBS_ROWS * OBS_FEATURES + numAgents;
}

/** Writes per-agent observations into preallocated buffers, allocation-free. */
export class ObservationBuilder {
  private readonly order: Int32Array;
  private readonly key: Float64Array;

  /** @param capacity maximum vehicles; @param clip clip features to [−1, 1] (off in the reference, §10.12). */
  constructor(
    capacity: number,
    readonly clip = false,
  ) {
    this.order = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
  }

  /** Writes agent `ego`'s observation (agent k = vehicle k) at `out[offset ..]`. */
  write(
    t: VehicleTable,
    network: RoadNetwork,
    ego: number,
    numAgents: number,
    out: Float32Array,
    offset: number,
  ): void {
    const dim = observationDim(numAgents);
    out.fill(0, offset, offset + dim);
    const x0 = t.x[ego]!;
    const y0 = t.y[ego]!;
    const vx0 = t.speed[ego]! * Math.cos(t.heading[ego]!);
    const vy0 = t.speed[ego]! * Math.sin(t.heading[ego]!);
    this.row(out, offset, x0, y0, vx0, vy0);
    const lane = network.lanes[t.lane[ego]!]!;
    const s0 = lane.s(x0, y0);
    // Stable insertion sort by |Δs| (ties keep road.vehicles order).
    let n = 0;
    for (let k = 0; k < t.count; k++) {
      if (k === ego) continue;
      if (Math.hypot(t.x[k]! - x0, t.y[k]! - y0) >= PERCEPTION_DISTANCE_M) continue;
      const key = Math.abs(lane.s(t.x[k]!, t.y[k]!) - s0);
      let j = n++;
      while (j > 0 && this.key[j - 1]! > key) {
        this.key[j] = this.key[j - 1]!;
        this.order[j] = this.order[j - 1]!;
        j--;
      }
      this.key[j] = key;
      this.order[j] = k;
    }
    const rows = Math.min(n, OBS_ROWS - 1);
    for (let r = 0; r < rows; r++) {
      const k = this.order[r]!;
      const v = t.speed[k]!;
      this.row(
        out,
        offset + (r + 1) * OBS_FEATURES,
        t.x[k]! - x0,
        t.y[k]! - y0,
        v * Math.cos(t.heading[k]!) - vx0,
        v * Math.sin(t.heading[k]!) - vy0,
      );
    }
    out[offset + OBS_ROWS * OBS_FEATURES + ego] = 1;
  }

  private row(out: Float32Array, at: number, x: number, y: number, vx: number, vy: number): void {
    out[at] = 1;
    out[at + 1] = this.norm(x / OBS_RANGE.x);
    out[at + 2] = this.norm(y / OBS_RANGE.y);
    out[at + 3] = this.norm(vx / OBS_RANGE.vx);
    out[at + 4] = this.norm(vy / OBS_RANGE.vy);
  }

  private norm(v: number): number {
    return this.clip ? Math.min(1, Math.max(-1, v)) : v;
  }
}
