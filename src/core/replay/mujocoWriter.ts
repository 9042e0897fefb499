/**
 * Encodes a MuJoCo episode into a format version 2 replay (mujocoColumns.ts) frame by frame, in the
 * same container as HORM replays (containerWriter.ts): frames are copied into preallocated columns,
 * every `framesPerChunk` frames the chunk is packed and compressed; `finish()` adds the footer with
 * the chunk index and the episode summary.
 */
import { ContainerWriter } from './containerWriter.js';
import { encodeHeader } from './header.js';
import { FRAME_DECISION, MAX_CHUNK_FRAMES, MUJOCO_REPLAY_VERSION } from './layout.js';
import { allocateMujocoColumns, type MujocoChunkColumns, packMujocoColumns } from './mujocoColumns.js';
import type { MujocoReplayFrameInput } from './mujocoFrame.js';
import {
  type MujocoReplayFooter,
  type MujocoReplayHeader,
  MujocoReplayHeaderSchema,
  type MujocoReplaySummary,
  totalActionDim,
} from './mujocoSchemas.js';

/**
 * Default frames per chunk of a MuJoCo replay: 128 frames (6.4 s of HalfCheetah at 20 Hz, 33 KB
 * inflated) make each body coordinate's time series long enough to compress well (a smooth gait's
 * 1000-step episode about a fifth smaller than at 64), and a player still decodes one chunk to show
 * a frame.
 */
export const DEFAULT_MUJOCO_FRAMES_PER_CHUNK = 128;

/** Summary of the frames written so far (the reader rebuilds it the same way). */
export class MujocoSummaryBuilder {
  private steps = 0;
  private total = 0;
  private startX = Number.NaN;
  private lastX = Number.NaN;

  add(frame: MujocoReplayFrameInput, bodies: number): void {
    if (frame.decision) {
      this.steps++;
      this.total += frame.reward;
    }
    if (bodies < 2) return;
    const x = frame.position[3]!; // body 1's x
    if (Number.isNaN(this.startX)) this.startX = x;
    this.lastX = x;
  }

  summary(): MujocoReplaySummary {
    const distance = this.lastX - this.startX;
    return {
      steps: this.steps,
      return: Number.isFinite(this.total) ? this.total : null,
      distanceM: Number.isFinite(distance) ? distance : null,
    };
  }
}

/** Writes one MuJoCo replay: header at construction, then frames, then `finish()`. */
export class MujocoReplayWriter {
  readonly header: MujocoReplayHeader;
  readonly framesPerChunk: number;
  private readonly bodies: number;
  private readonly actionValues: number;
  private readonly container: ContainerWriter;
  private readonly columns: MujocoChunkColumns;
  private readonly summaryBuilder = new MujocoSummaryBuilder();
  private frames = 0;
  private chunkFrames = 0;
  private finished = false;

  /** @param header validated here (throws a ReplayError 'invalid' naming the field). */
  constructor(header: MujocoReplayHeader, options: { readonly framesPerChunk?: number } = {}) {
    const encoded = encodeHeader(header, MujocoReplayHeaderSchema);
    this.header = header;
    const k = options.framesPerChunk ?? DEFAULT_MUJOCO_FRAMES_PER_CHUNK;
    if (!Number.isInteger(k) || k < 1 || k > MAX_CHUNK_FRAMES) {
      throw new RangeError(
        `MujocoReplayWriter: framesPerChunk expected an integer in [1, ${MAX_CHUNK_FRAMES}], received ${k}`,
      );
    }
    this.framesPerChunk = k;
    this.bodies = header.bodies.length;
    this.actionValues = totalActionDim(header);
    this.columns = allocateMujocoColumns(k, this.bodies, this.actionValues);
    this.container = new ContainerWriter(encoded, MUJOCO_REPLAY_VERSION);
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  /**
   * Appends one frame (copied). Throws on what the format cannot hold: arrays of the wrong length,
   * a pose or (with a decision) an action or reward that is not a finite number.
   */
  writeFrame(frame: MujocoReplayFrameInput): void {
    if (this.finished) throw new Error('MujocoReplayWriter.writeFrame: the replay is finished');
    this.check(frame);
    const { columns: c, bodies: b, actionValues: d } = this;
    const k = this.chunkFrames;
    c.flags[k] = frame.decision ? FRAME_DECISION : 0;
    c.reward[k] = frame.decision ? frame.reward : 0;
    for (let i = 0; i < 3 * b; i++) c.position[k * 3 * b + i] = frame.position[i]!;
    for (let i = 0; i < 4 * b; i++) c.quaternion[k * 4 * b + i] = frame.quaternion[i]!;
    for (let i = 0; i < d; i++) c.actions[k * d + i] = frame.decision ? frame.actions[i]! : Number.NaN;
    this.summaryBuilder.add(frame, b);
    this.frames++;
    this.chunkFrames++;
    if (this.chunkFrames === this.framesPerChunk) this.flushChunk();
  }

  /** The bytes finished since the last drain (preamble and header first, then whole chunks). */
  drain(): Uint8Array {
    return this.container.drain();
  }

  /** Ends the replay: last chunk, end block (index + summary), trailer. Returns the undrained bytes. */
  finish(): Uint8Array {
    if (this.finished) throw new Error('MujocoReplayWriter.finish: already finished');
    this.flushChunk();
    this.finished = true;
    const footer: MujocoReplayFooter = {
      frames: this.frames,
      chunks: this.container.chunkIndex,
      summary: this.summaryBuilder.summary(),
    };
    return this.container.finish(footer);
  }

  private check(frame: MujocoReplayFrameInput): void {
    const { bodies: b, actionValues: d } = this;
    const expect = (name: string, values: ArrayLike<number>, n: number) => {
      if (values.length !== n) this.fail(`${name} expected ${n} values, received ${values.length}`);
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(values[i]!))
          this.fail(`${name}[${i}] expected a finite number, received ${values[i]}`);
      }
    };
    expect('position', frame.position, 3 * b);
    expect('quaternion', frame.quaternion, 4 * b);
    if (!frame.decision) return;
    expect('actions', frame.actions, d);
    if (!Number.isFinite(frame.reward))
      this.fail(`reward expected a finite number, received ${frame.reward}`);
  }

  private fail(detail: string): never {
    throw new RangeError(`MujocoReplayWriter.writeFrame: frame ${this.frames}: ${detail}`);
  }

  private flushChunk(): void {
    const k = this.chunkFrames;
    if (k === 0) return;
    this.container.addChunk(
      packMujocoColumns(this.columns, k, this.bodies, this.actionValues),
      k,
      this.bodies,
    );
    this.chunkFrames = 0;
  }
}
