/**
 * A decoded chunk (chunkCodec.ts decodeChunk): its frames as views into its columns, so reading a
 * frame copies nothing.
 */
import type { ChunkColumns } from './columns.js';
import type { ReplayFrame } from './frame.js';
import { FRAME_DECISION } from './layout.js';

/** One decoded chunk: its frames as views into its columns. */
export class ReplayChunk {
  constructor(
    /** Frame number of the chunk's first frame. */
    readonly firstFrame: number,
    readonly frameCount: number,
    readonly vehicleCount: number,
    readonly agents: number,
    readonly columns: ChunkColumns,
  ) {}

  /** Frame `firstFrame + k`. */
  frame(k: number): ReplayFrame {
    if (!Number.isInteger(k) || k < 0 || k >= this.frameCount) {
      throw new RangeError(`ReplayChunk.frame: expected 0..${this.frameCount - 1}, received ${k}`);
    }
    const c = this.columns;
    const v0 = k * this.vehicleCount;
    const v1 = v0 + this.vehicleCount;
    const a0 = k * this.agents;
    const a1 = a0 + this.agents;
    return {
      index: this.firstFrame + k,
      decision: (c.flags[k]! & FRAME_DECISION) !== 0,
      vehicleCount: this.vehicleCount,
      x: c.x.subarray(v0, v1),
      y: c.y.subarray(v0, v1),
      heading: c.heading.subarray(v0, v1),
      speed: c.speed.subarray(v0, v1),
      kind: c.kind.subarray(v0, v1),
      lane: c.lane.subarray(v0, v1),
      crashed: c.crashed.subarray(v0, v1),
      proposed: c.proposed.subarray(a0, a1),
      executed: c.executed.subarray(a0, a1),
      rank: c.rank.subarray(a0, a1),
      reward: c.reward.subarray(a0, a1),
      value: c.value.subarray(a0, a1),
    };
  }

  /** Every frame of the chunk, in order. */
  frames(): ReplayFrame[] {
    return Array.from({ length: this.frameCount }, (_, k) => this.frame(k));
  }
}
