/**
 * A synthetic MuJoCo replay for the format tests: a three-body robot (world with a plane, a torso,
 * one leg) driven by two agents, with seeded frames, and the frames as plain numbers rounded to
 * float32 as the format stores them.
 */
import {
  type MujocoReplayFrame,
  type MujocoReplayFrameInput,
  type MujocoReplayHeader,
  MujocoReplayWriter,
} from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';

/** A valid header: bodies world → torso → leg, four geoms, agent 1 leads. */
export function syntheticHeader(): MujocoReplayHeader {
  return {
    kind: 'mujoco',
    env: 'mujoco:Test-2x1',
    task: { scenario: 'Test-v2', agentConf: '2x1', agentObsk: 1 },
    seed: 42,
    model: { name: 'steer', run: 'runs/test', update: 3, deterministic: true },
    dtS: 0.05,
    episodeLimit: 1000,
    bodies: [
      { name: 'world', parent: -1 },
      { name: 'torso', parent: 0 },
      { name: 'leg', parent: 1 },
    ],
    geoms: [
      { type: 'plane', size: [40, 40, 40], body: 0, pos: [0, 0, 0], quat: [1, 0, 0, 0] },
      {
        type: 'capsule',
        size: [0.05, 0.5, 0],
        body: 1,
        pos: [0, 0, 0],
        quat: [Math.SQRT1_2, 0, Math.SQRT1_2, 0],
      },
      { type: 'box', size: [0.1, 0.1, 0.1], body: 1, pos: [0.6, 0, 0], quat: [1, 0, 0, 0] },
      { type: 'sphere', size: [0.08, 0, 0], body: 2, pos: [0, 0, -0.2], quat: [1, 0, 0, 0] },
    ],
    agents: [
      { joints: ['hip'], drives: ['hip'], bodies: [2], actionDim: 1 },
      { joints: ['roll', 'pitch'], drives: ['pitch', 'roll'], bodies: [1, 1], actionDim: 2 },
    ],
    priority: [1, 0],
    createdAt: '2026-12-08T00:00:00.000Z',
    generator: 'steer-studio test',
  };
}

/** `frames` seeded frames (the last one terminal) for the synthetic header. */
export function syntheticFrames(frames: number, seed = 1): MujocoReplayFrameInput[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: frames }, (_, t) => {
    const decision = t < frames - 1;
    const quaternion: number[] = [];
    for (let b = 0; b < 3; b++) {
      const angle = rng.uniform() * Math.PI;
      quaternion.push(Math.cos(angle / 2), 0, Math.sin(angle / 2), 0);
    }
    return {
      decision,
      position: [0, 0, 0, 0.1 * t, 0, 0.7 + 0.01 * rng.uniform(), 0.1 * t + 0.2, 0, 0.4],
      quaternion,
      actions: [2 * rng.uniform() - 1, 2 * rng.uniform() - 1, 2 * rng.uniform() - 1],
      reward: decision ? rng.uniform() - 0.25 : 0,
    };
  });
}

/** A synthetic replay's bytes. */
export function syntheticReplay(frames: number, framesPerChunk = 4): Uint8Array {
  const writer = new MujocoReplayWriter(syntheticHeader(), { framesPerChunk });
  for (const frame of syntheticFrames(frames)) writer.writeFrame(frame);
  return writer.finish();
}

/** A frame as plain numbers, for toEqual. */
export function plainMujocoFrame(f: MujocoReplayFrame | MujocoReplayFrameInput) {
  return {
    decision: f.decision,
    position: Array.from(f.position, Math.fround),
    quaternion: Array.from(f.quaternion, Math.fround),
    actions: f.decision ? Array.from(f.actions, Math.fround) : [Number.NaN, Number.NaN, Number.NaN],
    reward: f.decision ? f.reward : 0,
  };
}
