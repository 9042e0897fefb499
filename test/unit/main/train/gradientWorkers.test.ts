/**
 * Gradient helper threads (gradientWorkers.ts, gradientWorker.ts) on the cpu backend: a trainer
 * whose shards run on helpers ends with bit-identical weights and metrics to one computing every
 * shard itself; tensors stay flat across updates; a helper's failure surfaces as an error naming
 * the helper, and one that cannot start says why.
 */
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../../src/core/algos/config.js';
import { Trainer, type UpdateMetrics } from '../../../../src/core/algos/ppo/trainer.js';
import { makeEnv } from '../../../../src/core/envs/registry.js';
import * as tf from '../../../../src/core/nn/tf.js';
import {
  attachGradientWorkers,
  gradientHelpers,
  startGradientWorkers,
} from '../../../../src/main/train/gradientWorkers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ENV = 'nstep:coordination';

function trainer(gradientShards: number): Trainer {
  const config = resolveTrainConfig(ENV, {
    seed: 1,
    numEnvs: 2,
    episodeLength: 10,
    totalEnvSteps: 1000,
    embedDim: 16,
    numMinibatches: 2,
    ppoEpochs: 2,
    gradientShards,
  });
  const t = new Trainer(ENV, () => makeEnv(ENV), config);
  t.minShardRows = 1; // minibatches of 10 joint samples
  return t;
}

function withoutPerf(m: UpdateMetrics): UpdateMetrics {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
}

function weights(t: Trainer): number[] {
  return t.model.params.list().flatMap((p) => Array.from(p.dataSync()));
}

describe('gradientHelpers', () => {
  it('one helper per extra core up to the shards; none on one core or a native backend', () => {
    expect(gradientHelpers(2, 'wasm', 2)).toBe(1);
    expect(gradientHelpers(2, 'wasm', 8)).toBe(1);
    expect(gradientHelpers(4, 'cpu', 3)).toBe(2);
    expect(gradientHelpers(2, 'wasm', 1)).toBe(0);
    expect(gradientHelpers(1, 'wasm', 4)).toBe(0);
    expect(gradientHelpers(4, 'tensorflow', 8)).toBe(0);
  });
});

describe('a trainer with helper threads', () => {
  const started: Trainer[] = [];
  afterAll(() => {
    for (const t of started) t.dispose();
  });

  it('3 shards, 1 helper (this thread computes shards 0 and 2): identical weights and metrics to no helper', async () => {
    const alone = trainer(3);
    const helped = trainer(3);
    started.push(alone, helped);
    const pool = await startGradientWorkers({
      helpers: 1,
      backend: 'cpu',
      modelConfig: helped.model.config,
      trainConfig: helped.config,
    });
    helped.attachGradientWorkers(pool);
    for (let u = 0; u < 3; u++) expect(withoutPerf(helped.iterate())).toEqual(withoutPerf(alone.iterate()));
    expect(weights(helped)).toEqual(weights(alone));

    // no tensor is left behind, here by the shards that came back or in the helper
    const before = tf.memory().numTensors;
    const helperBefore = [...pool.helperTensors];
    expect(helperBefore[0]).toBeGreaterThan(0); // its model's variables
    helped.iterate();
    helped.iterate();
    expect(tf.memory().numTensors).toBe(before);
    expect(pool.helperTensors).toEqual(helperBefore);
  });

  it('attachGradientWorkers starts one helper for 2 threads and none for 1', async () => {
    const t = trainer(2);
    started.push(t);
    expect(await attachGradientWorkers(t, 1)).toBe(0);
    expect(await attachGradientWorkers(t, 2)).toBe(1);
    expect(Number.isFinite(t.iterate()['loss/total'])).toBe(true);
  });

  it("a helper's failure is an error naming the helper and its message, and the pool refuses more work", async () => {
    const t = trainer(2);
    started.push(t);
    t.attachGradientWorkers(
      await startGradientWorkers({
        helpers: 1,
        backend: 'cpu',
        modelConfig: t.model.config,
        trainConfig: t.config,
        failWith: 'injected failure',
      }),
    );
    expect(() => t.iterate()).toThrow(/gradient worker 1 failed: .*injected failure/);
    expect(() => t.iterate()).toThrow(/gradient worker 1 failed/);
  });

  it('a helper that cannot start says why', async () => {
    const t = trainer(2);
    started.push(t);
    await expect(
      startGradientWorkers({
        helpers: 1,
        backend: 'abacus',
        modelConfig: t.model.config,
        trainConfig: t.config,
      }),
    ).rejects.toThrow(/gradient worker 1 could not start: unknown backend 'abacus'/);
  });
});
