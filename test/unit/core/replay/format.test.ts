/**
 * The byte format: checksums, the header schema, and a clear ReplayError for every way a file can
 * be bad — wrong magic, unknown version, truncated anywhere, corrupted anywhere.
 */
import { describe, expect, it } from 'vitest';
import {
  crc32,
  decodeReplay,
  PREAMBLE_BYTES,
  REPLAY_MAGIC,
  ReplayError,
  type ReplayErrorCode,
  type ReplayHeader,
  ReplayReader,
  ReplayStreamReader,
  ReplayWriter,
} from '../../../../src/core/replay/index.js';
import { recordEpisode } from './fixtures.js';

/** The ReplayError `run` throws (fails the test if it throws something else or nothing). */
function replayError(run: () => unknown): ReplayError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReplayError) return error;
    throw new Error(`expected a ReplayError, received ${String(error)}`);
  }
  throw new Error('expected a ReplayError, nothing was thrown');
}

/** Reads every frame through random access, so every chunk is checked. */
function readAll(bytes: Uint8Array): void {
  const reader = ReplayReader.open(bytes);
  for (const _frame of reader.frames()) {
    // decoding is the check
  }
}

/** Both whole-file readers fail with the same code. */
function expectBoth(bytes: Uint8Array, code: ReplayErrorCode): [ReplayError, ReplayError] {
  const streamed = replayError(() => decodeReplay(bytes));
  const random = replayError(() => readAll(bytes));
  expect([streamed.code, random.code]).toEqual([code, code]);
  return [streamed, random];
}

/** The byte offset of each chunk (from the footer index) and of the end block. */
function layout(bytes: Uint8Array) {
  const reader = ReplayReader.open(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const endOffset = view.getUint32(bytes.length - 8, true);
  const headerBytes = view.getUint32(12, true);
  return { chunks: reader.footer.chunks, endOffset, headerBytes };
}

const episode = recordEpisode({ density: 3, seed: 5, policy: 'random' }); // 36 frames, 3 chunks
const bytes = episode.bytes;

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('replay format errors', () => {
  it('another kind of file: wrong magic, even from its first bytes', () => {
    const json = new TextEncoder().encode('{"version": 1, "name": "HORM easy"}');
    const [streamed] = expectBoth(json, 'wrong-magic');
    expect(streamed.message).toBe(
      'not a STEER replay: preamble at byte 0: expected the magic 89 53 52 50 0d 0a 1a 0a, found 7b 22 76 65 72 73 69 6f ("{"versio")',
    );
    // The incremental reader refuses on the first byte, without waiting for 16.
    expect(replayError(() => new ReplayStreamReader().push(json.subarray(0, 1))).code).toBe('wrong-magic');
    // A file whose magic lost its CR (newline conversion) is caught too.
    const converted = new Uint8Array([...bytes.subarray(0, 4), ...bytes.subarray(5)]);
    expect(replayError(() => decodeReplay(converted)).code).toBe('wrong-magic');
  });

  it('a newer format version: unknown-version, naming both versions', () => {
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(8, 3, true);
    const [streamed, random] = expectBoth(newer, 'unknown-version');
    expect(streamed.message).toBe(
      'unknown replay format version: preamble at byte 8: expected format version 1, found 3 (written by a newer STEER Studio?)',
    );
    expect(random.message).toBe(streamed.message);
  });

  it("version 2 (a MuJoCo replay's) read as HORM: unknown-version, naming both kinds", () => {
    const mujoco = bytes.slice();
    new DataView(mujoco.buffer).setUint16(8, 2, true);
    const [streamed, random] = expectBoth(mujoco, 'unknown-version');
    expect(streamed.message).toBe(
      'unknown replay format version: preamble at byte 8: expected format version 1 (a HORM replay), found 2 (a MuJoCo replay)',
    );
    expect(random.message).toBe(streamed.message);
  });

  it('every cut-short prefix is truncated, and says where', () => {
    for (let length = 0; length < bytes.length; length++) {
      expectBoth(bytes.subarray(0, length), 'truncated');
    }
  });

  it('truncation messages name the part that was cut', () => {
    const { chunks, endOffset, headerBytes } = layout(bytes);
    const cut = (length: number) => replayError(() => decodeReplay(bytes.subarray(0, length))).message;
    expect(cut(0)).toBe('truncated replay: preamble at byte 0: expected 16 bytes, found an empty file');
    expect(cut(10)).toBe(
      'truncated replay: preamble at byte 0: expected 16 bytes (magic, version, flags, header length), found 10 before the end of the data',
    );
    expect(cut(PREAMBLE_BYTES + 5)).toBe(
      `truncated replay: header at byte 16: expected ${headerBytes + 4} bytes (header JSON and its CRC-32), found 5 before the end of the data`,
    );
    const [second, first, frames] = chunks[1]!;
    expect(cut(second + 30)).toMatch(
      new RegExp(
        `^truncated replay: chunk 1 \\(frames ${first}–${first + frames - 1}\\) at byte ${second}: expected \\d+ bytes of compressed frames after the block header, found 10 before the end of the data$`,
      ),
    );
    expect(cut(endOffset)).toBe(
      `truncated replay: after frame 35 at byte ${endOffset}: expected another chunk or the end block, found the end of the data (recording not finished?)`,
    );
    expect(replayError(() => ReplayReader.open(bytes.subarray(0, endOffset))).message).toMatch(
      /^truncated replay: trailer at byte \d+: expected the end tag 53 52 50 45 \("SRPE"\), found .* \(file cut short\?\)$/,
    );
  });

  it('every flipped byte is caught as a ReplayError, never garbage frames', () => {
    for (let at = 0; at < bytes.length; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x10;
      replayError(() => decodeReplay(damaged));
      replayError(() => readAll(damaged));
    }
  });

  it('a damaged chunk, header or footer is corrupted, with expected and found CRC', () => {
    const { chunks, endOffset } = layout(bytes);
    const [offset, first, frames] = chunks[2]!;
    const chunk = bytes.slice();
    chunk[offset + 20 + 7]! ^= 0xff; // inside the compressed frames
    const [streamed, random] = expectBoth(chunk, 'corrupted');
    const expected = new RegExp(
      `^corrupted replay: chunk 2 \\(frames ${first}–${first + frames - 1}\\) at byte ${offset}: CRC-32 expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}$`,
    );
    expect(streamed.message).toMatch(expected);
    expect(random.message).toMatch(expected);
    // Random access still reads the frames of the intact chunks.
    const reader = ReplayReader.open(chunk);
    expect(reader.frame(0).index).toBe(0);
    expect(() => reader.frame(first)).toThrow(ReplayError);

    const header = bytes.slice();
    header[PREAMBLE_BYTES + 3]! ^= 0x01;
    expect(expectBoth(header, 'corrupted')[0].message).toMatch(
      /^corrupted replay: header at byte 16: CRC-32 expected/,
    );

    const footer = bytes.slice();
    footer[endOffset + 20 + 5]! ^= 0x01;
    expect(expectBoth(footer, 'corrupted')[0].message).toMatch(
      new RegExp(`^corrupted replay: end block at byte ${endOffset}: CRC-32 expected`),
    );
  });

  it('bytes after the trailer are refused', () => {
    const longer = new Uint8Array([...bytes, 0]);
    expect(replayError(() => decodeReplay(longer)).message).toMatch(
      /^corrupted replay: trailer at byte \d+: expected the end of the data after the trailer, found 1 more bytes$/,
    );
  });
});

describe('ReplayWriter', () => {
  const header: ReplayHeader = ReplayReader.open(bytes).header;

  it('validates the header and names the field', () => {
    const bad = { ...header, agents: 0, scenario: { ...header.scenario, name: '' } };
    const error = replayError(() => new ReplayWriter(bad));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/^invalid replay: header at byte 16: scenario\.name: .*; agents: /);
  });

  it('refuses values the format cannot hold, naming frame, vehicle or agent', () => {
    const writer = new ReplayWriter(header);
    const frame = { ...ReplayReader.open(bytes).frame(0) };
    expect(() => writer.writeFrame({ ...frame, vehicleCount: 3 })).toThrow(
      'ReplayWriter.writeFrame: frame 0: vehicleCount expected an integer in [4, 65535], received 3',
    );
    expect(() => writer.writeFrame({ ...frame, proposed: [1, 1, 9, 1] })).toThrow(
      'ReplayWriter.writeFrame: frame 0: agent 2: proposed action expected 0..4, received 9',
    );
    expect(() => writer.writeFrame({ ...frame, lane: [0, 0, 6, 0, 0, 0, 0, 0] })).toThrow(
      'ReplayWriter.writeFrame: frame 0: vehicle 2: lane expected 0..5 or 255, received 6',
    );
    writer.writeFrame(frame);
    expect(writer.frameCount).toBe(1);
  });

  it('starts a new chunk when the vehicle count changes', () => {
    const writer = new ReplayWriter(header, { framesPerChunk: 4 });
    const source = ReplayReader.open(bytes);
    const written = [0, 1, 2, 3, 4, 5].map((i) => {
      const frame = source.frame(i);
      return { ...frame, vehicleCount: i < 3 ? frame.vehicleCount : 5 }; // the first 5 vehicles only
    });
    for (const frame of written) writer.writeFrame(frame);
    const replay = decodeReplay(writer.finish());
    expect(replay.footer.chunks.map(([, first, frames]) => [first, frames])).toEqual([
      [0, 3],
      [3, 3],
    ]);
    expect(replay.frames.map((f) => f.vehicleCount)).toEqual([8, 8, 8, 5, 5, 5]);
    expect(Array.from(replay.frames[4]!.x)).toEqual(Array.from(source.frame(4).x.subarray(0, 5)));
    expect(replay.footer.summary.maxVehicles).toBe(8);
  });

  it('an empty recording (header only) is a valid file with no frames', () => {
    const empty = new ReplayWriter(header).finish();
    const replay = decodeReplay(empty);
    expect(replay.frames).toEqual([]);
    expect(replay.footer.summary).toMatchObject({ steps: 0, crashFrame: null, returns: [0, 0, 0, 0] });
    expect(ReplayReader.open(empty).frameCount).toBe(0);
    expect(Array.from(empty.subarray(0, 8))).toEqual(Array.from(REPLAY_MAGIC));
  });
});
