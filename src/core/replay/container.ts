/**
 * Random access to the container of any kind of replay held in memory (layout.ts): preamble →
 * header → trailer → end block (footer with the chunk index) → the chunk holding a frame. The kind
 * (HORM, MuJoCo) says which version it reads, its header and footer schemas and what a chunk may
 * hold; reader.ts and mujocoReader.ts decode the chunks' columns into frames. Every failure is a
 * ReplayError naming the part and byte offset.
 */
import type { z } from 'zod';
import { type BlockHeader, type ChunkShape, decodeBlockHeader } from './blockHeader.js';
import { decodeFooter } from './endBlock.js';
import { decodeHeaderWith } from './header.js';
import {
  BLOCK_END,
  BLOCK_FRAMES,
  BLOCK_HEADER_BYTES,
  HEADER_CRC_BYTES,
  PREAMBLE_BYTES,
  TRAILER_BYTES,
} from './layout.js';
import { checkMagicPrefix, decodePreamble } from './preamble.js';
import { chunkSection, ReplayError } from './replayError.js';
import { decodeTrailer } from './trailer.js';

/** What every footer holds: the frame count and the chunk index [offset, first frame, frames]. */
export interface ContainerFooter {
  readonly frames: number;
  readonly chunks: readonly (readonly [number, number, number])[];
}

/** A kind of replay as the container sees it. */
export interface ReplayKind<H, F extends ContainerFooter> {
  /** The format version the kind is written in. */
  readonly version: number;
  readonly headerSchema: z.ZodType<H>;
  readonly footerSchema: z.ZodType<F>;
  /** What a chunk of a replay with this header may hold. */
  shape(header: H): ChunkShape;
}

/** A container opened for random access: its parts before and after the chunks. */
export interface OpenedContainer<H, F extends ContainerFooter> {
  readonly version: number;
  readonly header: H;
  readonly footer: F;
  /** File offset of the first chunk (past preamble, header and its CRC-32). */
  readonly dataStart: number;
  /** File offset of the end block (just past the last chunk). */
  readonly endOffset: number;
}

/**
 * The footer's chunk index must tile the frames (each chunk starts where the previous one ended)
 * and point at increasing offsets between the header and the end block.
 */
function checkIndex(footer: ContainerFooter, dataStart: number, endOffset: number): void {
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

/** The header of `bytes` (preamble checked against `kind`'s version) and where the chunks start. */
function openHeader<H, F extends ContainerFooter>(
  bytes: Uint8Array,
  kind: ReplayKind<H, F>,
): { version: number; header: H; dataStart: number } {
  const size = bytes.length;
  if (size < PREAMBLE_BYTES) {
    checkMagicPrefix(bytes);
    throw new ReplayError('truncated', 'preamble', 0, `expected ${PREAMBLE_BYTES} bytes, found ${size}`);
  }
  const { version, headerBytes } = decodePreamble(bytes.subarray(0, PREAMBLE_BYTES), [kind.version]);
  const dataStart = PREAMBLE_BYTES + headerBytes + HEADER_CRC_BYTES;
  if (size < dataStart) {
    throw new ReplayError(
      'truncated',
      'header',
      PREAMBLE_BYTES,
      `expected ${headerBytes + HEADER_CRC_BYTES} bytes (header JSON and its CRC-32), found ${size - PREAMBLE_BYTES}`,
    );
  }
  const header = decodeHeaderWith(bytes.subarray(PREAMBLE_BYTES, dataStart), kind.headerSchema);
  return { version, header, dataStart };
}

/** Reads the parts needed to find any frame. Throws ReplayError (truncated, corrupted, …). */
export function openContainer<H, F extends ContainerFooter>(
  bytes: Uint8Array,
  kind: ReplayKind<H, F>,
): OpenedContainer<H, F> {
  const size = bytes.length;
  const { version, header, dataStart } = openHeader(bytes, kind);
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
  const block = decodeBlockHeader(blockBytes, endOffset, frameCount, 0, kind.shape(header));
  if (block.type !== BLOCK_END || endOffset + BLOCK_HEADER_BYTES + block.length !== trailerAt) {
    throw new ReplayError(
      'corrupted',
      'end block',
      endOffset,
      `expected the end block (type 0x45) ending at the trailer (byte ${trailerAt}), found type 0x${block.type.toString(16)} ending at byte ${endOffset + BLOCK_HEADER_BYTES + block.length}`,
    );
  }
  const payload = bytes.subarray(endOffset + BLOCK_HEADER_BYTES, trailerAt);
  const footer = decodeFooter(block, payload, endOffset, kind.footerSchema);
  checkIndex(footer, dataStart, endOffset);
  return { version, header, footer, dataStart, endOffset };
}

/**
 * Chunk `i` of an opened container: its block header (checked against the index and `shape`) and
 * compressed payload, at file offset `offset`.
 */
export function containerChunk(
  bytes: Uint8Array,
  opened: OpenedContainer<unknown, ContainerFooter>,
  i: number,
  shape: ChunkShape,
): { block: BlockHeader; payload: Uint8Array; offset: number } {
  const [offset, firstFrame, frames] = opened.footer.chunks[i]!;
  const section = chunkSection(i, firstFrame, frames); // offsets were checked by checkIndex
  const block = decodeBlockHeader(
    bytes.subarray(offset, offset + BLOCK_HEADER_BYTES),
    offset,
    firstFrame,
    i,
    shape,
  );
  const start = offset + BLOCK_HEADER_BYTES;
  if (block.type !== BLOCK_FRAMES || block.frames !== frames || start + block.length > opened.endOffset) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected a chunk of ${frames} frames before the end block (byte ${opened.endOffset}), found type 0x${block.type.toString(16)} with ${block.frames} frames ending at byte ${start + block.length}`,
    );
  }
  return { block, payload: bytes.subarray(start, start + block.length), offset };
}

/** Index of the chunk holding frame `index` (binary search over the index's first frames). */
export function chunkOfFrame(footer: ContainerFooter, index: number): number {
  const entries = footer.chunks;
  let lo = 0;
  let hi = entries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (entries[mid]![1] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
