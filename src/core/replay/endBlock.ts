/**
 * The end block (layout.ts): a block header of type 'E' followed by the footer JSON
 * (ReplayFooterSchema: frame count, chunk index, episode summary).
 */
import { strToU8 } from 'fflate';
import { type BlockHeader, encodeBlock } from './blockHeader.js';
import { decodeCheckedJson } from './checkedJson.js';
import { BLOCK_END } from './layout.js';
import { ReplayError } from './replayError.js';
import { type ReplayFooter, ReplayFooterSchema } from './schemas.js';

/** The end block: footer JSON with its block header. */
export function encodeEndBlock(footer: ReplayFooter): Uint8Array {
  return encodeBlock(BLOCK_END, 0, footer.frames, 0, strToU8(JSON.stringify(footer)));
}

/** Parses the end block's payload (read at file offset `offset`) and checks it against the frames read. */
export function decodeFooter(block: BlockHeader, payload: Uint8Array, offset: number): ReplayFooter {
  const footer = decodeCheckedJson(payload, block.crc, ReplayFooterSchema, 'end block', offset);
  if (footer.frames !== block.firstFrame) {
    throw new ReplayError(
      'corrupted',
      'end block',
      offset,
      `footer frames ${footer.frames} disagree with the block header's ${block.firstFrame}`,
    );
  }
  return footer;
}
