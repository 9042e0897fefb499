/**
 * Encodes an episode into the replay format (layout.ts) frame by frame. Frames are copied into
 * preallocated column buffers; every `framesPerChunk` frames the chunk is packed and compressed.
 * `drain()` hands out the bytes finished so far (to stream them into a file while simulating),
 * `finish()` the rest, ending with the footer: the chunk index and the episode summary.
 */
import { allocateColumns, type ChunkColumns, packColumns } from './columns.js';
import { ContainerWriter } from './containerWriter.js';
import type { ReplayFrameInput } from './frame.js';
import { encodeHeader } from './header.js';
import {
  FRAME_DECISION,
  HORM_REPLAY_VERSION,
  MAX_CHUNK_FRAMES,
  MAX_VEHICLES,
  NO_ACTION,
  NO_LANE,
  NO_RANK,
} from './layout.js';
import type { ReplayFooter, ReplayHeader, ReplaySummary } from './schemas.js';
import { ReplaySummaryBuilder } from './summary.js';

/** Options of ReplayWriter. */
export interface ReplayWriterOptions {
  /**
   * Frames per chunk: the unit of streaming and of random access. 16 frames (3.2 s at 5 Hz) keep a
   * 100-step episode within a few % of the size of one chunk while a player decodes at most 16
   * frames to show any one.
   */
  readonly framesPerChunk?: number;
}

/** Default frames per chunk (see ReplayWriterOptions). */
export const DEFAULT_FRAMES_PER_CHUNK = 16;

/** Writes one replay: header at construction, then frames, then `finish()`. */
export class ReplayWriter {
  readonly header: ReplayHeader;
  readonly framesPerChunk: number;
  private readonly agents: number;
  private readonly container: ContainerWriter;
  private frames = 0;
  private finished = false;
  // --- the chunk being filled ---
  private columns: ChunkColumns;
  private vehicles = -1;
  private chunkFrames = 0;
  private readonly summaryBuilder: ReplaySummaryBuilder;

  /** @param header validated here (throws a ReplayError 'invalid' naming the field). */
  constructor(header: ReplayHeader, options: ReplayWriterOptions = {}) {
    const encoded = encodeHeader(header);
    this.header = header;
    this.agents = header.agents;
    const k = options.framesPerChunk ?? DEFAULT_FRAMES_PER_CHUNK;
    if (!Number.isInteger(k) || k < 1 || k > MAX_CHUNK_FRAMES) {
      throw new RangeError(
        `ReplayWriter: framesPerChunk expected an integer in [1, ${MAX_CHUNK_FRAMES}], received ${k}`,
      );
    }
    this.framesPerChunk = k;
    this.columns = allocateColumns(0, 0, 0);
    this.summaryBuilder = new ReplaySummaryBuilder(this.agents);
    this.container = new ContainerWriter(encoded, HORM_REPLAY_VERSION);
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  /**
   * Appends one frame (copied; `frame` may be reused). Throws on values the format cannot hold:
   * fewer vehicles than agents, an action, rank, lane or kind out of the header's range.
   */
  writeFrame(frame: ReplayFrameInput): void {
    if (this.finished) throw new Error('ReplayWriter.writeFrame: the replay is finished');
    const v = frame.vehicleCount;
    const a = this.agents;
    this.check(frame);
    if (v !== this.vehicles) {
      this.flushChunk();
      this.vehicles = v;
      this.columns = allocateColumns(this.framesPerChunk, v, a);
    }
    const c = this.columns;
    const k = this.chunkFrames;
    c.flags[k] = frame.decision ? FRAME_DECISION : 0;
    for (let i = 0; i < v; i++) {
      const at = k * v + i;
      c.x[at] = frame.x[i]!;
      c.y[at] = frame.y[i]!;
      c.heading[at] = frame.heading[i]!;
      c.speed[at] = frame.speed[i]!;
      c.kind[at] = frame.kind[i]!;
      c.lane[at] = frame.lane[i]!;
      c.crashed[at] = frame.crashed[i]!;
    }
    for (let j = 0; j < a; j++) {
      const at = k * a + j;
      const decided = frame.decision;
      c.proposed[at] = decided ? frame.proposed[j]! : NO_ACTION;
      c.executed[at] = decided ? frame.executed[j]! : NO_ACTION;
      c.rank[at] = decided ? frame.rank[j]! : NO_RANK;
      c.reward[at] = decided ? frame.reward[j]! : 0;
      c.value[at] = frame.value[j]!;
    }
    this.summaryBuilder.add(frame);
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
    if (this.finished) throw new Error('ReplayWriter.finish: already finished');
    this.flushChunk();
    this.finished = true;
    return this.container.finish(this.footer());
  }

  /** The summary of the frames written so far. */
  summary(): ReplaySummary {
    return this.summaryBuilder.summary();
  }

  private footer(): ReplayFooter {
    return { frames: this.frames, chunks: this.container.chunkIndex, summary: this.summary() };
  }

  private check(frame: ReplayFrameInput): void {
    const { header, agents } = this;
    const v = frame.vehicleCount;
    if (!Number.isInteger(v) || v < agents || v > MAX_VEHICLES) {
      this.fail(`vehicleCount expected an integer in [${agents}, ${MAX_VEHICLES}], received ${v}`);
    }
    for (let i = 0; i < v; i++) {
      const kind = frame.kind[i]!;
      const lane = frame.lane[i]!;
      const crashed = frame.crashed[i]!;
      if (!Number.isInteger(kind) || kind < 0 || kind >= header.kinds.length) {
        this.fail(`vehicle ${i}: kind expected 0..${header.kinds.length - 1}, received ${kind}`);
      }
      if (lane !== NO_LANE && (!Number.isInteger(lane) || lane < 0 || lane >= header.lanes.length)) {
        this.fail(
          `vehicle ${i}: lane expected 0..${header.lanes.length - 1} or ${NO_LANE}, received ${lane}`,
        );
      }
      if (crashed !== 0 && crashed !== 1)
        this.fail(`vehicle ${i}: crashed expected 0 or 1, received ${crashed}`);
    }
    if (!frame.decision) return;
    const actions = header.actions.length;
    for (let j = 0; j < agents; j++) {
      const proposed = frame.proposed[j]!;
      const executed = frame.executed[j]!;
      const rank = frame.rank[j]!;
      if (!Number.isInteger(proposed) || proposed < 0 || proposed >= actions) {
        this.fail(`agent ${j}: proposed action expected 0..${actions - 1}, received ${proposed}`);
      }
      if (!Number.isInteger(executed) || executed < 0 || executed >= actions) {
        this.fail(`agent ${j}: executed action expected 0..${actions - 1}, received ${executed}`);
      }
      if (!Number.isInteger(rank) || rank < 0 || rank >= agents) {
        this.fail(`agent ${j}: rank expected 0..${agents - 1}, received ${rank}`);
      }
    }
  }

  private fail(detail: string): never {
    throw new RangeError(`ReplayWriter.writeFrame: frame ${this.frames}: ${detail}`);
  }

  private flushChunk(): void {
    const k = this.chunkFrames;
    if (k === 0) return;
    this.container.addChunk(packColumns(this.columns, k, this.vehicles, this.agents), k, this.vehicles);
    this.chunkFrames = 0;
  }
}
