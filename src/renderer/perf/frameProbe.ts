/**
 * Main-thread cost of the player, measured in the page with performance.now() and published on
 * `window.steerProbe` for the end-to-end test and `npm run bench:app` (src/main/web/benchApp.ts):
 * the work of each rendered frame (advance, panels; with the scene on the main thread also
 * matrices and draw calls issued), the time from picking a replay to the end of its first drawn
 * frame, and, when the scene draws in the renderer worker, the frames it drew and its time per
 * draw (reported by the worker every half second).
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
  /** Where the scene draws: 'worker' or 'main-thread' (set by the player). */
  renderPath = '';
  /** Frames the renderer worker drew since the page loaded (or `reset`); 0 on the main-thread path. */
  workerFramesDrawn = 0;
  /** The worker's time per draw [ms], a ring of the last FRAME_CAPACITY it reported. */
  readonly workerDrawMs = new Float64Array(FRAME_CAPACITY);
  private workerSamples = 0;

  /** Records one frame's work (allocation-free). */
  recordFrame(ms: number): void {
    this.frameMs[this.framesRendered % FRAME_CAPACITY] = ms;
    this.framesRendered++;
  }

  /** Records what the renderer worker reported: `frames` drawn, and some of their draw times [ms]. */
  recordWorkerFrames(frames: number, drawMs: readonly number[]): void {
    this.workerFramesDrawn += frames;
    for (const ms of drawMs) {
      this.workerDrawMs[this.workerSamples % FRAME_CAPACITY] = ms;
      this.workerSamples++;
    }
  }

  /** The last `count` frame times, oldest first (at most what the ring holds). */
  lastFrames(count = FRAME_CAPACITY): number[] {
    return lastOfRing(this.frameMs, this.framesRendered, count);
  }

  /** The worker's last `count` draw times [ms], oldest first. */
  lastWorkerDraws(count = FRAME_CAPACITY): number[] {
    return lastOfRing(this.workerDrawMs, this.workerSamples, count);
  }

  /** Forgets the frames, the worker's included (not the openings). */
  reset(): void {
    this.framesRendered = 0;
    this.workerFramesDrawn = 0;
    this.workerSamples = 0;
  }
}

/** The last `count` of the `written` values of ring `ring`, oldest first. */
function lastOfRing(ring: Float64Array, written: number, count: number): number[] {
  const n = Math.min(count, written, ring.length);
  const out: number[] = [];
  for (let k = written - n; k < written; k++) out.push(ring[k % ring.length]!);
  return out;
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
