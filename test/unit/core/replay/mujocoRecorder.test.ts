/**
 * The MuJoCo recorder on a real HalfCheetah (src/core/replay/mujocoRecorder.ts): the header holds
 * the compiled model's geoms and each agent's joint bodies; each frame's body positions are the
 * env's data.xpos after that step (read independently through its snapshot), and its orientations
 * are the planar chain's rotations about y computed from the joint angles MuJoCo posed the bodies
 * with (xpos and xquat are computed at the start of the last substep: qpos − timestep · qvel under
 * the Euler integrator); the actions and rewards are the ones played. A recording env records a
 * whole 1000-step episode without changing it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, type MujocoEnv, makeMujocoEnv } from '../../../../src/core/envs/mujoco/index.js';
import {
  decodeMujocoReplay,
  MujocoRecordingEnv,
  MujocoReplayRecorder,
} from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';

beforeAll(async () => {
  await loadMujoco();
});

const INFO = {
  seed: 5,
  model: { name: 'random' },
  createdAt: '2026-12-08T00:00:00.000Z',
};
/** HalfCheetah's timestep [s] (docs/spec/bridges.md §1.14). */
const TIMESTEP = 0.01;

interface Played {
  readonly actions: number[][];
  readonly rewards: number[];
  /** After each step (and the reset first): data.xpos, qpos, qvel. */
  readonly snapshots: { xpos: number[]; qpos: number[]; qvel: number[] }[];
}

/** Plays `steps` seeded random steps from reset(5), recording, and what the env said meanwhile. */
function playRecorded(env: MujocoEnv, steps: number): { bytes: Uint8Array; played: Played } {
  const recorder = new MujocoReplayRecorder(env, INFO, { framesPerChunk: 4 });
  recorder.start(env.reset(INFO.seed));
  const played: Played = { actions: [], rewards: [], snapshots: [env.snapshot()] };
  const rng = Rng.fromSeed(9);
  const actions = new Float64Array(env.spec.numAgents);
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < actions.length; k++) actions[k] = 2 * rng.uniform() - 1;
    const transition = env.step(actions);
    recorder.record(actions, transition);
    played.actions.push(Array.from(actions));
    played.rewards.push(transition.rewards[0]!);
    played.snapshots.push(env.snapshot());
  }
  return { bytes: recorder.finish(), played };
}

/** Rotation by `angle` about +y as (w, x, y, z). */
function aboutY(angle: number): number[] {
  return [Math.cos(angle / 2), 0, Math.sin(angle / 2), 0];
}

/** |q · r|: 1 for the same rotation (q and −q included). */
function sameRotation(q: ArrayLike<number>, r: readonly number[]): number {
  return Math.abs(q[0]! * r[0]! + q[1]! * r[1]! + q[2]! * r[2]! + q[3]! * r[3]!);
}

describe('MujocoReplayRecorder on HalfCheetah 6x1', () => {
  it('records the model: geoms with their bodies, the joints each agent observes and drives, the priority', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      const { header } = decodeMujocoReplay(playRecorded(env, 2).bytes);
      expect(header).toMatchObject({
        kind: 'mujoco',
        env: 'mujoco:HalfCheetah-6x1',
        task: { scenario: 'HalfCheetah-v2', agentConf: '6x1', agentObsk: 1 },
        seed: 5,
        dtS: 0.05,
        episodeLimit: 1000,
        priority: [0, 1, 2, 3, 4, 5],
      });
      expect(header.bodies.map((b) => b.name)).toEqual([
        'world',
        'torso',
        'bthigh',
        'bshin',
        'bfoot',
        'fthigh',
        'fshin',
        'ffoot',
      ]);
      expect(header.bodies.map((b) => b.parent)).toEqual([-1, 0, 1, 2, 3, 1, 5, 6]);
      // the floor, torso and head, one capsule per limb
      expect(header.geoms.map((g) => g.type)).toEqual(['plane', ...new Array(8).fill('capsule')]);
      expect(header.geoms.map((g) => g.body)).toEqual([0, 1, 1, 2, 3, 4, 5, 6, 7]);
      // Partition order is bfoot, bshin, bthigh, ffoot, fshin, fthigh; agent j's action goes to
      // actuator j (bthigh, bshin, bfoot, fthigh, fshin, ffoot: docs/spec/bridges.md §1.9), and the
      // joint it drives moves the body of the same name
      expect(header.agents.map((a) => a.joints)).toEqual([
        ['bfoot'],
        ['bshin'],
        ['bthigh'],
        ['ffoot'],
        ['fshin'],
        ['fthigh'],
      ]);
      expect(header.agents.map((a) => a.drives)).toEqual([
        ['bthigh'],
        ['bshin'],
        ['bfoot'],
        ['fthigh'],
        ['fshin'],
        ['ffoot'],
      ]);
      for (const agent of header.agents) {
        expect(agent.actionDim).toBe(1);
        expect(header.bodies[agent.bodies[0]!]!.name).toBe(agent.drives[0]);
      }
    } finally {
      env.close();
    }
  });

  it("records each step's body poses as data.xpos and the joint angles give them, with the actions and rewards played", () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      const steps = 9;
      const { bytes, played } = playRecorded(env, steps);
      const { frames, footer } = decodeMujocoReplay(bytes);
      expect(frames).toHaveLength(steps + 1);
      expect(frames.map((f) => f.decision)).toEqual([...new Array(steps).fill(true), false]);
      expect(footer.summary.steps).toBe(steps);
      expect(footer.summary.return).toBeCloseTo(
        played.rewards.reduce((a, b) => a + b, 0),
        9,
      );
      frames.forEach((frame, t) => {
        const { xpos, qpos, qvel } = played.snapshots[t]!;
        expect(Array.from(frame.position)).toEqual(xpos.map(Math.fround));
        // the pose MuJoCo computed: at reset the state itself, after a step the last substep's start
        const lagged = t === 0 ? qpos : qpos.map((q, i) => q - TIMESTEP * qvel[i]!);
        const torso = frame.quaternion.subarray(4, 8);
        expect(sameRotation(torso, aboutY(lagged[2]!))).toBeCloseTo(1, 6);
        // back thigh: root pitch + bthigh; back shin adds bshin (a planar chain about y)
        expect(sameRotation(frame.quaternion.subarray(8, 12), aboutY(lagged[2]! + lagged[3]!))).toBeCloseTo(
          1,
          6,
        );
        expect(
          sameRotation(frame.quaternion.subarray(12, 16), aboutY(lagged[2]! + lagged[3]! + lagged[4]!)),
        ).toBeCloseTo(1, 6);
        // torso origin: the root slides (x, and z above the body's 0.7 m)
        expect(frame.position[3]).toBeCloseTo(lagged[0]!, 5);
        expect(frame.position[5]).toBeCloseTo(0.7 + lagged[1]!, 5);
        if (t < steps) {
          expect(Array.from(frame.actions)).toEqual(played.actions[t]!.map(Math.fround));
          expect(frame.reward).toBe(played.rewards[t]);
        } else {
          expect(Array.from(frame.actions).every(Number.isNaN)).toBe(true);
          expect(frame.reward).toBe(0);
        }
      });
    } finally {
      env.close();
    }
  });

  it('a recording env records a whole 1000-step episode and plays exactly the episode of the bare env', () => {
    const bare = makeMujocoEnv('HalfCheetah-6x1');
    const wrapped = makeMujocoEnv('HalfCheetah-6x1');
    const replays: { seed: number; bytes: Uint8Array }[] = [];
    const recording = new MujocoRecordingEnv(wrapped, {
      info: (seed) => ({ ...INFO, seed }),
      onReplay: (seed, bytes) => replays.push({ seed, bytes }),
    });
    try {
      const rewards: number[][] = [[], []];
      bare.reset(8);
      recording.reset(8);
      const rng = Rng.fromSeed(2);
      const actions = new Float64Array(6);
      for (let t = 0; t < 1000; t++) {
        for (let k = 0; k < 6; k++) actions[k] = 2 * rng.uniform() - 1;
        rewards[0]!.push(bare.step(actions).rewards[0]!);
        const transition = recording.step(actions);
        rewards[1]!.push(transition.rewards[0]!);
        expect(transition.episodeDone).toBe(t === 999);
      }
      expect(rewards[1]).toEqual(rewards[0]);
      expect(replays.map((r) => r.seed)).toEqual([8]);
      const { frames, footer } = decodeMujocoReplay(replays[0]!.bytes);
      expect(frames).toHaveLength(1001);
      expect(footer.summary.return).toBeCloseTo(
        rewards[0]!.reduce((a, b) => a + b, 0),
        9,
      );
      expect(() => recording.reset()).toThrow('mujoco:HalfCheetah-6x1: a recorded episode needs reset(seed)');
    } finally {
      bare.close();
      recording.close();
    }
  });
});
