/**
 * LiveReplay (src/renderer/playback/liveReplay.ts): a replay received in pieces gives, after each
 * chunk, a complete replay of the frames so far that the player's reader opens with those very
 * frames, and at the end the file itself. Per poll the work does not grow with the frames so far:
 * the snapshot encodes and decodes no frame, and the players that open it (the window's and the
 * renderer worker's, which reuse the previous snapshot's frames) decode only the new chunks. The
 * work is counted at the codec (chunkCodec.ts compressChunk / decodeChunk), not timed.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeReplay, ReplayError, ReplayReader, ReplayWriter } from '../../../../src/core/replay/index.js';
import { LiveReplay } from '../../../../src/renderer/playback/liveReplay.js';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { plainFrame, recordEpisode } from '../../core/replay/fixtures.js';

/** Chunks compressed and decoded so far, by any writer or reader. */
const codec = vi.hoisted(() => ({ compressed: 0, decoded: 0 }));

vi.mock('../../../../src/core/replay/chunkCodec.js', async (importOriginal) => {
  const chunkCodec = await importOriginal<typeof import('../../../../src/core/replay/chunkCodec.js')>();
  return {
    ...chunkCodec,
    compressChunk: (...args: Parameters<typeof chunkCodec.compressChunk>) => {
      codec.compressed++;
      return chunkCodec.compressChunk(...args);
    },
    decodeChunk: (...args: Parameters<typeof chunkCodec.decodeChunk>) => {
      codec.decoded++;
      return chunkCodec.decodeChunk(...args);
    },
  };
});

/** What one step of a poll cost: chunks compressed and decoded while `run` ran. */
async function work(run: () => unknown): Promise<{ compressed: number; decoded: number }> {
  const before = { ...codec };
  await run();
  return { compressed: codec.compressed - before.compressed, decoded: codec.decoded - before.decoded };
}

/**
 * A live stream of `frames` frames as the host sends it (4 frames a chunk, drained after every
 * frame): the frames of a recorded episode over and over.
 */
function liveStream(frames: number): Uint8Array[] {
  const source = decodeReplay(recordEpisode({ density: 2, seed: 7, policy: 'random' }).bytes);
  const writer = new ReplayWriter(source.header, { framesPerChunk: 4 });
  const pieces = [writer.drain()];
  for (let i = 0; i < frames; i++) {
    writer.writeFrame(source.frames[i % source.frames.length]!);
    const piece = writer.drain();
    if (piece.length > 0) pieces.push(piece);
  }
  pieces.push(writer.finish());
  return pieces;
}

describe('LiveReplay', () => {
  it('snapshots the frames so far as a readable replay, and returns the file at the end', () => {
    const episode = recordEpisode({
      density: 2,
      seed: 7,
      policy: 'random',
      writer: { framesPerChunk: 4 },
      drain: true,
    });
    const live = new LiveReplay();
    expect(live.snapshot()).toBeNull();
    const sizes: number[] = [];
    for (const piece of episode.pieces) {
      live.push(piece);
      const snapshot = live.snapshot();
      if (snapshot === null) continue;
      const reader = ReplayReader.open(snapshot);
      expect(reader.frameCount).toBe(live.frameCount);
      expect(reader.header).toEqual(live.header);
      expect(Array.from(reader.frames(), plainFrame)).toEqual(episode.expected.slice(0, live.frameCount));
      // the received bytes as they are, up to the last chunk (the end block follows it)
      const received = snapshot.subarray(0, reader.chunksEnd);
      expect(received.every((byte, i) => byte === episode.bytes[i])).toBe(true);
      sizes.push(reader.frameCount);
    }
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.at(-1)).toBe(episode.expected.length);
    expect(live.bytesReceived).toBe(episode.bytes.length);
    expect(live.finish()).toEqual(episode.bytes);
  });

  it('leaves a chunk received in part out of the snapshot until it is complete', () => {
    const pieces = liveStream(12); // header, then chunks of frames 0–3, 4–7, 8–11
    const live = new LiveReplay();
    live.push(pieces[0]!);
    live.push(pieces[1]!);
    const chunk = pieces[2]!;
    live.push(chunk.subarray(0, chunk.length - 1));
    expect(ReplayReader.open(live.snapshot()!).frameCount).toBe(4);
    live.push(chunk.subarray(chunk.length - 1));
    expect(ReplayReader.open(live.snapshot()!).frameCount).toBe(8);
  });

  it('refuses to finish a file whose end has not arrived', () => {
    const episode = recordEpisode({ density: 1, seed: 1, policy: 'idle', drain: true });
    const live = new LiveReplay();
    live.push(episode.pieces[0]!);
    expect(() => live.finish()).toThrow(ReplayError);
  });

  it('per poll, decodes each new chunk once and encodes nothing, at 8 frames as at 1000', async () => {
    const pieces = liveStream(1000);
    const live = new LiveReplay();
    live.push(pieces[0]!);
    let shown: ReplayPlayer | null = null; // the window's player, following the newest frame
    let drawn: ReplayPlayer | null = null; // the renderer worker's, warmed after each load
    const polls: { frames: number; push: object; snapshot: object; window: object; worker: object }[] = [];
    for (const piece of pieces.slice(1, -1)) {
      const push = await work(() => live.push(piece));
      let snapshot: Uint8Array | null = null;
      const made = await work(() => {
        snapshot = live.snapshot();
      });
      const bytes = snapshot as Uint8Array | null;
      if (bytes === null) throw new Error('expected a snapshot after a chunk');
      const window = await work(() => {
        shown = new ReplayPlayer(bytes, shown);
        shown.seek(shown.lastFrame);
      });
      const worker = await work(() => {
        drawn = new ReplayPlayer(bytes.slice(), drawn); // a copy, as the worker is sent
        drawn.seek(drawn.lastFrame);
        return drawn.warm();
      });
      polls.push({ frames: live.frameCount, push, snapshot: made, window, worker });
    }
    const perPoll = { push: { compressed: 0, decoded: 1 }, snapshot: { compressed: 0, decoded: 0 } };
    const newChunkOnly = { compressed: 0, decoded: 1 };
    for (const poll of [polls[1]!, polls.at(-1)!]) {
      expect(poll).toEqual({ frames: poll.frames, ...perPoll, window: newChunkOnly, worker: newChunkOnly });
    }
    expect([polls[1]!.frames, polls.at(-1)!.frames]).toEqual([8, 1000]);
  });

  it('without the previous player, a worker decodes every chunk so far on each poll (the cost avoided)', async () => {
    const pieces = liveStream(200);
    const live = new LiveReplay();
    for (const piece of pieces.slice(0, -1)) live.push(piece);
    const bytes = live.snapshot()!;
    const cold = await work(() => new ReplayPlayer(bytes).warm());
    expect(cold.decoded).toBe(50);
  });
});
