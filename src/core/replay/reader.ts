/**
 * Random access to a complete HORM replay held in memory (layout.ts), for a player: trailer →
 * footer index → the chunk holding a frame, decoded on first use and kept (the container's parts
 * are read by container.ts). Reading front to back is in streamReader.ts. Every failure is a
 * ReplayError naming the part and byte offset.
 */
import type { ChunkShape } from './blockHeader.js';
import { decodeChunk } from './chunkCodec.js';
import { hormChunkShape } from './columns.js';
import {
  chunkOfFrame,
  containerChunk,
  type OpenedContainer,
  openContainer,
  type ReplayKind,
} from './container.js';
import type { ReplayFrame } from './frame.js';
import { HORM_REPLAY_VERSION } from './layout.js';
import type { ReplayChunk } from './replayChunk.js';
import { type ReplayFooter, ReplayFooterSchema, type ReplayHeader, ReplayHeaderSchema } from './schemas.js';

/** HORM replays as the container reads them. */
export const HORM_REPLAY_KIND: ReplayKind<ReplayHeader, ReplayFooter> = {
  version: HORM_REPLAY_VERSION,
  headerSchema: ReplayHeaderSchema,
  footerSchema: ReplayFooterSchema,
  shape: (header) => hormChunkShape(header.agents),
};

/**
 * Random access to the frames of a complete replay held in memory: `open` reads preamble, header,
 * trailer and footer (a few hundred bytes); `frame(i)` decodes the chunk holding frame i on first
 * use and keeps it.
 */
export class ReplayReader {
  private readonly chunks: (ReplayChunk | undefined)[];
  private readonly shape: ChunkShape;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly opened: OpenedContainer<ReplayHeader, ReplayFooter>,
  ) {
    this.chunks = new Array(opened.footer.chunks.length);
    this.shape = hormChunkShape(opened.header.agents);
  }

  /** Reads the parts needed to find any frame. Throws ReplayError (truncated, corrupted, …). */
  static open(bytes: Uint8Array): ReplayReader {
    return new ReplayReader(bytes, openContainer(bytes, HORM_REPLAY_KIND));
  }

  /** Format version of the file (HORM_REPLAY_VERSION). */
  get formatVersion(): number {
    return this.opened.version;
  }

  get header(): ReplayHeader {
    return this.opened.header;
  }

  get footer(): ReplayFooter {
    return this.opened.footer;
  }

  /** Number of frames (decisions + 1 for a finished episode). */
  get frameCount(): number {
    return this.opened.footer.frames;
  }

  /**
   * File offset just past the last chunk (where the end block starts): the bytes before it are
   * preamble, header and chunks, all the frame data there is.
   */
  get chunksEnd(): number {
    return this.opened.endOffset;
  }

  /** Frame `index` (0-based); its arrays are views into the decoded chunk. */
  frame(index: number): ReplayFrame {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(
        `ReplayReader.frame: expected a frame in 0..${this.frameCount - 1}, received ${index}`,
      );
    }
    const chunk = this.chunk(chunkOfFrame(this.opened.footer, index));
    return chunk.frame(index - chunk.firstFrame);
  }

  /** Every frame, in order. */
  *frames(): IterableIterator<ReplayFrame> {
    for (let i = 0; i < this.frameCount; i++) yield this.frame(i);
  }

  private chunk(i: number): ReplayChunk {
    const cached = this.chunks[i];
    if (cached !== undefined) return cached;
    const { block, payload, offset } = containerChunk(this.bytes, this.opened, i, this.shape);
    const chunk = decodeChunk(block, payload, i, this.opened.header.agents, offset);
    this.chunks[i] = chunk;
    return chunk;
  }
}
