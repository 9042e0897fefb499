/**
 * Seeded greedy episodes (src/main/train/episodesEvaluate.ts): episodes played side by side give
 * each episode exactly what it gets alone, episode i uses seed + i, and the figures summarise them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MarlPolicy } from '../../../../src/core/algos/marl.js';
import { makeEnv, prepareEnv } from '../../../../src/core/envs/registry.js';
import { evaluateEpisodes, playGreedyWave } from '../../../../src/main/train/episodesEvaluate.js';

const ENV = 'mujoco:Swimmer-2x1';

/** Each agent's action: a fixed function of its own observation row, so batching cannot change it. */
function rowPolicy(obsDim: number, stateDim: number): { policy: MarlPolicy; batches: number[] } {
  const batches: number[] = [];
  const policy = {
    model: { config: { stateDim } },
    act: (input: { batch: number; obs: Float32Array }) => {
      batches.push(input.batch);
      const rows = input.obs.length / obsDim;
      const actions = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let k = 0; k < obsDim; k++) sum += input.obs[r * obsDim + k]! * (k % 3 === 0 ? 1 : -0.5);
        actions[r] = Math.tanh(sum);
      }
      return { actions, logProbs: new Float32Array(rows), values: new Float32Array(rows) };
    },
  };
  return { policy: policy as unknown as MarlPolicy, batches };
}

beforeAll(async () => {
  await prepareEnv(ENV);
});

describe('seeded greedy episodes', () => {
  it('plays a wave side by side with the same results as one episode at a time', () => {
    const envs = [makeEnv(ENV), makeEnv(ENV), makeEnv(ENV)];
    try {
      const { obsDim, stateDim } = envs[0]!.spec;
      const { policy, batches } = rowPolicy(obsDim, stateDim);
      const together = playGreedyWave(policy, envs, [4, 5, 6]);
      expect(batches.every((b) => b === 3)).toBe(true); // Swimmer never ends early: all live to the end
      expect(batches).toHaveLength(1000);
      const alone = [4, 5, 6].map((seed) => playGreedyWave(policy, [envs[0]!], [seed])[0]!);
      expect(together).toEqual(alone);
      expect(together.map((e) => e.length)).toEqual([1000, 1000, 1000]);
      expect(new Set(together.map((e) => e.returns[0])).size).toBe(3); // three seeds, three episodes
    } finally {
      for (const env of envs) env.close?.();
    }
  });

  it('summarises episodes seed, seed + 1, … over waves, whatever the wave size', () => {
    const envs = [makeEnv(ENV), makeEnv(ENV)];
    try {
      const { obsDim, stateDim } = envs[0]!.spec;
      const { policy } = rowPolicy(obsDim, stateDim);
      const e = evaluateEpisodes(policy, envs, { episodes: 3, seed: 20 });
      const one = evaluateEpisodes(policy, [envs[0]!], { episodes: 3, seed: 20 });
      expect(one).toEqual(e);
      const each = [20, 21, 22].map((seed) => playGreedyWave(policy, [envs[0]!], [seed])[0]!.returns);
      const means = each.map((r) => (r[0]! + r[1]!) / 2);
      expect(e.returns).toEqual(means);
      expect(e).toMatchObject({
        env: ENV,
        episodes: 3,
        seed: 20,
        maxReturn: Math.max(...means),
        minReturn: Math.min(...means),
        meanLength: 1000,
      });
      expect(e.meanReturn).toBeCloseTo((means[0]! + means[1]! + means[2]!) / 3, 12);
      expect(e.meanReturnPerAgent[0]).toBeCloseTo((each[0]![0]! + each[1]![0]! + each[2]![0]!) / 3, 12);
    } finally {
      for (const env of envs) env.close?.();
    }
  });
});
