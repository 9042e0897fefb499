/**
 * The 16-byte preamble (layout.ts): magic, format version, flags and the header's length. The
 * magic is checked on a prefix too, so a stream reader refuses another kind of file from its first
 * bytes.
 */
import {
  MAX_JSON_BYTES,
  PREAMBLE_BYTES,
  REPLAY_FORMAT_VERSION,
  REPLAY_MAGIC,
  SUPPORTED_REPLAY_VERSIONS,
} from './layout.js';
import { hexBytes, ReplayError } from './replayError.js';

/**
 * Throws `wrong-magic` unless `bytes` (the start of a file, possibly shorter than the magic)
 * agree with the magic as far as they go.
 */
export function checkMagicPrefix(bytes: Uint8Array): void {
  const n = Math.min(bytes.length, REPLAY_MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== REPLAY_MAGIC[i]) {
      const found = bytes.subarray(0, n);
      const text = Array.from(found, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      throw new ReplayError(
        'wrong-magic',
        'preamble',
        0,
        `expected the magic ${hexBytes(REPLAY_MAGIC)}, found ${hexBytes(found)} ("${text}")`,
      );
    }
  }
}

/** The preamble for a header of `headerBytes` bytes. */
export function encodePreamble(headerBytes: number): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(REPLAY_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, REPLAY_FORMAT_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, headerBytes, true);
  return out;
}

/** Reads the 16-byte preamble: checks magic, version and flags; returns the header length. */
export function decodePreamble(bytes: Uint8Array): {
  readonly version: number;
  readonly headerBytes: number;
} {
  checkMagicPrefix(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES);
  const version = view.getUint16(8, true);
  if (!SUPPORTED_REPLAY_VERSIONS.includes(version)) {
    throw new ReplayError(
      'unknown-version',
      'preamble',
      8,
      `expected format version ${SUPPORTED_REPLAY_VERSIONS.join(' or ')}, found ${version}${version > REPLAY_FORMAT_VERSION ? ' (written by a newer STEER Studio?)' : ''}`,
    );
  }
  const flags = view.getUint16(10, true);
  if (flags !== 0) {
    throw new ReplayError(
      'invalid',
      'preamble',
      10,
      `expected flags 0 in format version ${version}, found ${flags}`,
    );
  }
  const headerBytes = view.getUint32(12, true);
  if (headerBytes < 2 || headerBytes > MAX_JSON_BYTES) {
    throw new ReplayError(
      'corrupted',
      'preamble',
      12,
      `expected a header length in [2, ${MAX_JSON_BYTES}] bytes, found ${headerBytes}`,
    );
  }
  return { version, headerBytes };
}
