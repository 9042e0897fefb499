/**
 * The player's loop (src/renderer/player/playbackLoop.ts) driving a real replay with a stand-in
 * scene and a controlled clock: the scene hears of every change of recorded frame, the transport
 * and panels follow it at most 4 times a second while playing and at once otherwise, and every
 * frame's work is timed.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameProbe } from '../../../../src/renderer/perf/frameProbe.js';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { PlaybackLoop } from '../../../../src/renderer/player/playbackLoop.js';
import type { PlayerScene } from '../../../../src/renderer/scene/playerScene.js';

const bytes = new Uint8Array(
  readFileSync(new URL('../../../../samples/replays/horm-hard-random-seed0.replay', import.meta.url)),
);
const FRAME_MS = 1000 / 60;

let clock = 0;
beforeEach(() => {
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A loop over `player` with a scene that only counts, and what the loop showed. */
function setUp(player: ReplayPlayer) {
  const frameChanges: number[] = [];
  const scene = {
    path: 'worker',
    maxFps: null,
    frameChanged: () => frameChanges.push(player.frameIndex),
    render: () => false,
  } as unknown as PlayerScene;
  const shown: { at: number; index: number }[] = [];
  let stopped = 0;
  const probe = new FrameProbe();
  const loop = new PlaybackLoop(scene, probe, { textContent: '' } as HTMLElement, {
    player: () => player,
    showFrame: (_, index) => shown.push({ at: clock, index }),
    showStopped: () => stopped++,
  });
  return { loop, probe, shown, frameChanges, stopped: () => stopped };
}

/** Runs `frames` animation frames of a 60 Hz display. */
function run(loop: PlaybackLoop, frames: number): void {
  for (let i = 0; i < frames; i++) {
    clock += FRAME_MS;
    loop.renderNow(FRAME_MS / 1000);
  }
}

describe('PlaybackLoop', () => {
  it('at 8× tells the scene every recorded frame but rewrites the panels at most 4 times a second', async () => {
    const player = new ReplayPlayer(bytes);
    await player.warm();
    const { loop, probe, shown, frameChanges } = setUp(player);
    loop.renderNow(0); // the first frame of a new replay is shown at once
    expect(shown).toEqual([{ at: 0, index: 0 }]);
    player.speed = 8;
    player.play();
    run(loop, 60 * 2); // 2 s at 8× = 80 recorded frames of 0.2 s
    expect(player.frameIndex).toBe(80);
    expect(frameChanges).toEqual(Array.from({ length: 81 }, (_, i) => i));
    const whilePlaying = shown.slice(1);
    expect(whilePlaying.length).toBeLessThanOrEqual(8);
    expect(whilePlaying.length).toBeGreaterThanOrEqual(7);
    for (let k = 1; k < shown.length; k++)
      expect(shown[k]!.at - shown[k - 1]!.at).toBeGreaterThanOrEqual(250);
    expect(probe.framesRendered).toBe(121);
  });

  it('shows the frame playback stopped at as soon as it stops, and stepped frames at once', async () => {
    const player = new ReplayPlayer(bytes);
    await player.warm();
    const { loop, shown, stopped } = setUp(player);
    loop.renderNow(0);
    player.speed = 8;
    player.play();
    run(loop, 20);
    expect(shown.at(-1)!.index).toBeLessThan(player.frameIndex); // throttled: behind the scene
    player.pause();
    loop.catchUp(player);
    expect(shown.at(-1)).toEqual({ at: clock, index: player.frameIndex });
    const count = shown.length;
    loop.catchUp(player); // nothing stale: nothing rewritten
    expect(shown).toHaveLength(count);
    player.step(1);
    clock += 5;
    loop.renderNow(0);
    expect(shown.at(-1)).toEqual({ at: clock, index: player.frameIndex });
    expect(stopped()).toBeGreaterThan(0);
  });

  it('catches stale panels up on the next frame once playback is paused', async () => {
    const player = new ReplayPlayer(bytes);
    await player.warm();
    const { loop, shown } = setUp(player);
    loop.renderNow(0);
    player.speed = 8;
    player.play();
    run(loop, 20);
    expect(shown.at(-1)!.index).toBeLessThan(player.frameIndex);
    player.pause(); // without catchUp: the loop's next frame does it
    run(loop, 1);
    expect(shown.at(-1)!.index).toBe(player.frameIndex);
  });

  it('shows the last step at once when playback runs to the end', async () => {
    const player = new ReplayPlayer(bytes);
    await player.warm();
    const { loop, shown } = setUp(player);
    player.seek(player.lastFrame - 1);
    loop.renderNow(0);
    player.speed = 8;
    player.play();
    run(loop, 5); // 8× reaches the next (last) frame within 0.025 s
    expect(player.playing).toBe(false);
    expect(shown.at(-1)!.index).toBe(player.lastFrame);
  });

  it('shows the first frame of a new replay even when the frame number is unchanged', () => {
    const player = new ReplayPlayer(bytes);
    const { loop, shown } = setUp(player);
    loop.renderNow(0);
    loop.renderNow(0);
    expect(shown).toHaveLength(1);
    loop.replayChanged();
    loop.renderNow(0);
    expect(shown).toHaveLength(2);
  });
});
