/**
 * Random access to a complete replay held in memory (layout.ts), for a player: trailer → footer
 * index → the chunk holding a frame, decoded on first use and kept. Reading front to back is in
 * streamReader.ts. Every failure is a ReplayError naming the part and byte offset.
 */
import { decodeBlockHeader } from './blockHeader.js';
import { decodeChunk } from './chunkCodec.js';
import { decodeFooter } from './endBlock.js';
import type { ReplayFrame } from './frame.js';
import { decodeHeader } from './header.js';
import {
  BLOCK_END,
  BLOCK_FRAMES,
  BLOCK_HEADER_BYTES,
  HEADER_CRC_BYTES,
  PREAMBLE_BYTES,
  TRAILER_BYTES,
} from './layout.js';
import { checkMagicPrefix, decodePreamble } from './preamble.js';
import type { ReplayChunk } from './replayChunk.js';
import { chunkSection, ReplayError } from './replayError.js';
import type { ReplayFooter, ReplayHeader } from './schemas.js';
import { decodeTrailer } from './trailer.js';

/**
 * The footer's chunk index must tile the frames (each chunk starts where the previous one ended)
 * and point at increasing offsets between the header and the end block.
 */
function checkIndex(footer: ReplayFooter, dataStart: number, endOffset: number): void {
  let nextFrame = 0;
  let minOffset = dataStart;
  footer.chunks.forEach(([offset, firstFrame, frames], i) => {
    if (firstFrame !== nextFrame || offset < minOffset || offset + BLOCK_HEADER_BYTES > endOffset) {
      throw new ReplayError(
        'invalid',
        'end block',
        endOffset,
        `chunk index entry ${i}: expected first frame ${nextFrame} at an offset in [${minOffset}, ${endOffset - BLOCK_HEADER_BYTES}], found frame ${firstFrame} at ${offset}`,
      );
    }
    nextFrame += frames;
    minOffset = offset + BLOCK_HEADER_BYTES;
  });
  if (nextFrame !== footer.frames) {
    throw new ReplayError(
      'invalid',
      'end block',
      endOffset,
      `expected the chunk index to cover ${footer.frames} frames, found ${nextFrame}`,
    );
  }
}

/**
 * Random access to the frames of a complete replay held in memory: `open` reads preamble, header,
 * trailer and footer (a few hundred bytes); `frame(i)` decodes the chunk holding frame i on first
 * use and keeps it.
 */
export class ReplayReader {
  private readonly chunks: (ReplayChunk | undefined)[];

  private constructor(
    private readonly bytes: Uint8Array,
    readonly formatVersion: number,
    readonly header: ReplayHeader,
    readonly footer: ReplayFooter,
    private readonly endOffset: number,
  ) {
    this.chunks = new Array(footer.chunks.length);
  }

  /** Reads the parts needed to find any frame. Throws ReplayError (truncated, corrupted, …). */
  static open(bytes: Uint8Array): ReplayReader {
    const size = bytes.length;
    if (size < PREAMBLE_BYTES) {
      checkMagicPrefix(bytes);
      throw new ReplayError('truncated', 'preamble', 0, `expected ${PREAMBLE_BYTES} bytes, found ${size}`);
    }
    const { version, headerBytes } = decodePreamble(bytes.subarray(0, PREAMBLE_BYTES));
    const dataStart = PREAMBLE_BYTES + headerBytes + HEADER_CRC_BYTES;
    if (size < dataStart) {
      throw new ReplayError(
        'truncated',
        'header',
        PREAMBLE_BYTES,
        `expected ${headerBytes + HEADER_CRC_BYTES} bytes (header JSON and its CRC-32), found ${size - PREAMBLE_BYTES}`,
      );
    }
    const header = decodeHeader(bytes.subarray(PREAMBLE_BYTES, dataStart));
    const smallest = dataStart + BLOCK_HEADER_BYTES + TRAILER_BYTES;
    const trailerAt = size - TRAILER_BYTES;
    if (size < smallest) {
      throw new ReplayError(
        'truncated',
        'trailer',
        Math.max(trailerAt, dataStart),
        `expected an end block and a trailer after byte ${dataStart}, found ${size - dataStart} bytes (recording not finished?)`,
      );
    }
    let endOffset: number;
    try {
      endOffset = decodeTrailer(bytes.subarray(trailerAt), trailerAt);
    } catch (error) {
      // No end tag: almost always a file cut short (or still being written).
      throw error instanceof ReplayError
        ? new ReplayError('truncated', 'trailer', error.offset, `${error.detail} (file cut short?)`)
        : error;
    }
    if (endOffset < dataStart || endOffset + BLOCK_HEADER_BYTES > trailerAt) {
      throw new ReplayError(
        'corrupted',
        'trailer',
        trailerAt,
        `expected an end-block offset in [${dataStart}, ${trailerAt - BLOCK_HEADER_BYTES}], found ${endOffset}`,
      );
    }
    const blockBytes = bytes.subarray(endOffset, endOffset + BLOCK_HEADER_BYTES);
    const frameCount = new DataView(blockBytes.buffer, blockBytes.byteOffset, BLOCK_HEADER_BYTES).getUint32(
      4,
      true,
    );
    const block = decodeBlockHeader(blockBytes, endOffset, frameCount, 0, header.agents);
    if (block.type !== BLOCK_END || endOffset + BLOCK_HEADER_BYTES + block.length !== trailerAt) {
      throw new ReplayError(
        'corrupted',
        'end block',
        endOffset,
        `expected the end block (type 0x45) ending at the trailer (byte ${trailerAt}), found type 0x${block.type.toString(16)} ending at byte ${endOffset + BLOCK_HEADER_BYTES + block.length}`,
      );
    }
    const payload = bytes.subarray(endOffset + BLOCK_HEADER_BYTES, trailerAt);
    const footer = decodeFooter(block, payload, endOffset);
    checkIndex(footer, dataStart, endOffset);
    return new ReplayReader(bytes, version, header, footer, endOffset);
  }

  /** Number of frames (decisions + 1 for a finished episode). */
  get frameCount(): number {
    return this.footer.frames;
  }

  /**
   * File offset just past the last chunk (where the end block starts): the bytes before it are
   * preamble, header and chunks, all the frame data there is.
   */
  get chunksEnd(): number {
    return this.endOffset;
  }

  /** Frame `index` (0-based); its arrays are views into the decoded chunk. */
  frame(index: number): ReplayFrame {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(
        `ReplayReader.frame: expected a frame in 0..${this.frameCount - 1}, received ${index}`,
      );
    }
    const chunk = this.chunk(this.chunkOf(index));
    return chunk.frame(index - chunk.firstFrame);
  }

  /** Every frame, in order. */
  *frames(): IterableIterator<ReplayFrame> {
    for (let i = 0; i < this.frameCount; i++) yield this.frame(i);
  }

  /** Index of the chunk holding frame `index` (binary search over first frames). */
  private chunkOf(index: number): number {
    const entries = this.footer.chunks;
    let lo = 0;
    let hi = entries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (entries[mid]![1] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private chunk(i: number): ReplayChunk {
    const cached = this.chunks[i];
    if (cached !== undefined) return cached;
    const [offset, firstFrame, frames] = this.footer.chunks[i]!;
    const section = chunkSection(i, firstFrame, frames); // offsets were checked by checkIndex
    const block = decodeBlockHeader(
      this.bytes.subarray(offset, offset + BLOCK_HEADER_BYTES),
      offset,
      firstFrame,
      i,
      this.header.agents,
    );
    const start = offset + BLOCK_HEADER_BYTES;
    if (block.type !== BLOCK_FRAMES || block.frames !== frames || start + block.length > this.endOffset) {
      throw new ReplayError(
        'corrupted',
        section,
        offset,
        `expected a chunk of ${frames} frames before the end block (byte ${this.endOffset}), found type 0x${block.type.toString(16)} with ${block.frames} frames ending at byte ${start + block.length}`,
      );
    }
    const chunk = decodeChunk(
      block,
      this.bytes.subarray(start, start + block.length),
      i,
      this.header.agents,
      offset,
    );
    this.chunks[i] = chunk;
    return chunk;
  }
}
