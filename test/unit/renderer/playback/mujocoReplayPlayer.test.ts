/**
 * MujocoReplayPlayer (src/renderer/playback/mujocoReplayPlayer.ts): the shared clock over a MuJoCo
 * replay, body poses interpolated between frames (positions linearly, orientations normalised and
 * the short way round), the running return, and openReplayPlayer telling the kinds apart.
 */
import { describe, expect, it } from 'vitest';
import { MujocoReplayPlayer } from '../../../../src/renderer/playback/mujocoReplayPlayer.js';
import { openReplayPlayer } from '../../../../src/renderer/playback/openReplayPlayer.js';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { recordEpisode } from '../../core/replay/fixtures.js';
import { syntheticFrames, syntheticReplay } from '../../core/replay/mujocoFixtures.js';

const bytes = syntheticReplay(10, 4);
const written = syntheticFrames(10);

describe('MujocoReplayPlayer', () => {
  it('opens at frame 0 with its poses, and scrubbing to a frame shows that frame', () => {
    const player = new MujocoReplayPlayer(bytes);
    expect([player.kind, player.frameCount, player.lastFrame, player.stepSeconds]).toEqual([
      'mujoco',
      10,
      9,
      0.05,
    ]);
    expect(Array.from(player.poses.position)).toEqual(Array.from(written[0]!.position, Math.fround));
    player.seek(7);
    expect(Array.from(player.poses.position)).toEqual(Array.from(written[7]!.position, Math.fround));
    expect(player.current.index).toBe(7);
    expect(player.seconds).toBeCloseTo(0.35, 12);
  });

  it('blends halfway between frames: positions midway, orientations unit length between the two', () => {
    const player = new MujocoReplayPlayer(bytes);
    player.seek(2.5);
    const a = player.frame(2);
    const b = player.frame(3);
    player.poses.position.forEach((p, k) => {
      expect(p).toBeCloseTo((a.position[k]! + b.position[k]!) / 2, 5);
    });
    for (let body = 0; body < 3; body++) {
      const q = player.poses.quaternion.subarray(4 * body, 4 * body + 4);
      expect(Math.hypot(...q)).toBeCloseTo(1, 6);
      // about y: the blended angle lies between the two frames' angles
      const angle = (quat: ArrayLike<number>) => 2 * Math.atan2(quat[2]!, quat[0]!);
      const [lo, hi] = [angle(a.quaternion.subarray(4 * body)), angle(b.quaternion.subarray(4 * body))].sort(
        (x, y) => x - y,
      );
      expect(angle(q)).toBeGreaterThanOrEqual(lo! - 1e-6);
      expect(angle(q)).toBeLessThanOrEqual(hi! + 1e-6);
    }
  });

  it('plays to the end at its speed, and knows the return before each frame once warm', async () => {
    const player = new MujocoReplayPlayer(bytes);
    expect(player.returnBefore(5)).toBeNaN();
    await player.warm();
    const rewards = written.map((f) => (f.decision ? f.reward : 0));
    expect(player.returnBefore(0)).toBe(0);
    expect(player.returnBefore(5)).toBeCloseTo(
      rewards.slice(0, 5).reduce((x, y) => x + y, 0),
      12,
    );
    player.speed = 2;
    player.play();
    player.advance(0.05); // 0.05 s at 2× = 2 frames
    expect(player.time).toBeCloseTo(2, 12);
    player.advance(10);
    expect([player.time, player.playing]).toEqual([9, false]);
  });

  it('openReplayPlayer opens either kind', () => {
    expect(openReplayPlayer(bytes)).toBeInstanceOf(MujocoReplayPlayer);
    const horm = recordEpisode({ density: 1, seed: 3, policy: 'idle' }).bytes;
    const player = openReplayPlayer(horm);
    expect(player).toBeInstanceOf(ReplayPlayer);
    expect(player.kind).toBe('horm');
  });
});
