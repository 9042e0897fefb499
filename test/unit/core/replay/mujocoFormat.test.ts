/**
 * MuJoCo replays (format version 2, docs/replays.md "MuJoCo replays"): a round trip through both
 * readers, the header's validation naming the field, HORM files (new and the committed samples)
 * still read as before while each kind's reader refuses the other kind, and a ReplayError for every
 * cut-short prefix and every flipped byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeMujocoReplay,
  decodeReplay,
  MUJOCO_REPLAY_VERSION,
  type MujocoReplayHeader,
  MujocoReplayReader,
  MujocoReplayWriter,
  ReplayError,
  ReplayReader,
  replayKindOf,
} from '../../../../src/core/replay/index.js';
import { recordEpisode } from './fixtures.js';
import { plainMujocoFrame, syntheticFrames, syntheticHeader, syntheticReplay } from './mujocoFixtures.js';

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

/** The writer's error for `header` with `change` applied. */
function headerError(change: (header: MujocoReplayHeader) => unknown): ReplayError {
  const header = syntheticHeader();
  change(header);
  return replayError(() => new MujocoReplayWriter(header));
}

const bytes = syntheticReplay(10, 4); // 3 chunks: 4 + 4 + 2 frames

describe('MuJoCo replay round trip', () => {
  it('reads back every frame, the header and the summary, as a whole file and by random access', () => {
    const written = syntheticFrames(10);
    const decoded = decodeMujocoReplay(bytes);
    expect(decoded.formatVersion).toBe(MUJOCO_REPLAY_VERSION);
    expect(decoded.header).toEqual(syntheticHeader());
    expect(decoded.frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(decoded.frames.map(plainMujocoFrame)).toEqual(written.map(plainMujocoFrame));
    expect(decoded.footer.chunks.map(([, first, frames]) => [first, frames])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    const rewards = written.filter((f) => f.decision).map((f) => f.reward);
    expect(decoded.footer.summary.steps).toBe(9);
    expect(decoded.footer.summary.return).toBeCloseTo(
      rewards.reduce((a, b) => a + b, 0),
      12,
    );
    // body 1 moved 0.1 m per frame along x (float32 positions)
    expect(decoded.footer.summary.distanceM).toBeCloseTo(0.9, 6);

    const reader = MujocoReplayReader.open(bytes);
    for (const i of [9, 0, 5, 4, 3]) {
      expect(plainMujocoFrame(reader.frame(i))).toEqual(plainMujocoFrame(written[i]!));
    }
    expect(() => reader.frame(10)).toThrow(RangeError);
  });

  it('tells the kinds apart by the preamble, and each reader refuses the other kind naming both', () => {
    const horm = recordEpisode({ density: 1, seed: 3, policy: 'idle' }).bytes;
    expect(replayKindOf(bytes)).toBe('mujoco');
    expect(replayKindOf(horm)).toBe('horm');
    expect(replayError(() => ReplayReader.open(bytes)).message).toBe(
      'unknown replay format version: preamble at byte 8: expected format version 1 (a HORM replay), found 2 (a MuJoCo replay)',
    );
    expect(replayError(() => decodeReplay(bytes)).code).toBe('unknown-version');
    expect(replayError(() => MujocoReplayReader.open(horm)).message).toBe(
      'unknown replay format version: preamble at byte 8: expected format version 2 (a MuJoCo replay), found 1 (a HORM replay)',
    );
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(8, 9, true);
    expect(replayError(() => replayKindOf(newer)).message).toContain(
      'found 9 (written by a newer STEER Studio?)',
    );
  });

  it('still reads the HORM replays committed before MuJoCo replays existed (format version 1)', () => {
    for (const name of ['horm-hard-random-seed0.replay', 'horm-hard-random-seed4.replay']) {
      const file = new Uint8Array(
        readFileSync(new URL(`../../../../samples/replays/${name}`, import.meta.url)),
      );
      expect(replayKindOf(file)).toBe('horm');
      const decoded = decodeReplay(file);
      expect(decoded.formatVersion).toBe(1);
      const reader = ReplayReader.open(file);
      expect(reader.frameCount).toBe(decoded.frames.length);
      expect(Array.from(reader.frame(reader.frameCount - 1).x)).toEqual(Array.from(decoded.frames.at(-1)!.x));
    }
  });
});

describe('MuJoCo replay header validation', () => {
  it('names the field, what was expected and what was found', () => {
    expect(headerError((h) => (h.geoms[1]!.body = 7)).message).toBe(
      'invalid replay: header at byte 16: geoms[1].body: expected a body id in 0..2, received 7',
    );
    expect(headerError((h) => (h.priority = [0, 0])).message).toContain(
      'priority: expected each agent 0..1 once, received [0, 0]',
    );
    expect(headerError((h) => (h.agents[1]!.bodies = [1])).message).toContain(
      'agents[1].bodies: expected one body per driven joint (2), received 1',
    );
    expect(headerError((h) => (h.agents[0]!.drives = ['hip', 'knee'])).message).toContain(
      'agents[0].drives: expected one driven joint per action value (1), received 2',
    );
    expect(headerError((h) => (h.bodies[2]!.parent = 2)).message).toContain(
      'bodies[2].parent: expected a body id in 0..1, received 2',
    );
    expect(headerError((h) => ((h.geoms[0] as { type: string }).type = 'mesh')).message).toContain(
      'geoms[0].type:',
    );
    expect(headerError((h) => (h.geoms[3]!.quat = [1, 1, 0, 0])).message).toContain(
      'geoms[3].quat: expected a unit quaternion (w, x, y, z)',
    );
    expect(headerError((h) => Object.assign(h, { extra: 1 })).message).toContain('extra');
    expect(headerError((h) => ((h as { kind: string }).kind = 'horm')).code).toBe('invalid');
  });

  it('refuses frames the format cannot hold, saying which frame and value', () => {
    const writer = new MujocoReplayWriter(syntheticHeader());
    const [frame] = syntheticFrames(2);
    expect(() => writer.writeFrame({ ...frame!, position: [0, 0, 0] })).toThrow(
      'MujocoReplayWriter.writeFrame: frame 0: position expected 9 values, received 3',
    );
    expect(() => writer.writeFrame({ ...frame!, actions: [0, Number.NaN, 0] })).toThrow(
      'frame 0: actions[1] expected a finite number, received NaN',
    );
  });
});

describe('damaged MuJoCo replays', () => {
  it('every cut-short prefix is a ReplayError', () => {
    for (let length = 0; length < bytes.length; length++) {
      const error = replayError(() => decodeMujocoReplay(bytes.subarray(0, length)));
      expect(['truncated', 'corrupted', 'wrong-magic', 'invalid']).toContain(error.code);
    }
  });

  it('every single flipped byte is a ReplayError', () => {
    for (let at = 0; at < bytes.length; at++) {
      const damaged = bytes.slice();
      damaged[at] = damaged[at]! ^ 0x10;
      replayError(() => decodeMujocoReplay(damaged));
    }
  });
});
