/**
 * Reading a MuJoCo replay (format version 2) held in memory: `MujocoReplayReader` for random access
 * (a player: trailer → index → the chunk holding a frame, decoded on first use and kept), and
 * `decodeMujocoReplay` for the whole file with every chunk checked and the chunks required to fill
 * the file between header and end block with nothing left over. Every failure is a ReplayError
 * naming the part and byte offset.
 */
import type { ChunkShape } from './blockHeader.js';
import { inflateChunk } from './chunkCodec.js';
import {
  chunkOfFrame,
  containerChunk,
  type OpenedContainer,
  openContainer,
  type ReplayKind,
} from './container.js';
import { BLOCK_HEADER_BYTES, MUJOCO_REPLAY_VERSION } from './layout.js';
import {
  MujocoReplayChunk,
  mujocoChunkBytes,
  mujocoChunkShape,
  unpackMujocoColumns,
} from './mujocoColumns.js';
import type { MujocoReplayFrame } from './mujocoFrame.js';
import {
  type MujocoReplayFooter,
  MujocoReplayFooterSchema,
  type MujocoReplayHeader,
  MujocoReplayHeaderSchema,
  totalActionDim,
} from './mujocoSchemas.js';
import { ReplayError } from './replayError.js';

/** MuJoCo replays as the container reads them. */
export const MUJOCO_REPLAY_KIND: ReplayKind<MujocoReplayHeader, MujocoReplayFooter> = {
  version: MUJOCO_REPLAY_VERSION,
  headerSchema: MujocoReplayHeaderSchema,
  footerSchema: MujocoReplayFooterSchema,
  shape: (header) => mujocoChunkShape(header.bodies.length, totalActionDim(header)),
};

/** Random access to the frames of a complete MuJoCo replay held in memory. */
export class MujocoReplayReader {
  private readonly chunks: (MujocoReplayChunk | undefined)[];
  private readonly shape: ChunkShape;
  private readonly actionValues: number;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly opened: OpenedContainer<MujocoReplayHeader, MujocoReplayFooter>,
  ) {
    this.chunks = new Array(opened.footer.chunks.length);
    this.shape = MUJOCO_REPLAY_KIND.shape(opened.header);
    this.actionValues = totalActionDim(opened.header);
  }

  /** Reads preamble, header, trailer and footer. Throws ReplayError (truncated, corrupted, …). */
  static open(bytes: Uint8Array): MujocoReplayReader {
    return new MujocoReplayReader(bytes, openContainer(bytes, MUJOCO_REPLAY_KIND));
  }

  /** Format version of the file (MUJOCO_REPLAY_VERSION). */
  get formatVersion(): number {
    return this.opened.version;
  }

  get header(): MujocoReplayHeader {
    return this.opened.header;
  }

  get footer(): MujocoReplayFooter {
    return this.opened.footer;
  }

  /** Number of frames (steps + 1 for a finished episode). */
  get frameCount(): number {
    return this.opened.footer.frames;
  }

  /** File offset just past the last chunk (where the end block starts). */
  get chunksEnd(): number {
    return this.opened.endOffset;
  }

  /** Frame `index` (0-based); its arrays are views into the decoded chunk. */
  frame(index: number): MujocoReplayFrame {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(
        `MujocoReplayReader.frame: expected a frame in 0..${this.frameCount - 1}, received ${index}`,
      );
    }
    const chunk = this.chunk(chunkOfFrame(this.opened.footer, index));
    return chunk.frame(index - chunk.firstFrame);
  }

  /** Every frame, in order. */
  *frames(): IterableIterator<MujocoReplayFrame> {
    for (let i = 0; i < this.frameCount; i++) yield this.frame(i);
  }

  /**
   * Decodes every chunk and checks that they fill the file between the header and the end block
   * back to back (no bytes outside a chunk). Throws ReplayError.
   */
  checkAll(): void {
    const { chunks } = this.opened.footer;
    for (let i = 0; i < chunks.length; i++) {
      const [offset] = chunks[i]!;
      const expectedOffset = i === 0 ? this.opened.dataStart : this.chunkEnd(i - 1);
      if (offset !== expectedOffset) {
        throw new ReplayError(
          'corrupted',
          'end block',
          this.opened.endOffset,
          `chunk index entry ${i}: expected offset ${expectedOffset} (right after the ${i === 0 ? 'header' : 'previous chunk'}), found ${offset}`,
        );
      }
      this.chunk(i);
    }
    const end = chunks.length === 0 ? this.opened.dataStart : this.chunkEnd(chunks.length - 1);
    if (end !== this.opened.endOffset) {
      throw new ReplayError(
        'corrupted',
        'end block',
        this.opened.endOffset,
        `expected the end block right after the last chunk (byte ${end}), found it at byte ${this.opened.endOffset}`,
      );
    }
  }

  /** File offset just past chunk `i`. */
  private chunkEnd(i: number): number {
    const { block, offset } = containerChunk(this.bytes, this.opened, i, this.shape);
    return offset + BLOCK_HEADER_BYTES + block.length;
  }

  private chunk(i: number): MujocoReplayChunk {
    const cached = this.chunks[i];
    if (cached !== undefined) return cached;
    const { block, payload, offset } = containerChunk(this.bytes, this.opened, i, this.shape);
    const bodies = block.vehicles;
    const raw = inflateChunk(
      block,
      payload,
      i,
      mujocoChunkBytes(block.frames, bodies, this.actionValues),
      offset,
    );
    const columns = unpackMujocoColumns(raw, block.frames, bodies, this.actionValues);
    const chunk = new MujocoReplayChunk(block.firstFrame, block.frames, bodies, this.actionValues, columns);
    this.chunks[i] = chunk;
    return chunk;
  }
}

/** A whole MuJoCo replay, decoded. */
export interface DecodedMujocoReplay {
  readonly formatVersion: number;
  readonly header: MujocoReplayHeader;
  readonly footer: MujocoReplayFooter;
  readonly frames: readonly MujocoReplayFrame[];
}

/** Decodes a whole MuJoCo replay file (every chunk checked). Throws ReplayError. */
export function decodeMujocoReplay(bytes: Uint8Array): DecodedMujocoReplay {
  const reader = MujocoReplayReader.open(bytes);
  reader.checkAll();
  return {
    formatVersion: reader.formatVersion,
    header: reader.header,
    footer: reader.footer,
    frames: Array.from(reader.frames()),
  };
}
