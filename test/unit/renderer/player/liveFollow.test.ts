/**
 * How a live run's new replay takes over in the player (src/renderer/player/liveFollow.ts): the
 * first one and a view at the newest frame follow the newest; a view elsewhere keeps its time and
 * plays on if it was playing; only the run's own replays hand over, and the finished file ends it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { LiveFollow, liveHandover } from '../../../../src/renderer/player/liveFollow.js';

const bytes = new Uint8Array(
  readFileSync(new URL('../../../../samples/replays/horm-hard-random-seed0.replay', import.meta.url)),
);

describe('liveHandover', () => {
  it("starts a run's first replay at its newest frame, camera and selection reset", () => {
    expect(liveHandover(null, 12)).toEqual({ keepView: false, seekTo: 12, play: false });
  });

  it('follows the newest frame when the view was at the newest', () => {
    const atNewest = { time: 12, frameIndex: 12, lastFrame: 12, playing: false };
    expect(liveHandover(atNewest, 20)).toEqual({ keepView: true, seekTo: 20, play: false });
    // following means following: the view stays at the newest frame rather than playing on
    expect(liveHandover({ ...atNewest, playing: true }, 20)).toEqual({
      keepView: true,
      seekTo: 20,
      play: false,
    });
  });

  it('keeps the time of a view scrubbed back, playing on if it played', () => {
    const back = { time: 5.5, frameIndex: 5, lastFrame: 12, playing: true };
    expect(liveHandover(back, 20)).toEqual({ keepView: true, seekTo: 5.5, play: true });
    expect(liveHandover({ ...back, playing: false }, 20)).toEqual({
      keepView: true,
      seekTo: 5.5,
      play: false,
    });
  });
});

describe('LiveFollow', () => {
  it("hands over only from the run's own replay, and ends with the finished file", () => {
    const live = new LiveFollow();
    const run = live.begin('merge');
    expect(live.isShown(run)).toBe(true);
    const other = new ReplayPlayer(bytes); // what was shown before the run
    const first = new ReplayPlayer(bytes);
    expect(live.takeOver(other, first, false).keepView).toBe(false);
    first.seek(30);
    first.play();
    const second = new ReplayPlayer(bytes);
    expect(live.takeOver(first, second, false)).toEqual({ keepView: true, seekTo: 30, play: true });
    const finished = new ReplayPlayer(bytes);
    expect(live.takeOver(second, finished, true).keepView).toBe(true);
    expect(live.isShown(run)).toBe(false);
  });

  it('stops showing a run when another replay opens, and a new run replaces the old', () => {
    const live = new LiveFollow();
    const run = live.begin('merge');
    live.stop();
    expect(live.isShown(run)).toBe(false);
    const again = live.begin('merge');
    expect(again).not.toBe(run);
    expect(live.isShown(again)).toBe(true);
    expect(live.isShown(run)).toBe(false);
  });
});
