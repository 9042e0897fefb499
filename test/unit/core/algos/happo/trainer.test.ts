/**
 * HAPPO through the one trainer (`algo: 'happo'`): the registry entry, metrics, reproducibility,
 * the first pass at ratio 1, tensor hygiene across updates, and an in-memory checkpoint round trip
 * that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../../src/core/algos/config.js';
import { HappoPolicy } from '../../../../../src/core/algos/happo/index.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { algorithmNamed } from '../../../../../src/core/algos/registry.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
const TINY = {
  algo: 'happo',
  seed: 1,
  numEnvs: 2,
  episodeLength: 5,
  totalEnvSteps: 100,
  embedDim: 16,
} as const;

function trainer(envName: string, overrides: Partial<TrainConfig> = {}): Trainer {
  return new Trainer(
    envName,
    () => makeEnv(envName),
    resolveAlgorithmConfig(envName, { ...TINY, ...overrides }),
  );
}

function withoutPerf(m: UpdateMetrics): UpdateMetrics {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
}

function weights(t: Trainer): Map<string, number[]> {
  return new Map(t.model.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function deepCopy(tensors: NamedArray[]): NamedArray[] {
  return tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: Float32Array.from(t.data) }));
}

describe('HAPPO in the trainer', () => {
  it('is registered as "happo" with its own update, and trains a HappoPolicy', () => {
    const algorithm = algorithmNamed('happo');
    expect(algorithm.name).toBe('happo');
    expect(algorithm.update).toBeDefined();
    const t = trainer('matrix:penalty0');
    expect(t.policy).toBeInstanceOf(HappoPolicy);
    const m = t.iterate();
    for (const key of ['policy', 'value', 'entropy', 'approxKl', 'clipFraction', 'total', 'gradNorm']) {
      expect(Number.isFinite(m[`loss/${key}`]), key).toBe(true);
    }
    expect([m['happo/order/0'], m['happo/order/1']].sort()).toEqual([0, 1]);
    expect(m['train/episodes']).toBe(10);
    t.dispose();
  });

  it.each([
    ['matrix:penalty0', {}],
    ['nstep:coordination', { quirkValueNormPerMinibatch: true }],
  ] as const)(
    '%s: each agent’s single step is taken at ratio 1 (rollout log-probs = its actor’s)',
    (envName, extra) => {
      const t = trainer(envName, { ppoEpochs: 1, numMinibatches: 1, ...extra });
      const m = t.iterate();
      expect(Math.abs(m['loss/approxKl']!)).toBeLessThan(1e-6);
      expect(m['loss/clipFraction']).toBe(0);
      t.dispose();
    },
  );

  it('asks for no gradient helper threads (its own update computes every gradient in this thread)', () => {
    const happo = trainer('matrix:penalty0', { gradientShards: 2, numEnvs: 8, episodeLength: 8 });
    happo.minShardRows = 1; // as small minibatches would otherwise stay in one shard anyway
    expect(happo.gradientShardCount).toBe(1);
    happo.dispose();
    const steer = trainer('matrix:penalty0', {
      algo: 'steer',
      gradientShards: 2,
      numEnvs: 8,
      episodeLength: 8,
    });
    steer.minShardRows = 1;
    expect(steer.gradientShardCount).toBe(2); // the same config shards for a plain-PPO algorithm
    steer.dispose();
  });

  it('is reproducible from the seed: same config → same metrics and weights; another seed → different', () => {
    const a = trainer('matrix:penalty0');
    const b = trainer('matrix:penalty0');
    const c = trainer('matrix:penalty0', { seed: 2 });
    const ma = withoutPerf(a.iterate());
    expect(withoutPerf(b.iterate())).toEqual(ma);
    expect(weights(b)).toEqual(weights(a));
    expect(withoutPerf(c.iterate())).not.toEqual(ma);
    for (const t of [a, b, c]) t.dispose();
  });

  it('tf.memory().numTensors is the same after update 2 and after update 5', () => {
    const t = trainer('nstep:coordination', { numMinibatches: 2, ppoEpochs: 2 });
    t.iterate();
    t.iterate();
    const afterTwo = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) t.iterate();
    expect(tf.memory().numTensors).toBe(afterTwo);
    t.dispose();
  });
});

describe('HAPPO checkpoint round trip (in memory)', () => {
  it('export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights, moments and metrics', () => {
    const original = trainer('matrix:penalty0', { embedDim: 32 });
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON
    const resumed = trainer('matrix:penalty0', { embedDim: 32 });
    resumed.importState(meta, deepCopy(saved.tensors));
    expect(weights(resumed)).toEqual(weights(original));
    expect(resumed.optimizer.step).toBe(original.optimizer.step);
    for (let k = 0; k < 2; k++) {
      const a = original.iterate();
      const b = resumed.iterate();
      expect(withoutPerf(b)).toEqual(withoutPerf(a));
    }
    const endA = original.exportState();
    const endB = resumed.exportState();
    expect(endB.meta).toEqual(endA.meta);
    endA.tensors.forEach((t, i) => {
      expect(endB.tensors[i]!.name).toBe(t.name);
      expect(Array.from(endB.tensors[i]!.data), t.name).toEqual(Array.from(t.data));
    });
    // the per-group optimizers' moments are in the checkpoint: each output layer's first moment moved
    // (not every tensor's: the matrix games' constant observations give the input norms no gradient)
    const moments = endA.tensors.filter((t) => /^adam\.m\.(actor\.\d+|critic)\.out\./.test(t.name));
    expect(moments.length).toBe(6);
    for (const t of moments)
      expect(
        t.data.some((x) => x !== 0),
        t.name,
      ).toBe(true);
    original.dispose();
    resumed.dispose();
  });

  it('3 agents: the resumed run draws the same visiting orders, and needs the saved optimiser moments to continue identically', () => {
    // matching_pennies_3: 3 agents, so an order is one of 6 permutations drawn from the trainer's RNG
    const env = 'matrix:matching_pennies_3';
    const orderOf = (m: UpdateMetrics) => [0, 1, 2].map((k) => m[`happo/order/${k}`]).join('');
    const original = trainer(env);
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const meta = JSON.parse(JSON.stringify(saved.meta));
    const resumed = trainer(env);
    resumed.importState(meta, deepCopy(saved.tensors));
    // the same checkpoint without the Adam moments: every group's optimiser would start afresh
    const forgetful = trainer(env);
    forgetful.importState(meta, deepCopy(saved.tensors.filter((t) => !t.name.startsWith('adam.'))));
    const orders: string[] = [];
    for (let k = 0; k < 4; k++) {
      const a = original.iterate();
      expect(withoutPerf(resumed.iterate())).toEqual(withoutPerf(a));
      forgetful.iterate();
      orders.push(orderOf(a));
    }
    expect(new Set(orders).size).toBeGreaterThan(1); // the continuation's orders are drawn, not fixed
    expect(weights(resumed)).toEqual(weights(original));
    const drift = [...weights(original)].filter(([name, v]) => {
      const w = weights(forgetful).get(name)!;
      return v.some((x, i) => x !== w[i]);
    });
    expect(drift.length).toBeGreaterThan(0);
    for (const t of [original, resumed, forgetful]) t.dispose();
  });

  it('refuses a checkpoint of another width, naming the field', () => {
    const small = trainer('matrix:penalty0');
    const other = trainer('matrix:penalty0', { embedDim: 32 });
    const { meta, tensors } = other.exportState();
    expect(() => small.importState(meta, tensors)).toThrow(
      /modelConfig\.embedDim is 32, but this run needs 16/,
    );
    small.dispose();
    other.dispose();
  });
});
