/**
 * Reading replays (format.ts), three ways over one set of block decoders:
 * - `ReplayStreamReader`: push bytes as they arrive, get the frames of each completed chunk;
 * - `decodeReplay`: a whole file at once (the stream reader fed one piece);
 * - `ReplayReader`: random access for a player: trailer → footer index → the chunk holding a
 *   frame, decoded on first use and kept.
 * Every failure is a ReplayError naming the part and byte offset.
 */
import { ByteQueue } from './byteQueue.js';
import {
  BLOCK_END,
  BLOCK_FRAMES,
  BLOCK_HEADER_BYTES,
  type BlockHeader,
  checkMagicPrefix,
  chunkSection,
  decodeBlockHeader,
  decodeChunk,
  decodeFooter,
  decodeHeader,
  decodePreamble,
  decodeTrailer,
  HEADER_CRC_BYTES,
  PREAMBLE_BYTES,
  REPLAY_MAGIC,
  type ReplayChunk,
  type ReplayFooter,
  type ReplayFrame,
  type ReplayHeader,
  type ReplaySummary,
  TRAILER_BYTES,
} from './format.js';
import { ReplayError } from './replayError.js';
import { ReplaySummaryBuilder } from './summary.js';

/** A whole replay, decoded. */
export interface DecodedReplay {
  readonly formatVersion: number;
  readonly header: ReplayHeader;
  readonly footer: ReplayFooter;
  readonly frames: readonly ReplayFrame[];
}

type Stage = 'preamble' | 'header' | 'blocks' | 'trailer' | 'done';

/**
 * Incremental reader: `push` bytes in any pieces (a network stream, a file read in slices) and
 * receive each chunk's frames as soon as the chunk is complete; `end` when the data is over.
 * A chunk is checked (CRC-32, sizes) before any of its frames is returned.
 */
export class ReplayStreamReader {
  private readonly queue = new ByteQueue();
  /** File offset of the first byte in the queue. */
  private offset = 0;
  private stage: Stage = 'preamble';
  private headerBytes = 0;
  private block: BlockHeader | null = null;
  private chunkCount = 0;
  private frameCount = 0;
  private readonly seenChunks: [number, number, number][] = [];
  /** File offset just past the last complete chunk (past the header before the first). */
  private framesEnd = 0;
  /** Summary of the frames returned so far (from the header on). */
  private summaryBuilder: ReplaySummaryBuilder | null = null;
  private endOffset = 0;
  private version = 0;
  private parsedHeader: ReplayHeader | null = null;
  private parsedFooter: ReplayFooter | null = null;

  /** Format version, once the preamble has arrived (else 0). */
  get formatVersion(): number {
    return this.version;
  }

  /** The header, once it has arrived (else null). */
  get header(): ReplayHeader | null {
    return this.parsedHeader;
  }

  /** The footer, once the end block has arrived (else null). */
  get footer(): ReplayFooter | null {
    return this.parsedFooter;
  }

  /** Frames returned so far. */
  get framesRead(): number {
    return this.frameCount;
  }

  /**
   * File offset just past the last complete chunk read: the file's first `chunksEnd` bytes hold
   * preamble, header and the chunks read, and nothing more (0 before the header has arrived).
   */
  get chunksEnd(): number {
    return this.framesEnd;
  }

  /** The chunks read so far as the footer's index lists them: [offset, first frame, frames]. */
  get chunkIndex(): readonly (readonly [number, number, number])[] {
    return this.seenChunks;
  }

  /** The summary of the frames returned so far, as their footer holds it (null before the header). */
  summarySoFar(): ReplaySummary | null {
    return this.summaryBuilder?.summary() ?? null;
  }

  /** Takes more bytes; returns the frames completed by them, in order (often none). */
  push(bytes: Uint8Array): ReplayFrame[] {
    if (this.stage === 'done' && bytes.length > 0) {
      throw new ReplayError(
        'corrupted',
        'trailer',
        this.offset,
        `expected the end of the data after the trailer, found ${bytes.length} more bytes`,
      );
    }
    this.queue.push(bytes);
    if (this.stage === 'preamble') {
      // Fail on the first bytes of another kind of file rather than after 16 of them.
      checkMagicPrefix(this.queue.peek(Math.min(this.queue.available, REPLAY_MAGIC.length)));
    }
    const frames: ReplayFrame[] = [];
    while (this.advance(frames)) {
      // each call parses one part
    }
    return frames;
  }

  /**
   * Declares the data complete. Returns the footer; throws a `truncated` ReplayError naming what
   * was cut off when the data stopped early.
   */
  end(): ReplayFooter {
    if (this.stage === 'done') return this.parsedFooter!;
    const have = this.queue.available;
    const cut = (section: string, offset: number, needed: number, what: string) =>
      new ReplayError(
        'truncated',
        section,
        offset,
        `expected ${needed} bytes (${what}), found ${have} before the end of the data`,
      );
    switch (this.stage) {
      case 'preamble':
        if (have === 0) {
          throw new ReplayError(
            'truncated',
            'preamble',
            0,
            `expected ${PREAMBLE_BYTES} bytes, found an empty file`,
          );
        }
        throw cut('preamble', 0, PREAMBLE_BYTES, 'magic, version, flags, header length');
      case 'header':
        throw cut(
          'header',
          PREAMBLE_BYTES,
          this.headerBytes + HEADER_CRC_BYTES,
          'header JSON and its CRC-32',
        );
      case 'blocks': {
        const block = this.block;
        if (block === null) {
          if (have === 0) {
            throw new ReplayError(
              'truncated',
              `after frame ${this.frameCount - 1}`,
              this.offset,
              'expected another chunk or the end block, found the end of the data (recording not finished?)',
            );
          }
          throw cut(
            `block after frame ${this.frameCount - 1}`,
            this.offset,
            BLOCK_HEADER_BYTES,
            'block header',
          );
        }
        const section =
          block.type === BLOCK_END
            ? 'end block'
            : chunkSection(this.chunkCount, block.firstFrame, block.frames);
        const what = block.type === BLOCK_END ? 'footer JSON' : 'compressed frames';
        throw new ReplayError(
          'truncated',
          section,
          this.offset - BLOCK_HEADER_BYTES,
          `expected ${block.length} bytes of ${what} after the block header, found ${have} before the end of the data`,
        );
      }
      default:
        throw cut('trailer', this.offset, TRAILER_BYTES, 'end-block offset and end tag');
    }
  }

  /** Parses the next part if its bytes are all there; false when it must wait for more. */
  private advance(frames: ReplayFrame[]): boolean {
    const q = this.queue;
    switch (this.stage) {
      case 'preamble': {
        if (q.available < PREAMBLE_BYTES) return false;
        const { version, headerBytes } = decodePreamble(q.take(PREAMBLE_BYTES));
        this.version = version;
        this.headerBytes = headerBytes;
        this.offset += PREAMBLE_BYTES;
        this.stage = 'header';
        return true;
      }
      case 'header': {
        const n = this.headerBytes + HEADER_CRC_BYTES;
        if (q.available < n) return false;
        this.parsedHeader = decodeHeader(q.take(n));
        this.summaryBuilder = new ReplaySummaryBuilder(this.parsedHeader.agents);
        this.offset += n;
        this.framesEnd = this.offset;
        this.stage = 'blocks';
        return true;
      }
      case 'blocks': {
        if (this.block === null) {
          if (q.available < BLOCK_HEADER_BYTES) return false;
          const bytes = q.take(BLOCK_HEADER_BYTES);
          this.block = decodeBlockHeader(
            bytes,
            this.offset,
            this.frameCount,
            this.chunkCount,
            this.parsedHeader!.agents,
          );
          this.offset += BLOCK_HEADER_BYTES;
          return true;
        }
        const block = this.block;
        if (q.available < block.length) return false;
        const start = this.offset - BLOCK_HEADER_BYTES;
        const payload = q.take(block.length);
        this.offset += block.length;
        this.block = null;
        if (block.type === BLOCK_END) {
          this.parsedFooter = this.checkFooter(decodeFooter(block, payload, start), start);
          this.endOffset = start;
          this.stage = 'trailer';
          return true;
        }
        this.readChunk(block, payload, start, frames);
        return true;
      }
      case 'trailer': {
        if (q.available < TRAILER_BYTES) return false;
        const at = this.offset;
        const endOffset = decodeTrailer(q.take(TRAILER_BYTES), at);
        if (endOffset !== this.endOffset) {
          throw new ReplayError(
            'corrupted',
            'trailer',
            at,
            `expected the end-block offset ${this.endOffset}, found ${endOffset}`,
          );
        }
        this.offset += TRAILER_BYTES;
        this.stage = 'done';
        if (q.available > 0) {
          throw new ReplayError(
            'corrupted',
            'trailer',
            this.offset,
            `expected the end of the data after the trailer, found ${q.available} more bytes`,
          );
        }
        return false;
      }
      default:
        return false;
    }
  }

  /** Decodes the complete chunk at file offset `start`; its frames go to `frames` and the summary. */
  private readChunk(block: BlockHeader, payload: Uint8Array, start: number, frames: ReplayFrame[]): void {
    const chunk = decodeChunk(block, payload, this.chunkCount, this.parsedHeader!.agents, start);
    this.seenChunks.push([start, block.firstFrame, block.frames]);
    this.framesEnd = this.offset;
    this.chunkCount++;
    this.frameCount += chunk.frameCount;
    for (let k = 0; k < chunk.frameCount; k++) {
      const frame = chunk.frame(k);
      this.summaryBuilder!.add(frame);
      frames.push(frame);
    }
  }

  /** The footer's chunk index must list exactly the chunks read. */
  private checkFooter(footer: ReplayFooter, offset: number): ReplayFooter {
    const seen = this.seenChunks;
    const same =
      footer.chunks.length === seen.length &&
      footer.chunks.every((entry, i) => entry.every((value, k) => value === seen[i]![k]));
    if (!same) {
      throw new ReplayError(
        'corrupted',
        'end block',
        offset,
        `expected a chunk index of ${seen.length} entries matching the chunks read, found ${footer.chunks.length} entries that differ`,
      );
    }
    return footer;
  }
}

/** Decodes a whole replay file (every chunk checked). Throws ReplayError. */
export function decodeReplay(bytes: Uint8Array): DecodedReplay {
  const reader = new ReplayStreamReader();
  const frames = reader.push(bytes);
  const footer = reader.end();
  return { formatVersion: reader.formatVersion, header: reader.header!, footer, frames };
}

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
