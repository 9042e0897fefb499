/**
 * Main-thread cost of the player, measured in the page with performance.now() and published on
 * `window.steerProbe` for the end-to-end test and `npm run bench:app` (src/main/web/benchApp.ts):
 * the work of each rendered frame (advance, matrices, draw calls issued) and the time from picking
 * a replay to the end of its first rendered frame.
 */

/** Frames kept [count]: a minute at 60 Hz. */
const FRAME_CAPACITY = 4096;

/** One replay opening: what was picked and how long until its first frame was drawn. */
export interface OpenTiming {
  readonly path: string;
  /** Pick (change/select event) → first frame rendered [ms]. */
  readonly ms: number;
  /** Pick → the file's bytes in the window (host round trip or File.arrayBuffer) [ms]. */
  readonly fetchMs: number;
  /** Bytes → replay opened (index, first chunk decoded) and scene and panels set up [ms]. */
  readonly decodeMs: number;
  /** The first frame's draw [ms]. */
  readonly renderMs: number;
}

/** The numbers a benchmark reads. */
export class FrameProbe {
  /** Main-thread work per rendered frame [ms], a ring of the last FRAME_CAPACITY. */
  readonly frameMs = new Float64Array(FRAME_CAPACITY);
  /** Frames rendered since the page loaded (or `reset`). */
  framesRendered = 0;
  /** Every replay opened, in order. */
  readonly opens: OpenTiming[] = [];

  /** Records one frame's work (allocation-free). */
  recordFrame(ms: number): void {
    this.frameMs[this.framesRendered % FRAME_CAPACITY] = ms;
    this.framesRendered++;
  }

  /** The last `count` frame times, oldest first (at most what the ring holds). */
  lastFrames(count = FRAME_CAPACITY): number[] {
    const n = Math.min(count, this.framesRendered, FRAME_CAPACITY);
    const out: number[] = [];
    for (let k = this.framesRendered - n; k < this.framesRendered; k++)
      out.push(this.frameMs[k % FRAME_CAPACITY]!);
    return out;
  }

  /** Forgets the frames (not the openings). */
  reset(): void {
    this.framesRendered = 0;
  }
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
