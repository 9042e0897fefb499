/**
 * Playback of one replay (src/core/replay): a time position in frames, play/pause, speed and
 * scrubbing, and the vehicle poses at that time, interpolated between the two recorded frames
 * around it so motion is smooth at any display rate. No DOM and no three.js: the scene and the
 * panels read `poses` and the current frame.
 *
 * Per animation frame (`advance`) nothing is allocated: poses go into preallocated arrays and
 * frames come from a cache filled once per frame index (`warm` fills it ahead, off the hot path).
 */
import {
  NO_RANK,
  type ReplayFooter,
  type ReplayFrame,
  type ReplayHeader,
  ReplayReader,
} from '../../core/replay/index.js';
import { PlaybackClock } from './playbackClock.js';

export { MAX_SPEED, MIN_SPEED, PLAYBACK_SPEEDS } from './playbackClock.js';

/** Interpolated vehicle poses at the player's time (arrays sized for the largest frame). */
export interface PoseBuffer {
  /** Vehicles present now. */
  count: number;
  /** Centre [m], world frame of docs/spec/horm.md §0. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Heading [rad]. */
  readonly heading: Float32Array;
  /** Speed [m/s]. */
  readonly speed: Float32Array;
}

/** Shortest signed angle from a to b [rad], in (−π, π]. */
export function angleDelta(a: number, b: number): number {
  let d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  else if (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/** One HORM replay being played (the clock: playbackClock.ts). */
export class ReplayPlayer extends PlaybackClock {
  /** Which kind of replay it plays (MujocoReplayPlayer: 'mujoco'). */
  readonly kind = 'horm';
  readonly header: ReplayHeader;
  readonly footer: ReplayFooter;
  /** Interpolated poses at `time`. */
  readonly poses: PoseBuffer;
  /** The replay file's bytes, as given (the renderer worker opens its own player on a copy). */
  readonly bytes: Uint8Array;
  /** Per agent: sum of rewards of decisions before frame i, at i·agents + j (after `warm`). */
  private returnsBefore: Float64Array | null = null;
  private readonly reader: ReplayReader;
  private readonly frames: (ReplayFrame | undefined)[];

  /**
   * Opens replay bytes (throws ReplayError); decodes only the chunk holding frame 0. `previous`: a
   * player on an earlier state of the same replay (a live run's snapshot before this one): the
   * frames these bytes hold exactly as its bytes do come from its cache, decoded no second time.
   */
  constructor(bytes: Uint8Array, previous: ReplayPlayer | null = null) {
    const reader = ReplayReader.open(bytes);
    super(reader.frameCount, reader.header.stepS);
    this.reader = reader;
    this.bytes = bytes;
    this.header = reader.header;
    this.footer = reader.footer;
    this.frames = new Array(this.frameCount);
    if (previous !== null && this.continues(previous)) {
      for (let i = 0; i < previous.frameCount; i++) this.frames[i] = previous.frames[i];
    }
    const capacity = Math.max(this.footer.summary.maxVehicles, this.frame(0).vehicleCount);
    this.poses = {
      count: 0,
      x: new Float32Array(capacity),
      y: new Float32Array(capacity),
      heading: new Float32Array(capacity),
      speed: new Float32Array(capacity),
    };
    this.interpolate();
  }

  /** Largest vehicle count of any frame (size of the pose arrays). */
  get capacity(): number {
    return this.poses.x.length;
  }

  /** Recorded frame `index` (cached: the reader builds a new view object on every call). */
  frame(index: number): ReplayFrame {
    let f = this.frames[index];
    if (f === undefined) {
      f = this.reader.frame(index);
      this.frames[index] = f;
    }
    return f;
  }

  /** The frame at `frameIndex`. */
  get current(): ReplayFrame {
    return this.frame(this.frameIndex);
  }

  /**
   * Priority rank of agent `j` at frame `index`: the terminal frame records none (NO_RANK), so it
   * shows the ranks of the decision before it.
   */
  rankAt(index: number, agent: number): number {
    const rank = this.frame(index).rank[agent]!;
    return rank === NO_RANK && index > 0 ? this.frame(index - 1).rank[agent]! : rank;
  }

  /** Sum of agent j's rewards over the decisions before frame `index` (NaN before `warm`). */
  returnBefore(index: number, agent: number): number {
    const table = this.returnsBefore;
    return table === null ? Number.NaN : table[index * this.header.agents + agent]!;
  }

  /**
   * Decodes and caches every frame and the running returns, so playback never decodes on the hot
   * path. Runs in slices of `framesPerSlice`, yielding to `yieldTo` in between (the window's idle
   * time); resolves when done.
   */
  async warm(yieldTo: () => Promise<void> = async () => {}, framesPerSlice = 256): Promise<void> {
    for (let i = 0; i < this.frameCount; i++) {
      this.frame(i);
      if ((i + 1) % framesPerSlice === 0) await yieldTo();
    }
    const agents = this.header.agents;
    const table = new Float64Array(this.frameCount * agents);
    for (let i = 1; i < this.frameCount; i++) {
      const previous = this.frame(i - 1);
      for (let j = 0; j < agents; j++) {
        const reward = previous.decision ? previous.reward[j]! : 0;
        table[i * agents + j] = table[(i - 1) * agents + j]! + reward;
      }
    }
    this.returnsBefore = table;
  }

  /**
   * Whether these bytes continue `previous`'s: its chunks are this file's first chunks, at the
   * same offsets, and all the bytes before its end block (preamble, header, chunks) are the same,
   * so its frames are these frames.
   */
  private continues(previous: ReplayPlayer): boolean {
    const before = previous.footer.chunks;
    const now = this.footer.chunks;
    if (before.length > now.length) return false;
    for (let i = 0; i < before.length; i++) {
      const [offset, firstFrame, frames] = before[i]!;
      const entry = now[i]!;
      if (entry[0] !== offset || entry[1] !== firstFrame || entry[2] !== frames) return false;
    }
    return sameBytes(previous.bytes, this.bytes, previous.reader.chunksEnd);
  }

  /** Fills `poses` for the current time: frame i blended toward frame i + 1 by the fraction. */
  protected interpolate(): void {
    const i = this.frameIndex;
    const a = this.frame(i);
    const alpha = this.time - i;
    const p = this.poses;
    const n = a.vehicleCount;
    p.count = n;
    if (alpha === 0 || i >= this.lastFrame) {
      for (let k = 0; k < n; k++) {
        p.x[k] = a.x[k]!;
        p.y[k] = a.y[k]!;
        p.heading[k] = a.heading[k]!;
        p.speed[k] = a.speed[k]!;
      }
      return;
    }
    const b = this.frame(i + 1);
    // A vehicle absent from the next frame (a chunk with fewer vehicles) holds its pose.
    const shared = Math.min(n, b.vehicleCount);
    for (let k = 0; k < n; k++) {
      if (k >= shared) {
        p.x[k] = a.x[k]!;
        p.y[k] = a.y[k]!;
        p.heading[k] = a.heading[k]!;
        p.speed[k] = a.speed[k]!;
        continue;
      }
      p.x[k] = a.x[k]! + (b.x[k]! - a.x[k]!) * alpha;
      p.y[k] = a.y[k]! + (b.y[k]! - a.y[k]!) * alpha;
      p.heading[k] = a.heading[k]! + angleDelta(a.heading[k]!, b.heading[k]!) * alpha;
      p.speed[k] = a.speed[k]! + (b.speed[k]! - a.speed[k]!) * alpha;
    }
  }
}

/** Whether `a` and `b` both hold at least `count` bytes and their first `count` are equal. */
function sameBytes(a: Uint8Array, b: Uint8Array, count: number): boolean {
  if (a.length < count || b.length < count) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}
