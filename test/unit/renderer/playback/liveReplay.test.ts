/**
 * LiveReplay (src/renderer/playback/liveReplay.ts): a replay received in pieces gives, after each
 * chunk, a complete replay of the frames so far that the player's reader opens with those very
 * frames, and at the end the file itself.
 */
import { describe, expect, it } from 'vitest';
import { ReplayError, ReplayReader } from '../../../../src/core/replay/index.js';
import { LiveReplay } from '../../../../src/renderer/playback/liveReplay.js';
import { plainFrame, recordEpisode } from '../../core/replay/fixtures.js';

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
      sizes.push(reader.frameCount);
    }
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.at(-1)).toBe(episode.expected.length);
    expect(live.bytesReceived).toBe(episode.bytes.length);
    expect(live.finish()).toEqual(episode.bytes);
  });

  it('refuses to finish a file whose end has not arrived', () => {
    const episode = recordEpisode({ density: 1, seed: 1, policy: 'idle', drain: true });
    const live = new LiveReplay();
    live.push(episode.pieces[0]!);
    expect(() => live.finish()).toThrow(ReplayError);
  });
});
