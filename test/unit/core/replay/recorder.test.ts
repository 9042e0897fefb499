/**
 * Recording real HORM episodes (docs/spec/horm.md): every field survives the round trip exactly, the
 * incremental reader gives the same frames whatever the piece sizes, random access agrees, and
 * streamed (drained) output is the same file.
 */
import { describe, expect, it } from 'vitest';
import { HormEnv } from '../../../../src/core/envs/horm/index.js';
import {
  decodeReplay,
  HORM_ACTION_NAMES,
  type ReplayFrame,
  ReplayReader,
  ReplayRecorder,
  ReplayStreamReader,
} from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';
import { CREATED_AT, plainFrame, recordEpisode } from './fixtures.js';

describe('ReplayRecorder on HORM', () => {
  const random = recordEpisode({
    density: 3,
    seed: 0, // 100 decisions without a crash
    policy: 'random',
    env: { priority: 'closestToMerge' },
  });

  it('round-trips a seeded random density-3 episode with every field exactly equal', () => {
    const replay = decodeReplay(random.bytes);
    expect(random.expected).toHaveLength(101); // 100 decisions + the terminal state
    expect(replay.frames.map(plainFrame)).toEqual(random.expected);
    // The episode exercises what the format is for: a supervisor override and changing ranks.
    const changed = random.expected.filter((f) => f.proposed.some((a, j) => a !== f.executed[j]));
    expect(changed.length).toBeGreaterThan(0);
    expect(new Set(random.expected.map((f) => f.rank.join())).size).toBeGreaterThan(1);
    expect(replay.formatVersion).toBe(1);
    expect(replay.header).toEqual({
      env: 'horm:density-3',
      scenario: { name: 'horm:density-3', seed: 0, density: 3 },
      model: { name: 'random', seed: 99 },
      agents: 4,
      road: { beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 },
      lanes: ['a-b-0', 'b-c-0', 'b-c-1', 'c-d-0', 'j-k-0', 'k-b-0'],
      kinds: ['cav', 'hdv'],
      actions: ['LANE_LEFT', 'IDLE', 'LANE_RIGHT', 'FASTER', 'SLOWER'],
      stepS: 0.2,
      rewardType: 'regional',
      supervisor: true,
      priorityRule: 'closestToMerge',
      createdAt: CREATED_AT,
    });
    // Agents are the first vehicles and are CAVs.
    expect(replay.frames[0]!.kind.subarray(0, 4)).toEqual(new Uint8Array([0, 0, 0, 0]));
  });

  it('summarises the episode in the footer: returns, supervisor changes, no crash', () => {
    const { footer } = decodeReplay(random.bytes);
    const returns = [0, 1, 2, 3].map((j) => random.expected.reduce((sum, f) => sum + f.reward[j]!, 0));
    const changes = random.expected.reduce(
      (n, f) => n + f.proposed.filter((a, j) => f.decision && a !== f.executed[j]).length,
      0,
    );
    expect(footer.frames).toBe(101);
    expect(footer.summary).toEqual({
      steps: 100,
      returns,
      crashedAgents: [],
      crashFrame: null,
      supervisorChanges: changes,
      maxVehicles: random.env.sim.world.vehicles.count,
    });
  });

  it('records a crash: crash flags, the terminal frame without a decision, the summary', () => {
    const crash = recordEpisode({ density: 3, seed: 5, policy: 'random' }); // two CAVs collide
    const replay = decodeReplay(crash.bytes);
    expect(replay.frames.map(plainFrame)).toEqual(crash.expected);
    expect(replay.frames.length).toBeLessThan(101);
    const last = replay.frames.at(-1)!;
    expect(last.decision).toBe(false);
    expect(Array.from(last.proposed)).toEqual([-1, -1, -1, -1]);
    expect(Array.from(last.executed)).toEqual([-1, -1, -1, -1]);
    expect(Array.from(last.rank)).toEqual([255, 255, 255, 255]);
    const crashed = [0, 1, 2, 3].filter((j) => last.crashed[j] === 1);
    expect(crashed.length).toBeGreaterThan(0);
    expect(
      replay.frames
        .at(-2)!
        .crashed.subarray(0, 4)
        .every((c) => c === 0),
    ).toBe(true);
    expect(replay.footer.summary).toMatchObject({
      steps: replay.frames.length - 1,
      crashedAgents: crashed,
      crashFrame: replay.frames.length - 1,
    });
  });

  it('the incremental reader gives the same frames for random piece sizes', () => {
    const rng = Rng.fromSeed(5);
    const all = decodeReplay(random.bytes).frames.map(plainFrame);
    for (let trial = 0; trial < 25; trial++) {
      const reader = new ReplayStreamReader();
      const frames: ReplayFrame[] = [];
      const maxPiece = [1, 7, 64, 500, 5000][trial % 5]!;
      let at = 0;
      while (at < random.bytes.length) {
        const size = 1 + rng.int(maxPiece);
        // Pieces that are views into a larger buffer at odd offsets, as a socket may deliver.
        frames.push(...reader.push(random.bytes.subarray(at, at + size)));
        if (frames.length > 0) expect(reader.header?.env).toBe('horm:density-3'); // header before frames
        at += size;
      }
      const footer = reader.end();
      expect(frames.map(plainFrame)).toEqual(all);
      expect(footer.frames).toBe(101);
    }
  });

  it('frames arrive chunk by chunk while the bytes come in', () => {
    const reader = new ReplayStreamReader();
    const counts: number[] = [];
    for (let at = 0; at < random.bytes.length; at += 256) {
      counts.push(reader.push(random.bytes.subarray(at, at + 256)).length);
    }
    reader.end();
    const nonEmpty = counts.filter((c) => c > 0);
    expect(nonEmpty.length).toBeGreaterThanOrEqual(6); // 101 frames in chunks of 16
    expect(nonEmpty.every((c) => c % 16 === 0 || c === 101 % 16)).toBe(true);
  });

  it('random access returns the same frames in any order', () => {
    const reader = ReplayReader.open(random.bytes);
    expect(reader.frameCount).toBe(101);
    expect(reader.header).toEqual(decodeReplay(random.bytes).header);
    const order = Rng.fromSeed(2).permutation(101);
    for (const i of order) expect(plainFrame(reader.frame(i))).toEqual(random.expected[i]);
    expect([...reader.frames()].map(plainFrame)).toEqual(random.expected);
    expect(() => reader.frame(101)).toThrow(/expected a frame in 0..100, received 101/);
  });

  it('drained pieces make the same file; any chunk size decodes to the same frames', () => {
    const streamed = recordEpisode({
      density: 3,
      seed: 0,
      policy: 'random',
      env: { priority: 'closestToMerge' },
      drain: true,
    });
    expect(streamed.bytes).toEqual(random.bytes);
    expect(streamed.pieces.filter((p) => p.length > 0).length).toBeGreaterThan(3);
    for (const framesPerChunk of [1, 7, 101, 1000]) {
      const other = recordEpisode({
        density: 3,
        seed: 0,
        policy: 'random',
        env: { priority: 'closestToMerge' },
        writer: { framesPerChunk },
      });
      expect(decodeReplay(other.bytes).frames.map(plainFrame)).toEqual(random.expected);
      const reader = ReplayReader.open(other.bytes);
      expect(reader.footer.chunks).toHaveLength(Math.ceil(101 / framesPerChunk));
    }
  });

  it('refuses calls out of order and values of the wrong length', () => {
    const env = new HormEnv(1);
    const info = { scenario: { seed: 0 }, model: { name: 'idle' }, createdAt: CREATED_AT };
    const recorder = new ReplayRecorder(env, info);
    const step = env.reset(0);
    expect(() => recorder.record(env.step([1, 1]))).toThrow(/call start\(env.reset\(seed\)\) first/);
    recorder.start(step);
    expect(() => recorder.record(env.step([1, 1]), [1, 2, 3])).toThrow(
      /values expected 2 numbers \(one per agent\), received 3/,
    );
    const done = new ReplayRecorder(env, info);
    done.start(env.reset(0));
    let transition = env.step([1, 1]);
    done.record(transition);
    while (!transition.episodeDone) {
      transition = env.step([1, 1]);
      done.record(transition);
    }
    expect(() => done.record(transition)).toThrow(/the episode is over; call finish\(\)/);
    done.finish();
    expect(() => done.finish()).toThrow(/expected a started recording, this one is finished/);
  });

  it('names the meta-actions in spec order', () => {
    expect(HORM_ACTION_NAMES).toEqual(['LANE_LEFT', 'IDLE', 'LANE_RIGHT', 'FASTER', 'SLOWER']);
  });
});
