/**
 * encodeEndSoFar (src/core/replay/endSoFar.ts): a replay received up to any byte, cut after its
 * last complete chunk and closed with the end built from the stream reader, is byte for byte the
 * file a writer finishing after the frames read would write, and the random-access reader reads
 * exactly those frames from it; once the file's own end has been read, it is that end.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeReplay,
  encodeEndSoFar,
  footerSoFar,
  type ReplayFrame,
  type ReplayHeader,
  ReplayReader,
  ReplayStreamReader,
  ReplayWriter,
} from '../../../../src/core/replay/index.js';
import { concat, plainFrame, recordEpisode } from './fixtures.js';

/**
 * The stream reader after `bytes`' first `cut` bytes, pushed in pieces of `piece` bytes, and those
 * bytes closed (null before the header, where there is nothing to close).
 */
function readUpTo(bytes: Uint8Array, cut: number, piece = 97) {
  const reader = new ReplayStreamReader();
  const frames: ReplayFrame[] = [];
  for (let at = 0; at < cut; at += piece) {
    frames.push(...reader.push(bytes.subarray(at, Math.min(at + piece, cut))));
  }
  const closed =
    reader.header === null ? null : concat([bytes.subarray(0, reader.chunksEnd), encodeEndSoFar(reader)]);
  return { reader, frames, closed };
}

/** The file a writer with `framesPerChunk` writes for exactly `frames`. */
function written(header: ReplayHeader, frames: readonly ReplayFrame[], framesPerChunk: number): Uint8Array {
  const writer = new ReplayWriter(header, { framesPerChunk });
  for (const frame of frames) writer.writeFrame(frame);
  return writer.finish();
}

/** Cuts around every block boundary (in a block header, in a chunk, right after one) and every 149th byte. */
function cuts(bytes: Uint8Array): number[] {
  const { footer, chunksEnd } = ReplayReader.open(bytes);
  const at = new Set<number>();
  for (const boundary of [...footer.chunks.map(([offset]) => offset), chunksEnd, bytes.length]) {
    for (const delta of [-1, 0, 1, 20, 21]) at.add(Math.min(Math.max(boundary + delta, 0), bytes.length));
  }
  for (let cut = 0; cut <= bytes.length; cut += 149) at.add(cut);
  return [...at].sort((a, b) => a - b);
}

/** Recorded episodes with several chunkings, a crash, and a chunk cut short by a vehicle count change. */
function files(): { name: string; bytes: Uint8Array; framesPerChunk: number }[] {
  // 36 frames, agents 1 and 2 crash at frame 35; 101 frames of IDLE
  const random = recordEpisode({ density: 3, seed: 5, policy: 'random', writer: { framesPerChunk: 4 } });
  const idle = recordEpisode({ density: 1, seed: 1, policy: 'idle' });
  const source = decodeReplay(random.bytes);
  // The first 5 vehicles from frame 6 on: the 16-frame chunk holding frames 0–5 ends early.
  const fewer = source.frames.map((frame, i) => ({ ...frame, vehicleCount: i < 6 ? frame.vehicleCount : 5 }));
  return [
    { name: 'a crash, 4 frames a chunk', bytes: random.bytes, framesPerChunk: 4 },
    { name: '100 steps, 16 frames a chunk', bytes: idle.bytes, framesPerChunk: 16 },
    { name: 'a vehicle count change', bytes: written(source.header, fewer, 16), framesPerChunk: 16 },
  ];
}

const FILES = files();

describe('encodeEndSoFar', () => {
  for (const { name, bytes, framesPerChunk } of FILES) {
    it(`closes any prefix as the file a writer of its frames makes (${name})`, () => {
      const header = ReplayReader.open(bytes).header;
      const finished = decodeReplay(bytes);
      let closedPrefixes = 0;
      for (const cut of cuts(bytes)) {
        const { reader, frames, closed } = readUpTo(bytes, cut);
        if (closed === null) {
          expect(() => encodeEndSoFar(reader)).toThrow('expected a reader past the replay header');
          continue;
        }
        closedPrefixes++;
        // The received bytes up to the last chunk are the file's; the end is a writer's.
        expect(closed).toEqual(written(header, frames, framesPerChunk));
        const opened = ReplayReader.open(closed);
        expect(opened.frameCount).toBe(frames.length);
        expect(Array.from(opened.frames(), plainFrame)).toEqual(
          finished.frames.slice(0, frames.length).map(plainFrame),
        );
        expect(decodeReplay(closed).footer).toEqual(footerSoFar(reader));
      }
      expect(closedPrefixes).toBeGreaterThan(10);
    });
  }

  it('after the whole file, is the file’s own end', () => {
    for (const { bytes } of FILES) {
      const { reader, closed } = readUpTo(bytes, bytes.length);
      expect(reader.chunksEnd).toBe(ReplayReader.open(bytes).chunksEnd);
      expect(closed).toEqual(bytes);
      expect(footerSoFar(reader)).toEqual(reader.end());
    }
  });

  it('with the header only, is an empty recording', () => {
    const { bytes } = FILES[0]!;
    const header = ReplayReader.open(bytes).header;
    const { reader, closed } = readUpTo(bytes, ReplayReader.open(bytes).footer.chunks[0]![0]);
    expect(reader.framesRead).toBe(0);
    expect(closed).toEqual(new ReplayWriter(header).finish());
    expect(ReplayReader.open(closed!).frameCount).toBe(0);
  });
});
