/**
 * The player's playback model (src/renderer/playback/replayPlayer.ts) on the bundled sample:
 * interpolated poses lie between the recorded frames, time follows the speed, seek/step/play stop
 * where they should, ranks and running returns match the recorded frames, a warmed player
 * plays without allocating frame views, and a player on a longer version of a replay (a live
 * run's next snapshot) takes the frames it shares from the previous player instead of decoding them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeReplay,
  encodeEndSoFar,
  NO_RANK,
  ReplayStreamReader,
} from '../../../../src/core/replay/index.js';
import { angleDelta, PLAYBACK_SPEEDS, ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import { concat } from '../../core/replay/fixtures.js';

const SAMPLE = new URL('../../../../samples/replays/horm-hard-random-seed0.replay', import.meta.url);
const bytes = new Uint8Array(readFileSync(SAMPLE));
const decoded = decodeReplay(bytes);

describe('ReplayPlayer', () => {
  it('opens at frame 0 with the recorded poses', () => {
    const player = new ReplayPlayer(bytes);
    expect(player.frameCount).toBe(101);
    expect(player.lastFrame).toBe(100);
    expect(player.frameIndex).toBe(0);
    const f0 = decoded.frames[0]!;
    expect(player.poses.count).toBe(f0.vehicleCount);
    expect(Array.from(player.poses.x.subarray(0, f0.vehicleCount))).toEqual(Array.from(f0.x));
    expect(Array.from(player.poses.heading.subarray(0, f0.vehicleCount))).toEqual(Array.from(f0.heading));
  });

  it('interpolates linearly between two recorded frames (half way = the midpoint)', () => {
    const player = new ReplayPlayer(bytes);
    player.seek(10.5);
    expect(player.frameIndex).toBe(10);
    const a = decoded.frames[10]!;
    const b = decoded.frames[11]!;
    for (let i = 0; i < a.vehicleCount; i++) {
      expect(player.poses.x[i]).toBeCloseTo((a.x[i]! + b.x[i]!) / 2, 3);
      expect(player.poses.y[i]).toBeCloseTo((a.y[i]! + b.y[i]!) / 2, 3);
      expect(player.poses.heading[i]).toBeCloseTo(
        a.heading[i]! + angleDelta(a.heading[i]!, b.heading[i]!) / 2,
        5,
      );
    }
  });

  it('turns headings the short way round', () => {
    expect(angleDelta(3.1, -3.1)).toBeCloseTo(2 * Math.PI - 6.2, 10);
    expect(angleDelta(-3.1, 3.1)).toBeCloseTo(-(2 * Math.PI - 6.2), 10);
    expect(angleDelta(0.2, 0.5)).toBeCloseTo(0.3, 10);
  });

  it('advances step_s per recorded frame at 1×, eight times faster at 8×, and stops at the end', () => {
    const player = new ReplayPlayer(bytes);
    const stepS = player.header.stepS;
    player.advance(1); // paused: nothing moves
    expect(player.time).toBe(0);
    player.play();
    player.advance(stepS * 3);
    expect(player.time).toBeCloseTo(3, 9);
    player.speed = 8;
    player.advance(stepS);
    expect(player.time).toBeCloseTo(11, 9);
    player.advance(1000);
    expect(player.time).toBe(100);
    expect(player.playing).toBe(false);
    player.play(); // at the end: play starts over
    expect(player.time).toBe(0);
    expect(player.playing).toBe(true);
  });

  it('offers 0.25× to 8× and refuses other speeds', () => {
    const player = new ReplayPlayer(bytes);
    expect(PLAYBACK_SPEEDS).toEqual([0.25, 0.5, 1, 2, 4, 8]);
    for (const speed of PLAYBACK_SPEEDS) player.speed = speed;
    expect(() => {
      player.speed = 16;
    }).toThrow(/expected 0.25–8×, received 16/);
  });

  it('steps by whole frames, pausing, and clamps seek to the replay', () => {
    const player = new ReplayPlayer(bytes);
    player.play();
    player.seek(41.7);
    player.step(1);
    expect(player.time).toBe(42);
    expect(player.playing).toBe(false);
    player.step(-3);
    expect(player.time).toBe(39);
    player.seek(-5);
    expect(player.time).toBe(0);
    player.seek(1e9);
    expect(player.time).toBe(100);
    player.seek(Number.NaN);
    expect(player.time).toBe(0);
  });

  it('shows the last decision’s ranks on the terminal frame, which records none', () => {
    const player = new ReplayPlayer(bytes);
    const last = decoded.frames[100]!;
    expect(Array.from(last.rank)).toEqual(new Array(player.header.agents).fill(NO_RANK));
    for (let j = 0; j < player.header.agents; j++) {
      expect(player.rankAt(100, j)).toBe(decoded.frames[99]!.rank[j]);
      expect(player.rankAt(5, j)).toBe(decoded.frames[5]!.rank[j]);
    }
  });

  it('keeps running returns that end at the summary returns', async () => {
    const player = new ReplayPlayer(bytes);
    expect(player.returnBefore(50, 0)).toBeNaN(); // not warmed yet
    await player.warm();
    for (let j = 0; j < player.header.agents; j++) {
      expect(player.returnBefore(0, j)).toBe(0);
      expect(player.returnBefore(100, j)).toBeCloseTo(decoded.footer.summary.returns[j]!, 9);
      expect(player.returnBefore(2, j)).toBeCloseTo(
        decoded.frames[0]!.reward[j]! + decoded.frames[1]!.reward[j]!,
        12,
      );
    }
  });

  it('plays without building new frame views once warmed (the per-frame path allocates none)', async () => {
    const player = new ReplayPlayer(bytes);
    await player.warm();
    const views = Array.from({ length: player.frameCount }, (_, i) => player.frame(i));
    player.play();
    player.speed = 8;
    for (let k = 0; k < 400 && player.playing; k++) player.advance(1 / 60);
    for (let i = 0; i < player.frameCount; i++) expect(player.frame(i)).toBe(views[i]);
  });

  it('takes the frames a longer version of its replay shares from the previous player, and no others', async () => {
    // The sample up to its third chunk, closed: what a live run shows before the rest arrives.
    const reader = new ReplayStreamReader();
    reader.push(bytes.subarray(0, decoded.footer.chunks[3]![0]));
    const shorter = new ReplayPlayer(concat([bytes.subarray(0, reader.chunksEnd), encodeEndSoFar(reader)]));
    await shorter.warm();
    expect(shorter.frameCount).toBe(48);
    const longer = new ReplayPlayer(bytes, shorter);
    for (const i of [0, 20, 47]) expect(longer.frame(i)).toBe(shorter.frame(i)); // not decoded again
    expect(Array.from(longer.frame(60).x)).toEqual(Array.from(decoded.frames[60]!.x));
    // Another replay, or these bytes changed after the header (a value in chunk 2), share nothing.
    const other = new Uint8Array(readFileSync(new URL('horm-hard-random-seed4.replay', SAMPLE)));
    const changed = bytes.slice();
    changed[decoded.footer.chunks[2]![0] + 30]! ^= 1;
    for (const version of [other, changed]) {
      expect(new ReplayPlayer(version, shorter).frame(0)).not.toBe(shorter.frame(0));
    }
  });

  it('refuses bytes that are not a replay, with the reader’s message', () => {
    expect(() => new ReplayPlayer(new TextEncoder().encode('{"not": "a replay"}'))).toThrow(
      /not a STEER replay/,
    );
  });
});
