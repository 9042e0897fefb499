/**
 * The end block (layout.ts): a block header of type 'E' followed by the footer JSON
 * (ReplayFooterSchema: frame count, chunk index, episode summary).
 */
import { strToU8 } from 'fflate';
import type { z } from 'zod';
import { type BlockHeader, encodeBlock } from './blockHeader.js';
import { decodeCheckedJson } from './checkedJson.js';
import { BLOCK_END } from './layout.js';
import { ReplayError } from './replayError.js';
import { type ReplayFooter, ReplayFooterSchema } from './schemas.js';

/** The end block: footer JSON (any kind's: frame count, chunk index, summary) with its block header. */
export function encodeEndBlock(footer: { readonly frames: number }): Uint8Array {
  return encodeBlock(BLOCK_END, 0, footer.frames, 0, strToU8(JSON.stringify(footer)));
}

/**
 * Parses the end block's payload (read at file offset `offset`) and checks it against the frames
 * read; `schema`: the footer of the replay's kind (default HORM's).
 */
export function decodeFooter<F extends { readonly frames: number } = ReplayFooter>(
  block: BlockHeader,
  payload: Uint8Array,
  offset: number,
  schema: z.ZodType<F> = ReplayFooterSchema as unknown as z.ZodType<F>,
): F {
  const footer = decodeCheckedJson(payload, block.crc, schema, 'end block', offset);
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
