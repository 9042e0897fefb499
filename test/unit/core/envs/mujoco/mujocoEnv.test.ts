/**
 * MujocoEnv (src/core/envs/mujoco/mujocoEnv.ts): seeded episodes, the 1000-step limit, snapshots
 * that resume bit-identically, clear errors for bad actions, and no wasm memory kept after close.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  loadMujoco,
  MUJOCO_EPISODE_LIMIT,
  type MujocoEnv,
  type MujocoModule,
  makeMujocoEnv,
} from '../../../../../src/core/envs/mujoco/index.js';
import { Rng } from '../../../../../src/core/rng.js';

let mujoco: MujocoModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

/** Plays `steps` seeded random joint actions; the observations of every step, concatenated. */
function play(env: MujocoEnv, steps: number, seed: number): number[] {
  const rng = Rng.fromSeed(seed);
  const actions = new Float64Array(env.spec.numAgents * (env.spec.actionSpace as { dim: number }).dim);
  const seen: number[] = [];
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < actions.length; k++) actions[k] = 2 * rng.uniform() - 1;
    const transition = env.step(actions);
    seen.push(...transition.obs, transition.rewards[0]!);
  }
  return seen;
}

describe('MujocoEnv', () => {
  it('has the reference preset shapes for HalfCheetah 6x1, k = 1: six agents, obs 15, state 17, one action each', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      expect(env.spec).toMatchObject({
        name: 'mujoco:HalfCheetah-6x1',
        numAgents: 6,
        obsDim: 15,
        stateDim: 17,
        actionSpace: { kind: 'continuous', dim: 1, low: -1, high: 1 },
        episodeLimit: 1000,
      });
    } finally {
      env.close();
    }
  });

  it('gives the same episode for the same seed and another for another seed', () => {
    const env = makeMujocoEnv('HalfCheetah-2x3');
    try {
      const first = Array.from(env.reset(7).obs);
      const firstRun = play(env, 50, 1);
      const again = Array.from(env.reset(7).obs);
      expect(again).toEqual(first);
      expect(play(env, 50, 1)).toEqual(firstRun);
      expect(Array.from(env.reset(8).obs)).not.toEqual(first);
    } finally {
      env.close();
    }
  });

  it('ends every agent after exactly 1000 steps (HalfCheetah never terminates earlier)', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      env.reset(3);
      const actions = new Float64Array(6).fill(0.3);
      let steps = 0;
      let done = false;
      while (!done) {
        const transition = env.step(actions);
        steps += 1;
        done = transition.episodeDone;
        if (!done) expect(Array.from(transition.dones)).toEqual([0, 0, 0, 0, 0, 0]);
        else expect(Array.from(transition.dones)).toEqual([1, 1, 1, 1, 1, 1]);
      }
      expect(steps).toBe(MUJOCO_EPISODE_LIMIT);
    } finally {
      env.close();
    }
  });

  it('continues bit-identically from a snapshot, in another env', () => {
    const env = makeMujocoEnv('Ant-4x2');
    const other = makeMujocoEnv('Ant-4x2');
    try {
      env.reset(11);
      play(env, 30, 2);
      const snapshot = JSON.parse(JSON.stringify(env.snapshot())) as unknown; // as a checkpoint stores it
      const expected = play(env, 40, 3);
      other.restore(snapshot);
      expect(play(other, 40, 3)).toEqual(expected);
    } finally {
      env.close();
      other.close();
    }
  });

  it('refuses a snapshot of another env or a malformed one, naming the env', () => {
    const env = makeMujocoEnv('Hopper-3x1');
    const cheetah = makeMujocoEnv('HalfCheetah-6x1');
    try {
      cheetah.reset(0);
      expect(() => env.restore(cheetah.snapshot())).toThrow(
        /mujoco:Hopper-3x1: restore: expected a snapshot/,
      );
      expect(() => env.restore({ env: 'mujoco:Hopper-3x1', qpos: [Number.NaN] })).toThrow(/qpos 6/);
    } finally {
      env.close();
      cheetah.close();
    }
  });

  it('refuses NaN or a wrong number of action values with one line naming agent and value', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      env.reset(0);
      expect(() => env.step([0, 0, Number.NaN, 0, 0, 0])).toThrow(
        'mujoco:HalfCheetah-6x1: agent 2, dimension 0: expected a finite number, received NaN',
      );
      expect(() => env.step([0, 0])).toThrow(/expected 6 action values/);
    } finally {
      env.close();
    }
  });

  it('charges the control cost on the action as sent, beyond the [−1, 1] box MuJoCo clamps to', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      env.reset(0);
      const transition = env.step([2, 0, 0, 0, 0, -3]);
      expect(transition.info.reward_ctrl).toBeCloseTo(-0.1 * (4 + 9), 12);
      expect(transition.rewards[0]).toBeCloseTo(
        transition.info.reward_run! + transition.info.reward_ctrl!,
        12,
      );
      expect(new Set(transition.rewards).size).toBe(1); // one shared reward
    } finally {
      env.close();
    }
  });

  it('refuses to be used after close, and close twice is harmless', () => {
    const env = makeMujocoEnv('Swimmer-2x1');
    env.close();
    env.close();
    expect(() => env.reset(0)).toThrow('mujoco:Swimmer-2x1: the env is closed');
  });

  it('keeps no wasm memory after close: 300 envs built and closed do not grow the heap', () => {
    const probe = makeMujocoEnv('HalfCheetah-6x1'); // stays open: its views show the heap's size
    const model = compileModel(mujoco, probe.task.xml, 'probe');
    const data = new mujoco.MjData(model);
    try {
      // every view is over the whole wasm memory: its buffer's size is the heap's
      const heapBytes = () => (data.qpos as Float64Array).buffer.byteLength;
      for (let i = 0; i < 20; i++) makeMujocoEnv('HalfCheetah-6x1').close(); // the allocator settles
      const before = heapBytes();
      for (let i = 0; i < 300; i++) makeMujocoEnv('HalfCheetah-6x1').close();
      expect(heapBytes()).toBe(before);
    } finally {
      data.delete();
      model.delete();
      probe.close();
    }
  });

  it('ends the episode when MuJoCo resets a diverged simulation, even in the first step', () => {
    const env = makeMujocoEnv('HalfCheetah-6x1');
    try {
      for (const steps of [0, 3]) {
        env.reset(0);
        for (let t = 0; t < steps; t++) env.step([0, 0, 0, 0, 0, 0]);
        const blownUp = { ...env.snapshot(), qvel: new Array(9).fill(1e300) };
        env.restore(blownUp);
        const transition = env.step([0, 0, 0, 0, 0, 0]);
        expect(transition.info.diverged, `after ${steps} steps`).toBe(1);
        expect(transition.episodeDone).toBe(true);
        expect(transition.rewards[0]).toBe(0);
        env.reset(1);
        expect(env.step([0, 0, 0, 0, 0, 0]).info.diverged).toBe(0); // a reset clears it
      }
    } finally {
      env.close();
    }
  });

  it('names the problem in a bad env name', () => {
    expect(() => makeMujocoEnv('HalfCheetah-6x2')).toThrow(/^mujoco:HalfCheetah-6x2: .*6x2/);
    expect(() => makeMujocoEnv('Ant-4x2-k99')).toThrow(/^mujoco:Ant-4x2-k99: /);
    expect(() => makeMujocoEnv('HalfCheetah')).toThrow(/expected mujoco:<task>-<partition>/);
    // a robot too big to compile is refused before MuJoCo sees it (200 segments trap the engine)
    expect(() => makeMujocoEnv('manyagent_ant-200x1')).toThrow(
      'mujoco:manyagent_ant-200x1: manyagent_ant: at most 40 segments (N·M), received 200x1 = 200',
    );
    expect(makeMujocoEnv('HalfCheetah-6x1-k1').spec.name).toBe('mujoco:HalfCheetah-6x1'); // canonical
  });
});
