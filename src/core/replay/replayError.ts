/**
 * The one error type of the replay format (say where, what was expected, what was found), and how
 * its messages name a chunk and show bytes. `code` lets callers branch (a player may keep the
 * frames read before a `truncated` error); the message is one line that a CLI prints as is.
 */

/** What kind of problem: the five ways a replay can fail to read. */
export type ReplayErrorCode =
  /** The first 8 bytes are not the replay magic: some other file. */
  | 'wrong-magic'
  /** A format version this build cannot read (a newer writer). */
  | 'unknown-version'
  /** The data ends before the structure it started is complete. */
  | 'truncated'
  /** A checksum, a length or an inflated size does not match. */
  | 'corrupted'
  /** The bytes are intact but a field is out of its range (header or footer schema, bad flags). */
  | 'invalid';

/** Leading words of the message per code. */
const CODE_WORDS: Readonly<Record<ReplayErrorCode, string>> = {
  'wrong-magic': 'not a STEER replay',
  'unknown-version': 'unknown replay format version',
  truncated: 'truncated replay',
  corrupted: 'corrupted replay',
  invalid: 'invalid replay',
};

/** A replay that cannot be read: what went wrong, in which part, at which byte. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';

  constructor(
    readonly code: ReplayErrorCode,
    /** The part being read: "preamble", "header", "chunk 3 (frames 48–63)", "end block", "trailer". */
    readonly section: string,
    /** Byte offset of that part from the start of the file. */
    readonly offset: number,
    /** What was expected and what was found. */
    readonly detail: string,
  ) {
    super(`${CODE_WORDS[code]}: ${section} at byte ${offset}: ${detail}`);
  }
}

/** "chunk 3 (frames 48–63)": how messages name a chunk. */
export function chunkSection(chunk: number, firstFrame: number, frames: number): string {
  return `chunk ${chunk} (frames ${firstFrame}–${firstFrame + frames - 1})`;
}

/** Hex bytes for messages: "89 53 52 50". */
export function hexBytes(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A CRC for messages: "0x1a2b3c4d". */
export function hexCrc(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
