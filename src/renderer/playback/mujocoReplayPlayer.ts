/**
 * Playback of one MuJoCo replay (format version 2, src/core/replay): the shared clock
 * (playbackClock.ts) and each body's pose at the player's time, interpolated between the recorded
 * frames around it (positions linearly, orientations by normalised linear interpolation along the
 * shorter arc), so motion is smooth at any speed. No DOM and no three.js: the scene reads `poses`,
 * the panels the current frame.
 *
 * Per animation frame nothing is allocated: poses go into preallocated arrays and frames come from
 * a cache filled once per frame index (`warm` fills it ahead).
 */
import {
  actionOffsets,
  type MujocoReplayFooter,
  type MujocoReplayFrame,
  type MujocoReplayHeader,
  MujocoReplayReader,
} from '../../core/replay/index.js';
import { PlaybackClock } from './playbackClock.js';

/** Interpolated body poses at the player's time. */
export interface BodyPoseBuffer {
  /** Body origins [m], world frame (MuJoCo's: z up), x, y, z per body. */
  readonly position: Float32Array;
  /** Body orientations, w, x, y, z per body (unit length). */
  readonly quaternion: Float32Array;
}

/** One MuJoCo replay being played. */
export class MujocoReplayPlayer extends PlaybackClock {
  /** Which kind of replay it plays (ReplayPlayer: 'horm'). */
  readonly kind = 'mujoco';
  readonly header: MujocoReplayHeader;
  readonly footer: MujocoReplayFooter;
  /** Interpolated poses at `time`. */
  readonly poses: BodyPoseBuffer;
  /** The replay file's bytes, as given (the renderer worker opens its own player on a copy). */
  readonly bytes: Uint8Array;
  /** First action value of each agent in a frame's actions. */
  readonly actionOffsets: readonly number[];
  /** Sum of the shared reward over the steps before frame i (after `warm`). */
  private returnsBefore: Float64Array | null = null;
  private readonly reader: MujocoReplayReader;
  private readonly frames: (MujocoReplayFrame | undefined)[];

  /** Opens replay bytes (throws ReplayError); decodes only the chunk holding frame 0. */
  constructor(bytes: Uint8Array) {
    const reader = MujocoReplayReader.open(bytes);
    super(reader.frameCount, reader.header.dtS);
    this.reader = reader;
    this.bytes = bytes;
    this.header = reader.header;
    this.footer = reader.footer;
    this.actionOffsets = actionOffsets(reader.header);
    this.frames = new Array(this.frameCount);
    const bodies = this.header.bodies.length;
    this.poses = { position: new Float32Array(3 * bodies), quaternion: new Float32Array(4 * bodies) };
    this.interpolate();
  }

  /** Vehicles this replay draws: none (the scene and the panels size vehicle slots by it). */
  get capacity(): number {
    return 0;
  }

  /** Recorded frame `index` (cached: the reader builds a new view object on every call). */
  frame(index: number): MujocoReplayFrame {
    let f = this.frames[index];
    if (f === undefined) {
      f = this.reader.frame(index);
      this.frames[index] = f;
    }
    return f;
  }

  /** The frame at `frameIndex`. */
  get current(): MujocoReplayFrame {
    return this.frame(this.frameIndex);
  }

  /** Sum of the shared reward over the steps before frame `index` (NaN before `warm`). */
  returnBefore(index: number): number {
    return this.returnsBefore === null ? Number.NaN : this.returnsBefore[index]!;
  }

  /** Decodes and caches every frame and the running return, in slices yielding to `yieldTo`. */
  async warm(yieldTo: () => Promise<void> = async () => {}, framesPerSlice = 256): Promise<void> {
    for (let i = 0; i < this.frameCount; i++) {
      this.frame(i);
      if ((i + 1) % framesPerSlice === 0) await yieldTo();
    }
    const table = new Float64Array(this.frameCount);
    for (let i = 1; i < this.frameCount; i++) {
      const previous = this.frame(i - 1);
      table[i] = table[i - 1]! + (previous.decision ? previous.reward : 0);
    }
    this.returnsBefore = table;
  }

  /** Fills `poses` for the current time: frame i blended toward frame i + 1 by the fraction. */
  protected interpolate(): void {
    const i = this.frameIndex;
    const a = this.frame(i);
    const alpha = this.time - i;
    const { position, quaternion } = this.poses;
    if (alpha === 0 || i >= this.lastFrame) {
      position.set(a.position);
      quaternion.set(a.quaternion);
      return;
    }
    const b = this.frame(i + 1);
    for (let k = 0; k < position.length; k++) {
      position[k] = a.position[k]! + (b.position[k]! - a.position[k]!) * alpha;
    }
    for (let at = 0; at < quaternion.length; at += 4)
      nlerp(a.quaternion, b.quaternion, at, alpha, quaternion);
  }
}

/** Normalised linear interpolation of the quaternions at `at` of `a` and `b` into `out`, the short way. */
function nlerp(a: Float32Array, b: Float32Array, at: number, alpha: number, out: Float32Array): void {
  const dot = a[at]! * b[at]! + a[at + 1]! * b[at + 1]! + a[at + 2]! * b[at + 2]! + a[at + 3]! * b[at + 3]!;
  const sign = dot < 0 ? -1 : 1; // q and −q are the same rotation: blend toward the nearer one
  let norm = 0;
  for (let k = 0; k < 4; k++) {
    const value = a[at + k]! + (sign * b[at + k]! - a[at + k]!) * alpha;
    out[at + k] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let k = 0; k < 4; k++) out[at + k] = out[at + k]! * scale;
}
