/**
 * Closing a replay that is still arriving (a live run's bytes, a recording being written): its
 * first `reader.chunksEnd` bytes are a finished file's bytes up to the last chunk read, and lack
 * only the end block (footer: chunk index and summary) and the trailer. `encodeEndSoFar` builds
 * those from what the stream reader learnt while decoding (chunk offsets, frame count, summary),
 * without touching frame data, so
 *
 *   received.subarray(0, reader.chunksEnd) + encodeEndSoFar(reader)
 *
 * is, byte for byte, the file a ReplayWriter finishing after exactly those frames would write
 * (with the chunking the received file has), and ReplayReader.open reads exactly those frames.
 */
import { encodeEndBlock } from './endBlock.js';
import type { ReplayFooter } from './schemas.js';
import type { ReplayStreamReader } from './streamReader.js';
import { encodeTrailer } from './trailer.js';

/**
 * The footer of a file ending after the chunks `reader` has read. Throws before the header has
 * arrived (the summary needs the number of agents).
 */
export function footerSoFar(reader: ReplayStreamReader): ReplayFooter {
  const summary = reader.summarySoFar();
  if (summary === null) throw new Error('footerSoFar: expected a reader past the replay header');
  return {
    frames: reader.framesRead,
    chunks: reader.chunkIndex.map(([offset, firstFrame, frames]) => [offset, firstFrame, frames]),
    summary,
  };
}

/**
 * End block and trailer to append to the file's first `reader.chunksEnd` bytes for a complete
 * replay of the frames read so far (see the file comment). Throws before the header has arrived.
 */
export function encodeEndSoFar(reader: ReplayStreamReader): Uint8Array {
  const block = encodeEndBlock(footerSoFar(reader));
  const trailer = encodeTrailer(reader.chunksEnd);
  const out = new Uint8Array(block.length + trailer.length);
  out.set(block);
  out.set(trailer, block.length);
  return out;
}
