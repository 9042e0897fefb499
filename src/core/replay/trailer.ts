/**
 * The 8-byte trailer (layout.ts): the end block's offset and the end tag "SRPE", so a reader
 * holding the whole file finds the chunk index without reading the frames.
 */
import { TRAILER_BYTES, TRAILER_TAG } from './layout.js';
import { hexBytes, ReplayError } from './replayError.js';

/** The trailer pointing back at the end block at `endOffset`. */
export function encodeTrailer(endOffset: number): Uint8Array {
  const out = new Uint8Array(TRAILER_BYTES);
  new DataView(out.buffer).setUint32(0, endOffset, true);
  out.set(TRAILER_TAG, 4);
  return out;
}

/** Reads the trailer at file offset `offset`; returns the end block's offset. */
export function decodeTrailer(bytes: Uint8Array, offset: number): number {
  const tag = bytes.subarray(4, 8);
  if (!tag.every((b, i) => b === TRAILER_TAG[i])) {
    throw new ReplayError(
      'corrupted',
      'trailer',
      offset + 4,
      `expected the end tag ${hexBytes(TRAILER_TAG)} ("SRPE"), found ${hexBytes(tag)}`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, TRAILER_BYTES).getUint32(0, true);
}
