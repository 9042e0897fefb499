/**
 * Short seeded learning runs with continuous actions (docs/algos/README.md, "Continuous actions"):
 * every algorithm of the registry trains its Gaussian head on `cont:target` with the env's preset
 * for 20 updates and its greedy return (the mean of the two agents', one greedy episode) passes
 * 0.98, while the same policy untrained scores under 0.8: its means start near 0, which scores
 * about 0.75, and the optimum is 1. With seed 1 every algorithm is at 0.997 or more after 20
 * updates; MAPPO is the slowest (its std starts at 1 and its means first overshoot out of the box):
 * 0.81 after 10. A run's metrics.jsonl has the greedy returns after every update
 * (`eval/return/agent<j>`; the command is in docs/algos/README.md). Speed is measured by
 * `steer bench`, not here.
 */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../src/core/algos/algorithmConfig.js';
import type { MarlPolicy } from '../../src/core/algos/marl.js';
import { Trainer } from '../../src/core/algos/ppo/trainer.js';
import { ALGORITHM_NAMES } from '../../src/core/algos/registry.js';
import { makeEnv } from '../../src/core/envs/registry.js';
import * as tf from '../../src/core/nn/tf.js';
import { evaluateGreedy } from '../../src/main/train/evaluate.js';
import { trainYielding } from './trainYielding.js';

const ENV = 'cont:target';
const UPDATES = 20;
/** An untrained policy's greedy return stays under this. */
const UNTRAINED_BELOW = 0.8;
/** A trained policy's greedy return passes this. */
const TRAINED_ABOVE = 0.98;

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

/** The mean over the agents of one greedy episode's returns. */
function greedyReturn(policy: MarlPolicy): number {
  const { returns } = evaluateGreedy(policy, makeEnv(ENV));
  return returns.reduce((s, r) => s + r, 0) / returns.length;
}

describe('every algorithm learns cont:target (wasm backend, seed 1)', () => {
  it.each(ALGORITHM_NAMES)(
    `%s: greedy return under ${UNTRAINED_BELOW} untrained, over ${TRAINED_ABOVE} after ${UPDATES} updates`,
    async (algo) => {
      const config = resolveAlgorithmConfig(ENV, { algo, seed: 1 }, { updates: UPDATES });
      const untrained = new Trainer(ENV, () => makeEnv(ENV), config);
      const before = greedyReturn(untrained.policy);
      untrained.dispose();
      const trainer = await trainYielding(ENV, config);
      const after = greedyReturn(trainer.policy);
      trainer.dispose();
      expect(before).toBeLessThan(UNTRAINED_BELOW);
      expect(after).toBeGreaterThan(TRAINED_ABOVE);
    },
  );
});
