/**
 * The training loop the learning tests share: a Trainer on `envName` with `config`, every update
 * followed by `afterUpdate` and a yield, so the test worker can answer the runner between updates
 * (a long synchronous run on a busy machine makes Vitest's worker RPC time out).
 */
import { resolveAlgorithmConfig } from '../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../src/core/algos/config.js';
import { Trainer } from '../../src/core/algos/ppo/trainer.js';
import { makeEnv } from '../../src/core/envs/registry.js';
import { type Evaluation, evaluateGreedy } from '../../src/main/train/evaluate.js';

/** Trains to the config's number of updates; the caller disposes the trainer. */
export async function trainYielding(
  envName: string,
  config: TrainConfig,
  afterUpdate: (trainer: Trainer) => void = () => {},
): Promise<Trainer> {
  const trainer = new Trainer(envName, () => makeEnv(envName), config);
  for (let u = 0; u < trainer.updates; u++) {
    trainer.iterate();
    afterUpdate(trainer);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return trainer;
}

/** Trains `algo` on `envName` with the env's preset and `overrides`, then plays one greedy episode. */
export async function trainAndEvaluateGreedy(
  algo: string,
  envName: string,
  overrides: Record<string, number>,
): Promise<Evaluation> {
  const trainer = await trainYielding(envName, resolveAlgorithmConfig(envName, { algo, ...overrides }));
  const evaluation = evaluateGreedy(trainer.policy, makeEnv(envName));
  trainer.dispose();
  return evaluation;
}
