/**
 * Reading a replay front to back (layout.ts): `ReplayStreamReader` takes bytes in any pieces as they
 * arrive and returns each chunk's frames once the chunk is complete; `decodeReplay` is the same
 * reader fed a whole file. Random access is in reader.ts. Every failure is a ReplayError naming the
 * part and byte offset.
 */
import { type BlockHeader, decodeBlockHeader } from './blockHeader.js';
import { ByteQueue } from './byteQueue.js';
import { decodeChunk } from './chunkCodec.js';
import { hormChunkShape } from './columns.js';
import { decodeFooter } from './endBlock.js';
import type { ReplayFrame } from './frame.js';
import { decodeHeader } from './header.js';
import {
  BLOCK_END,
  BLOCK_HEADER_BYTES,
  HEADER_CRC_BYTES,
  PREAMBLE_BYTES,
  REPLAY_MAGIC,
  TRAILER_BYTES,
} from './layout.js';
import { checkMagicPrefix, decodePreamble } from './preamble.js';
import { chunkSection, ReplayError } from './replayError.js';
import type { ReplayFooter, ReplayHeader, ReplaySummary } from './schemas.js';
import { ReplaySummaryBuilder } from './summary.js';
import { decodeTrailer } from './trailer.js';

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
            hormChunkShape(this.parsedHeader!.agents),
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
