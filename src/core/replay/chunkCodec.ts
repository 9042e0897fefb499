/**
 * A chunk's payload (layout.ts): its columns (columns.ts) as one raw DEFLATE stream. Decoding checks
 * the CRC-32 before inflating and the inflated size after, so damage is named, never read as frames.
 */
import { deflateSync, inflateSync } from 'fflate';
import type { BlockHeader } from './blockHeader.js';
import { chunkBytes, unpackColumns } from './columns.js';
import { crc32 } from './crc32.js';
import { ReplayChunk } from './replayChunk.js';
import { chunkSection, hexCrc, ReplayError } from './replayError.js';

/** DEFLATE level of chunks (fflate's default: within a few % of 9, twice as fast). */
export const DEFLATE_LEVEL = 6;

/** The compressed payload of a chunk. */
export function compressChunk(raw: Uint8Array): Uint8Array {
  return deflateSync(raw, { level: DEFLATE_LEVEL });
}

/**
 * Checks a chunk's payload (read at file offset `offset`) and inflates it: the CRC-32 first, then
 * exactly `expected` bytes of columns. Shared by every kind of replay.
 */
export function inflateChunk(
  block: BlockHeader,
  payload: Uint8Array,
  chunk: number,
  expected: number,
  offset: number,
): Uint8Array {
  const section = chunkSection(chunk, block.firstFrame, block.frames);
  const actual = crc32(payload);
  if (actual !== block.crc) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `CRC-32 expected ${hexCrc(block.crc)}, found ${hexCrc(actual)}`,
    );
  }
  // One spare byte: an inflated stream longer than expected fills it instead of being cut silently.
  const out = new Uint8Array(expected + 1);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(payload, { out });
  } catch (error) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `cannot inflate the frames: ${(error as Error).message}`,
    );
  }
  if (inflated.length !== expected) {
    throw new ReplayError(
      'corrupted',
      section,
      offset,
      `expected ${expected} bytes of frames after inflating, found ${inflated.length === expected + 1 ? 'more' : inflated.length}`,
    );
  }
  return out.subarray(0, expected);
}

/** Checks and inflates a HORM chunk's payload (read at file offset `offset`) into a ReplayChunk. */
export function decodeChunk(
  block: BlockHeader,
  payload: Uint8Array,
  chunk: number,
  agents: number,
  offset: number,
): ReplayChunk {
  const expected = chunkBytes(block.frames, block.vehicles, agents);
  const raw = inflateChunk(block, payload, chunk, expected, offset);
  const columns = unpackColumns(raw, block.frames, block.vehicles, agents);
  return new ReplayChunk(block.firstFrame, block.frames, block.vehicles, agents, columns);
}
