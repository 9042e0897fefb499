/**
 * Throughput of one MuJoCo env (docs/envs/mujoco.md "Speed"): env steps per second with uniformly
 * random seeded actions in [−1, 1], observations, state and rewards included, resetting at episode
 * ends. Pure apart from the clock; `steer bench --env mujoco` calls it.
 */

import { Rng } from '../../rng.js';
import type { MultiAgentEnv } from '../types.js';

/** Runs `steps` env steps of `env` and returns env steps per second. */
export function benchMujocoEnv(env: MultiAgentEnv, steps: number, seed: number): number {
  const { actionSpace, numAgents } = env.spec;
  if (actionSpace.kind !== 'continuous') throw new Error(`${env.spec.name}: expected continuous actions`);
  const rng = Rng.fromSeed(seed).fork('bench-actions');
  const actions = new Float64Array(numAgents * actionSpace.dim);
  let episode = seed;
  env.reset(episode);
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < actions.length; k++) actions[k] = 2 * rng.uniform() - 1;
    if (env.step(actions).episodeDone) env.reset(++episode);
  }
  return steps / ((performance.now() - start) / 1000);
}
