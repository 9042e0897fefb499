/**
 * The header (layout.ts): ReplayHeaderSchema as UTF-8 JSON followed by its CRC-32, right after the
 * preamble. The writer validates it before writing, so a file never holds a header it cannot read.
 */
import { strToU8 } from 'fflate';
import type { z } from 'zod';
import { decodeCheckedJson, issueText } from './checkedJson.js';
import { crc32 } from './crc32.js';
import { HEADER_CRC_BYTES, PREAMBLE_BYTES } from './layout.js';
import { ReplayError } from './replayError.js';
import { type ReplayHeader, ReplayHeaderSchema } from './schemas.js';

/** The header JSON plus its CRC-32, after validating `header` (against `schema`: default HORM's). */
export function encodeHeader<H = ReplayHeader>(
  header: H,
  schema: z.ZodType<H> = ReplayHeaderSchema as unknown as z.ZodType<H>,
): Uint8Array {
  const parsed = schema.safeParse(header);
  if (!parsed.success) throw new ReplayError('invalid', 'header', PREAMBLE_BYTES, issueText(parsed.error));
  const json = strToU8(JSON.stringify(parsed.data));
  const out = new Uint8Array(json.length + HEADER_CRC_BYTES);
  out.set(json, 0);
  new DataView(out.buffer).setUint32(json.length, crc32(json), true);
  return out;
}

/** Reads a HORM header from `bytes` = header JSON followed by its CRC-32. */
export function decodeHeader(bytes: Uint8Array): ReplayHeader {
  return decodeHeaderWith(bytes, ReplayHeaderSchema);
}

/** Reads a header of any kind (its `schema`) from `bytes` = header JSON followed by its CRC-32. */
export function decodeHeaderWith<H>(bytes: Uint8Array, schema: z.ZodType<H>): H {
  const n = bytes.length - HEADER_CRC_BYTES;
  const crc = new DataView(bytes.buffer, bytes.byteOffset + n, HEADER_CRC_BYTES).getUint32(0, true);
  return decodeCheckedJson(bytes.subarray(0, n), crc, schema, 'header', PREAMBLE_BYTES);
}
