/**
 * Physical sanity of the HalfCheetah model (docs/spec/bridges.md §1.14): uniformly random actions give
 * about −280 per 1000-step episode (the probe's −280…−283; D4RL's random reference −280.18). A
 * minimal stepping loop stands in for the env: controls in, frame-skip steps, reward from the task.
 * One episode's return varies a lot (standard deviation ≈ 74 over 60 probe episodes), so the test
 * averages 8 episodes (≈ 0.3 s) to keep the band meaningful without depending on lucky seeds.
 */
import type { MjData, MjModel } from 'mujoco-js';
import { describe, expect, it } from 'vitest';
import {
  compileModel,
  loadMujoco,
  type MujocoModule,
} from '../../../../../src/core/envs/mujoco/mujocoModule.js';
import { mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';
import type { MujocoTask, SimState } from '../../../../../src/core/envs/mujoco/types.js';
import { Rng } from '../../../../../src/core/rng.js';

/** Fresh views of the state (views go stale when the heap grows). */
function stateOf(data: MjData): SimState {
  return {
    qpos: data.qpos,
    qvel: data.qvel,
    cfrcExt: data.cfrc_ext,
    xpos: data.xpos,
    qfrcActuator: data.qfrc_actuator,
  };
}

/** One episode of uniformly random actions in [−1, 1]; returns the undiscounted return. */
function randomEpisode(mj: MujocoModule, model: MjModel, data: MjData, task: MujocoTask, rng: Rng): number {
  mj.mj_resetData(model, data);
  task.resetState(Float64Array.from(model.qpos0 as Float64Array), data.qpos, data.qvel, rng);
  mj.mj_forward(model, data);
  const action = new Float64Array(task.sizes.nu);
  const dt = task.timestep * task.frameSkip;
  let total = 0;
  for (let step = 0; step < 1000; step++) {
    for (let i = 0; i < action.length; i++) action[i] = 2 * rng.uniform() - 1;
    (data.ctrl as Float64Array).set(action);
    const xBefore = task.forwardX(stateOf(data));
    for (let k = 0; k < task.frameSkip; k++) mj.mj_step(model, data);
    const after = stateOf(data);
    total += task.reward(xBefore, task.forwardX(after), dt, action, after).reward;
    if (task.terminated(after)) break;
  }
  return total;
}

describe('HalfCheetah-v2 under random actions', () => {
  it('returns about −280 per 1000-step episode (mean of 8 seeded episodes in [−330, −230])', async () => {
    const mj = await loadMujoco();
    const task = mujocoTask('HalfCheetah-v2', '6x1');
    const model = compileModel(mj, task.xml, task.scenario);
    try {
      const data = new mj.MjData(model);
      try {
        const returns = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
          randomEpisode(mj, model, data, task, Rng.fromSeed(seed)),
        );
        const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
        expect(mean).toBeGreaterThan(-330);
        expect(mean).toBeLessThan(-230);
      } finally {
        data.delete();
      }
    } finally {
      model.delete();
    }
  });
});
