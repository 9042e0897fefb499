/**
 * The replay file format (docs/replays.md): one recorded episode as
 *
 *   preamble   16 bytes   magic 89 53 52 50 0D 0A 1A 0A ("\x89SRP\r\n\x1A\n"), u16 format version,
 *                         u16 flags (0), u32 header length H
 *   header     H + 4      UTF-8 JSON (ReplayHeaderSchema), then its u32 CRC-32
 *   chunk*     20 + C     block header (type 'F', frame count K, first frame, vehicle count V,
 *                         compressed length C, CRC-32 of those C bytes), then K frames as one raw
 *                         DEFLATE stream of columns (CHUNK_COLUMNS)
 *   end block  20 + J     block header (type 'E', frame count, footer length J, CRC-32), then the
 *                         footer JSON (ReplayFooterSchema: chunk index and episode summary)
 *   trailer    8 bytes    u32 offset of the end block, "SRPE"
 *
 * This file holds the constants of that layout. Each part has a file of its own: preamble.ts,
 * header.ts, blockHeader.ts (the 20 bytes before a chunk or a footer), chunkCodec.ts and columns.ts
 * (a chunk's frames), endBlock.ts, trailer.ts; checkedJson.ts checks the JSON parts, schemas.ts
 * holds their schemas, frame.ts says what a frame means.
 *
 * All integers are little-endian. Chunks are independent DEFLATE streams, so a reader can stream
 * the file front to back (frames arrive a chunk at a time) or, given the whole file, jump from the
 * trailer to the index to any chunk. Magic in PNG style: the high byte catches 7-bit transfers,
 * CR LF catches newline conversion, 0x1A stops `type` on Windows.
 *
 * Version 1 holds a HORM episode (vehicles per frame); version 2 a MuJoCo episode (body poses per
 * frame) in the same container: preamble, header, chunks, end block and trailer are laid out alike,
 * only the header's schema and a chunk's columns differ (mujocoSchemas.ts, mujocoColumns.ts).
 *
 * The format code is platform-free: bytes in, bytes out.
 */

/** First 8 bytes of every replay file. */
export const REPLAY_MAGIC: Readonly<Uint8Array> = Uint8Array.of(
  0x89,
  0x53,
  0x52,
  0x50,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
);
/** Format version of HORM replays (vehicle frames): the layout above, unchanged since the first release. */
export const HORM_REPLAY_VERSION = 1;
/**
 * Format version of MuJoCo replays (body frames, docs/replays.md "MuJoCo replays"): the same
 * container with another header (mujocoSchemas.ts) and other chunk columns (mujocoColumns.ts).
 */
export const MUJOCO_REPLAY_VERSION = 2;
/** Format version this build writes for HORM episodes (MuJoCo episodes: MUJOCO_REPLAY_VERSION). */
export const REPLAY_FORMAT_VERSION = HORM_REPLAY_VERSION;
/** Format versions this build reads. */
export const SUPPORTED_REPLAY_VERSIONS: readonly number[] = [HORM_REPLAY_VERSION, MUJOCO_REPLAY_VERSION];
/** What each version holds, for messages. */
export const REPLAY_VERSION_KINDS: Readonly<Record<number, string>> = {
  [HORM_REPLAY_VERSION]: 'a HORM replay',
  [MUJOCO_REPLAY_VERSION]: 'a MuJoCo replay',
};
/** File name extension of replays. */
export const REPLAY_FILE_EXTENSION = '.replay';

/** Bytes of the preamble: magic, version, flags, header length. */
export const PREAMBLE_BYTES = 16;
/** Bytes of the CRC-32 after the header JSON. */
export const HEADER_CRC_BYTES = 4;
/** Bytes of a block header (chunk or end block). */
export const BLOCK_HEADER_BYTES = 20;
/** Bytes of the trailer: end-block offset and the end tag. */
export const TRAILER_BYTES = 8;
/** Last 4 bytes of a finished replay. */
export const TRAILER_TAG: Readonly<Uint8Array> = Uint8Array.of(0x53, 0x52, 0x50, 0x45); // "SRPE"

/** Block type byte of a chunk of frames ('F'). */
export const BLOCK_FRAMES = 0x46;
/** Block type byte of the end block ('E'). */
export const BLOCK_END = 0x45;

/** Action byte of "no action" (the terminal frame). */
export const NO_ACTION = -1;
/** Rank byte of "no rank" (the terminal frame). */
export const NO_RANK = 255;
/** Lane byte of "no lane". */
export const NO_LANE = 255;
/** Frame flag: the frame carries a decision (all frames but the terminal one). */
export const FRAME_DECISION = 1;

/** Most agents a replay holds (ranks are bytes and 255 means none). */
export const MAX_AGENTS = 254;
/** Most vehicles per frame (a u16 in the block header). */
export const MAX_VEHICLES = 0xffff;
/** Most frames per chunk (a u16 in the block header). */
export const MAX_CHUNK_FRAMES = 0xffff;
/** Largest header or footer JSON [bytes]; a bigger length field means a damaged file. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Largest inflated chunk [bytes]; keeps a damaged length field from allocating gigabytes. */
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
