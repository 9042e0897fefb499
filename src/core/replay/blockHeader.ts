/**
 * The 20-byte block header before every chunk ('F') and before the footer ('E') (layout.ts): type,
 * frame numbering, vehicle count, payload length and the payload's CRC-32. Decoding checks all a
 * header can say before its payload is read, so a damaged length is refused before it is trusted.
 */
import { crc32 } from './crc32.js';
import { BLOCK_END, BLOCK_FRAMES, BLOCK_HEADER_BYTES, MAX_CHUNK_BYTES, MAX_JSON_BYTES } from './layout.js';
import { chunkSection, hexBytes, ReplayError } from './replayError.js';

/**
 * What a kind of replay allows in a chunk's block header: how many entities (vehicles, bodies) a
 * frame may hold and how many bytes K frames of them inflate to (hormChunkShape in columns.ts,
 * mujocoChunkShape in mujocoColumns.ts).
 */
export interface ChunkShape {
  /** What a frame's entities are, for messages ("vehicles", "bodies"). */
  readonly entities: string;
  /** Why a chunk cannot have `count` entities per frame ("expected …, found …"), or null. */
  checkCount(count: number): string | null;
  /** Inflated size of `frames` frames of `count` entities [bytes]. */
  chunkBytes(frames: number, count: number): number;
}

/** A parsed block header. */
export interface BlockHeader {
  /** BLOCK_FRAMES or BLOCK_END. */
  readonly type: number;
  /** Chunk: frames in it; end block: 0. */
  readonly frames: number;
  /** Chunk: number of its first frame; end block: frames in the file. */
  readonly firstFrame: number;
  /** Chunk: vehicles (HORM) or bodies (MuJoCo) per frame; end block: 0. */
  readonly vehicles: number;
  /** Bytes that follow the block header. */
  readonly length: number;
  /** CRC-32 of those bytes. */
  readonly crc: number;
}

/** The 20-byte block header followed by `payload`. */
export function encodeBlock(
  type: number,
  frames: number,
  firstFrame: number,
  vehicles: number,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(BLOCK_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, type);
  view.setUint8(1, 0);
  view.setUint16(2, frames, true);
  view.setUint32(4, firstFrame, true);
  view.setUint16(8, vehicles, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, payload.length, true);
  view.setUint32(16, crc32(payload), true);
  out.set(payload, BLOCK_HEADER_BYTES);
  return out;
}

/**
 * Reads a block header at file offset `offset` and checks what can be checked before its payload:
 * a known type, the frame numbering `nextFrame` continues, sizes within limits.
 */
export function decodeBlockHeader(
  bytes: Uint8Array,
  offset: number,
  nextFrame: number,
  chunk: number,
  shape: ChunkShape,
): BlockHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, BLOCK_HEADER_BYTES);
  const block: BlockHeader = {
    type: view.getUint8(0),
    frames: view.getUint16(2, true),
    firstFrame: view.getUint32(4, true),
    vehicles: view.getUint16(8, true),
    length: view.getUint32(12, true),
    crc: view.getUint32(16, true),
  };
  if (block.type === BLOCK_END) return checkEndBlockHeader(block, bytes, offset, nextFrame);
  if (block.type !== BLOCK_FRAMES) {
    throw new ReplayError(
      'corrupted',
      `block after frame ${nextFrame - 1}`,
      offset,
      `expected block type 0x46 ("F", frames) or 0x45 ("E", end), found 0x${block.type.toString(16).padStart(2, '0')}`,
    );
  }
  return checkChunkHeader(block, bytes, offset, nextFrame, chunk, shape);
}

/** Bytes 1 and 10–11 of a block header, OR-ed together: reserved, so 0 in every valid block. */
function reservedBits(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, BLOCK_HEADER_BYTES);
  return view.getUint8(1) | view.getUint16(10, true);
}

/** The end block's header: zeros where a chunk has counts, the frames read, a sane footer length. */
function checkEndBlockHeader(
  block: BlockHeader,
  bytes: Uint8Array,
  offset: number,
  nextFrame: number,
): BlockHeader {
  const section = 'end block';
  // An end block has no frame count or vehicle count of its own: those fields are 0 too.
  if ((reservedBits(bytes) | block.frames | block.vehicles) !== 0) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected zeros in bytes 1–3 and 8–11 of the block header, found ${hexBytes(bytes.subarray(1, 4))} and ${hexBytes(bytes.subarray(8, 12))}`,
    );
  }
  if (block.firstFrame !== nextFrame) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected a frame count of ${nextFrame} (the frames read), found ${block.firstFrame}`,
    );
  }
  if (block.length < 2 || block.length > MAX_JSON_BYTES) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected a footer length in [2, ${MAX_JSON_BYTES}] bytes, found ${block.length}`,
    );
  }
  return block;
}

/** A chunk's header: zero reserved bytes, the next frame, ≥ 1 frame, an entity count its shape allows, a sane size. */
function checkChunkHeader(
  block: BlockHeader,
  bytes: Uint8Array,
  offset: number,
  nextFrame: number,
  chunk: number,
  shape: ChunkShape,
): BlockHeader {
  const section = chunkSection(chunk, block.firstFrame, Math.max(block.frames, 1));
  if (reservedBits(bytes) !== 0) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected zeros in the reserved bytes 1 and 10–11 of the block header, found ${hexBytes(bytes.subarray(1, 2))} and ${hexBytes(bytes.subarray(10, 12))}`,
    );
  }
  if (block.firstFrame !== nextFrame) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected first frame ${nextFrame}, found ${block.firstFrame}`,
    );
  }
  if (block.frames < 1)
    throw new ReplayError('corrupted', section, offset, 'expected at least 1 frame, found 0');
  const wrongCount = shape.checkCount(block.vehicles);
  if (wrongCount !== null) throw new ReplayError('corrupted', section, offset, wrongCount);
  const inflated = shape.chunkBytes(block.frames, block.vehicles);
  if (inflated > MAX_CHUNK_BYTES) {
    throw new ReplayError(
      'invalid',
      section,
      offset,
      `expected at most ${MAX_CHUNK_BYTES} bytes of frames per chunk, found ${block.frames} frames × ${block.vehicles} ${shape.entities} = ${inflated} bytes`,
    );
  }
  return block;
}
