/**
 * Data-parallel gradients (gradientShards.ts): shards cover the minibatch, and the shard
 * gradients and loss statistics add up to those of the whole minibatch, with and without active
 * masks, for discrete and continuous actions; helper threads change no number (minibatchGradient);
 * a trainer with 2 or 3 shards follows the 1-shard one.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type TrainConfig } from '../../../../../src/core/algos/config.js';
import {
  computeShard,
  flattenTensors,
  type GradientWorkers,
  lossDenominators,
  MIN_SHARD_ROWS,
  minibatchGradient,
  SHARD_STAT_KEYS,
  type ShardBatch,
  type ShardTask,
  shardBounds,
  shardCount,
  shardGradients,
  sliceShard,
} from '../../../../../src/core/algos/ppo/gradientShards.js';
import { Trainer } from '../../../../../src/core/algos/ppo/trainer.js';
import type { SteerModelConfig } from '../../../../../src/core/algos/steer/model.js';
import { SteerPolicy } from '../../../../../src/core/algos/steer/policy.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { randomizeWeights, smallModel } from '../steer/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shardCount', () => {
  it('takes gradientShards unless a shard would get under MIN_SHARD_ROWS joint samples', () => {
    expect(MIN_SHARD_ROWS).toBe(250);
    expect(shardCount(4000, 2)).toBe(2); // HORM preset and bench shape
    expect(shardCount(1000, 2)).toBe(2); // multi-step matrix preset, MATRIX bench shape
    expect(shardCount(1000, 8)).toBe(4);
    expect(shardCount(499, 2)).toBe(1);
    expect(shardCount(100, 2)).toBe(1); // single-step matrix preset: stays whole
    expect(shardCount(10, 3, 1)).toBe(3);
  });
});

describe('shardBounds', () => {
  it.each([
    [10, 1, [0, 10]],
    [10, 2, [0, 5, 10]],
    [10, 3, [0, 3, 6, 10]],
    [2, 5, [0, 1, 2]], // never an empty shard
  ])('%i rows in %i shards → %j', (rows, shards, expected) => {
    expect(shardBounds(rows, shards)).toEqual(expected);
  });
});

/** A random minibatch of `rows` joint samples for the model `m`; some agents inactive. */
function randomBatch(m: SteerModelConfig, rows: number, seed: number): ShardBatch {
  const rng = Rng.fromSeed(seed);
  const n = m.numAgents;
  const discrete = m.actionSpace.kind === 'discrete';
  const a = discrete ? (m.actionSpace as { n: number }).n : (m.actionSpace as { dim: number }).dim;
  const w = discrete ? 1 : a;
  const fill = (size: number, f: () => number) => Float32Array.from({ length: size }, f);
  return {
    rows,
    obs: fill(rows * n * m.obsDim, () => rng.normal()),
    state: m.useStateToken ? null : fill(rows * m.stateDim, () => rng.normal()),
    actions: fill(rows * n * w, () => (discrete ? Math.floor(rng.uniform() * a) : rng.normal())),
    avail: null,
    advantages: fill(rows * n, () => rng.normal()),
    logProbs: fill(rows * n * w, () => -1 - rng.uniform()),
    values: fill(rows * n, () => rng.normal()),
    targets: fill(rows * n, () => 3 * rng.normal()),
    active: fill(rows * n, () => (rng.uniform() < 0.8 ? 1 : 0)),
  };
}

/** Gradients (flat, parameter order) and stats of `shards` shards, added up. */
function shardedGradients(
  policy: SteerPolicy,
  batch: ShardBatch,
  shards: number,
  c: TrainConfig,
): { grads: number[]; stats: number[] } {
  const m = policy.model.config;
  const params = policy.model.params.list();
  const d = lossDenominators(batch.active, batch.rows, m.numAgents, policy.actionWidth, c);
  const bounds = shardBounds(batch.rows, shards);
  const grads = new Float64Array(policy.model.parameterCount());
  const stats = new Array<number>(SHARD_STAT_KEYS.length).fill(0);
  for (let s = 0; s + 1 < bounds.length; s++) {
    tf.tidy(() => {
      const out = shardGradients(policy, params, sliceShard(batch, bounds[s]!, bounds[s + 1]!, m), d, c);
      let offset = 0;
      for (const g of out.grads) {
        const values = g.dataSync();
        for (let i = 0; i < values.length; i++) grads[offset + i] = grads[offset + i]! + values[i]!;
        offset += values.length;
      }
      out.stats.dataSync().forEach((v, k) => {
        stats[k] = stats[k]! + v;
      });
      out.stats.dispose();
    });
  }
  return { grads: Array.from(grads), stats };
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThan(tolerance);
}

describe('shard gradients add up to the whole minibatch', () => {
  it.each([
    [
      'discrete, masked',
      { kind: 'discrete', n: 3 },
      { usePolicyActiveMasks: true, useValueActiveMasks: true },
    ],
    [
      'discrete, unmasked',
      { kind: 'discrete', n: 3 },
      { usePolicyActiveMasks: false, useValueActiveMasks: false },
    ],
    [
      'continuous, masked policy',
      { kind: 'continuous', dim: 2, low: -1, high: 1 },
      { useValueActiveMasks: false },
    ],
  ] as const)('%s: 2 and 3 shards = 1 shard (gradients and stats)', (_label, actionSpace, overrides) => {
    const model = smallModel({ actionSpace, useStateToken: false });
    randomizeWeights(model, 3);
    const policy = new SteerPolicy(model);
    const c = resolveTrainConfig('test', { valueLoss: 'huber', huberDelta: 1, ...overrides });
    const batch = randomBatch(model.config, 7, 5);
    const whole = shardedGradients(policy, batch, 1, c);
    expect(whole.grads.some((g) => g !== 0)).toBe(true);
    for (const shards of [2, 3]) {
      const parts = shardedGradients(policy, batch, shards, c);
      expectClose(parts.grads, whole.grads, 1e-5);
      expectClose(parts.stats, whole.stats, 1e-5);
    }
    model.dispose();
  });

  it('a shard counts its rows against the whole minibatch: one of two shards gives about half the loss', () => {
    const model = smallModel();
    const policy = new SteerPolicy(model);
    const c = resolveTrainConfig('test', { usePolicyActiveMasks: false, useValueActiveMasks: false });
    const batch = {
      ...randomBatch(model.config, 8, 7),
      values: new Float32Array(32),
      targets: new Float32Array(32).fill(2),
    };
    const d = lossDenominators(batch.active, 8, 4, 1, c);
    expect(d).toEqual({ policy: 32, entropy: 32, value: 32, entries: 32 });
    const value = (shard: ShardBatch) =>
      tf.tidy(() => {
        const out = shardGradients(policy, model.params.list(), shard, d, c);
        const v = out.stats.dataSync()[1]!;
        out.stats.dispose();
        return v;
      });
    const whole = value(batch);
    const half = value(sliceShard(batch, 0, 4, model.config));
    expect(half / whole).toBeGreaterThan(0.45);
    expect(half / whole).toBeLessThan(0.55);
    model.dispose();
  });
});

/**
 * Stand-in for helper threads, computing its tasks on this thread at `collect` (the contract of
 * GradientWorkers), and recording the first observation value of each shard it was given.
 */
function inThreadWorkers(policy: SteerPolicy, size: number, c: TrainConfig) {
  let pending: readonly ShardTask[] = [];
  const received: number[] = [];
  const workers: GradientWorkers = {
    size,
    post(tasks, weights) {
      expect(Array.from(weights)).toEqual(Array.from(flattenTensors(policy.model.params.list())));
      pending = tasks;
      for (const t of tasks) received.push(t.shard.obs[0]!);
    },
    collect: () =>
      pending.map((t) => computeShard(policy, policy.model.params.list(), t.shard, t.denominators, c)),
    dispose: () => {},
  };
  return { workers, received };
}

describe('minibatchGradient', () => {
  it('gives the same bits with helper threads as without; helpers take shards 1..size', () => {
    const model = smallModel({ useStateToken: false });
    randomizeWeights(model, 3);
    const policy = new SteerPolicy(model);
    const c = resolveTrainConfig('test', { gradientShards: 3 });
    const batch = randomBatch(model.config, 9, 5);
    const d = lossDenominators(batch.active, batch.rows, model.config.numAgents, policy.actionWidth, c);
    const alone = minibatchGradient(policy, batch, d, null, c, 1);
    const firstObs = (s: number) => batch.obs[s * 3 * model.config.numAgents * model.config.obsDim]!;
    for (const size of [1, 2]) {
      const { workers, received } = inThreadWorkers(policy, size, c);
      const helped = minibatchGradient(policy, batch, d, workers, c, 1);
      expect(Array.from(helped.grads)).toEqual(Array.from(alone.grads));
      expect(Array.from(helped.stats)).toEqual(Array.from(alone.stats));
      // 9 rows in 3 shards of 3: the helpers get shards 1..size, this thread the rest
      expect(received).toEqual(size === 1 ? [firstObs(1)] : [firstObs(1), firstObs(2)]);
    }
    // and the sum is the shards': one shard per call of computeShard, added in shard order
    const bounds = shardBounds(9, 3);
    const parts = bounds
      .slice(1)
      .map((to, s) =>
        computeShard(policy, model.params.list(), sliceShard(batch, bounds[s]!, to, model.config), d, c),
      );
    const sum = Float32Array.from(parts[0]!.grads);
    for (const part of parts.slice(1)) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + part.grads[i]!;
    expect(Array.from(alone.grads)).toEqual(Array.from(sum));
    model.dispose();
  });
});

describe('Trainer with gradient shards', () => {
  it('2 and 3 shards follow the 1-shard run within float rounding (3 updates, 2 minibatches)', () => {
    const run = (gradientShards: number) => {
      const config = resolveTrainConfig('nstep:coordination', {
        seed: 1,
        numEnvs: 2,
        episodeLength: 10,
        totalEnvSteps: 1000,
        embedDim: 16,
        numMinibatches: 2,
        ppoEpochs: 2,
        gradientShards,
      });
      const t = new Trainer('nstep:coordination', () => makeEnv('nstep:coordination'), config);
      t.minShardRows = 1; // minibatches of 10 joint samples
      expect(t.gradientShardCount).toBe(gradientShards);
      const metrics = [t.iterate(), t.iterate(), t.iterate()];
      const weights = t.model.params.list().flatMap((p) => Array.from(p.dataSync()));
      t.dispose();
      return { metrics, weights };
    };
    const one = run(1);
    for (const shards of [2, 3]) {
      const many = run(shards);
      expectClose(many.weights, one.weights, 1e-4);
      for (let u = 0; u < 3; u++) {
        expect(many.metrics[u]!['loss/total']).toBeCloseTo(one.metrics[u]!['loss/total']!, 4);
        expect(many.metrics[u]!['loss/gradNorm']).toBeCloseTo(one.metrics[u]!['loss/gradNorm']!, 3);
      }
    }
  });

  it('refuses gradientShards below 1 in the config', () => {
    expect(() => resolveTrainConfig('nstep:coordination', { gradientShards: 0 })).toThrow(/gradientShards/);
  });
});
