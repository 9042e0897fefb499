/**
 * The 16-byte preamble (layout.ts): magic, format version, flags and the header's length. The
 * magic is checked on a prefix too, so a stream reader refuses another kind of file from its first
 * bytes.
 */
import {
  HORM_REPLAY_VERSION,
  MAX_JSON_BYTES,
  PREAMBLE_BYTES,
  REPLAY_MAGIC,
  REPLAY_VERSION_KINDS,
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

/** The preamble of a format `version` file (default HORM's) for a header of `headerBytes` bytes. */
export function encodePreamble(headerBytes: number, version = HORM_REPLAY_VERSION): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(REPLAY_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, version, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, headerBytes, true);
  return out;
}

/** The format version of a file starting with `bytes` (at least the preamble), magic checked. */
export function peekReplayVersion(bytes: Uint8Array): number {
  checkMagicPrefix(bytes);
  if (bytes.length < PREAMBLE_BYTES) {
    throw new ReplayError(
      'truncated',
      'preamble',
      0,
      `expected ${PREAMBLE_BYTES} bytes, found ${bytes.length}`,
    );
  }
  return new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES).getUint16(8, true);
}

/**
 * Reads the 16-byte preamble: checks magic, version and flags; returns the header length.
 * `accepted`: the versions the caller reads (default HORM's); another version this build knows
 * (a MuJoCo replay for a HORM reader) is refused naming both kinds.
 */
export function decodePreamble(
  bytes: Uint8Array,
  accepted: readonly number[] = [HORM_REPLAY_VERSION],
): {
  readonly version: number;
  readonly headerBytes: number;
} {
  checkMagicPrefix(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES);
  const version = view.getUint16(8, true);
  if (!accepted.includes(version)) {
    const expected = `expected format version ${accepted.join(' or ')}`;
    const kind = REPLAY_VERSION_KINDS[version];
    const newest = Math.max(...SUPPORTED_REPLAY_VERSIONS);
    throw new ReplayError(
      'unknown-version',
      'preamble',
      8,
      kind !== undefined
        ? `${expected} (${accepted.map((v) => REPLAY_VERSION_KINDS[v]).join(' or ')}), found ${version} (${kind})`
        : `${expected}, found ${version}${version > newest ? ' (written by a newer STEER Studio?)' : ''}`,
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
