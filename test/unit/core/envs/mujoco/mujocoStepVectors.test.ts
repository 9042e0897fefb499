/**
 * Fidelity of the env's stepping against MuJoCo's own (issue #11): for each task, the state after 40
 * env steps of a fixed action sequence from the seeded reset state equals the test vector that
 * fixtures/recordStepVectors.ts recorded once by driving MuJoCo directly (ctrl, frame skip ×
 * mj_step), with none of the env's code. A change of model, frame skip, action routing, reset or
 * engine shows here.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, makeMujocoEnv } from '../../../../../src/core/envs/mujoco/index.js';
import { type StepVector, VECTOR_ENVS, vectorAction } from './fixtures/recordStepVectors.js';

const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/stepVectors.json', import.meta.url), 'utf8'),
) as {
  steps: number;
  seed: number;
  vectors: StepVector[];
};

beforeAll(async () => {
  await loadMujoco();
});

describe('MuJoCo step vectors', () => {
  it('has one vector per task', () => {
    expect(recorded.vectors.map((v) => v.env)).toEqual(VECTOR_ENVS.map((game) => `mujoco:${game}`));
  });

  it.each(recorded.vectors)('$env: the env reaches the recorded state', (vector) => {
    const env = makeMujocoEnv(vector.env.slice('mujoco:'.length));
    try {
      env.reset(recorded.seed);
      const nu = env.task.sizes.nu;
      // every agent drives as many joints here, so the agent-major joint action is the task action
      expect(env.spec.numAgents * (env.spec.actionSpace as { dim: number }).dim).toBe(nu);
      for (let t = 0; t < recorded.steps; t++) env.step(vectorAction(t, nu));
      const { qpos, qvel, time } = env.snapshot();
      expect(time).toBeCloseTo(vector.time, 9);
      for (const [i, q] of qpos.entries()) expect(q, `qpos[${i}]`).toBeCloseTo(vector.qpos[i]!, 9);
      for (const [i, v] of qvel.entries()) expect(v, `qvel[${i}]`).toBeCloseTo(vector.qvel[i]!, 9);
    } finally {
      env.close();
    }
  });
});
