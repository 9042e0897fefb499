/**
 * MAT through the one trainer (`algo: 'mat'`): the registry entry and the knobs it reads, the first
 * PPO pass at ratio 1, reproducibility, tensor hygiene across updates, and an in-memory checkpoint
 * round trip that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../../src/core/algos/config.js';
import { type MatModelConfig, MatPolicy } from '../../../../../src/core/algos/mat/index.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { algorithmNamed } from '../../../../../src/core/algos/registry.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
const TINY = {
  algo: 'mat',
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

describe('MAT in the trainer', () => {
  it('is registered as "mat" with plain PPO (no update of its own) and trains a MatPolicy', () => {
    const algorithm = algorithmNamed('mat');
    expect(algorithm.name).toBe('mat');
    expect(algorithm.update).toBeUndefined();
    const t = trainer('matrix:penalty0');
    expect(t.policy).toBeInstanceOf(MatPolicy);
    const m = t.iterate();
    for (const key of ['policy', 'value', 'entropy', 'approxKl', 'clipFraction', 'total', 'gradNorm']) {
      expect(Number.isFinite(m[`loss/${key}`]), key).toBe(true);
    }
    expect(m['train/episodes']).toBe(10);
    t.dispose();
  });

  it('reads embedDim, numHeads and numBlocks; not useStateToken or actionEncoderGain', () => {
    const env = makeEnv('nstep:coordination');
    const base = resolveAlgorithmConfig('nstep:coordination', {
      ...TINY,
      embedDim: 32,
      numHeads: 4,
      numBlocks: 2,
    });
    const config = algorithmNamed('mat').networkConfig(env, base) as MatModelConfig;
    expect(config).toMatchObject({ network: 'mat', embedDim: 32, numHeads: 4, numBlocks: 2 });
    const other = algorithmNamed('mat').networkConfig(env, {
      ...base,
      useStateToken: !base.useStateToken,
      actionEncoderGain: 3,
    });
    expect(other).toEqual(config);
    const policy = algorithmNamed('mat').makePolicy(config, 1);
    const names = policy.model.params.entries().map(([name]) => name);
    expect(names).toContain('encoder.blocks.1.attn.key.weight');
    expect(names).toContain('decoder.blocks.1.crossAttn.query.weight');
    expect(names.some((name) => name.includes('blocks.2'))).toBe(false);
    policy.model.dispose();
  });

  it.each([
    ['matrix:penalty0', {}],
    ['nstep:coordination', { numHeads: 2 }],
  ] as const)(
    '%s: the first pass runs at ratio 1 (rollout log-probs = teacher-forced ones)',
    (envName, extra) => {
      const t = trainer(envName, { ppoEpochs: 1, numMinibatches: 1, ...extra });
      const m = t.iterate();
      expect(Math.abs(m['loss/approxKl']!)).toBeLessThan(1e-6);
      expect(m['loss/clipFraction']).toBe(0);
      t.dispose();
    },
  );

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

describe('MAT checkpoint round trip (in memory)', () => {
  it('export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights, moments and metrics', () => {
    const original = trainer('nstep:coordination', { embedDim: 32, numHeads: 2 });
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON
    const resumed = trainer('nstep:coordination', { embedDim: 32, numHeads: 2, seed: 99 });
    resumed.importState(meta, deepCopy(saved.tensors));
    expect(weights(resumed)).toEqual(weights(original));
    expect(resumed.optimizer.step).toBe(original.optimizer.step);
    for (let k = 0; k < 2; k++) {
      expect(withoutPerf(resumed.iterate())).toEqual(withoutPerf(original.iterate()));
    }
    const endA = original.exportState();
    const endB = resumed.exportState();
    // the same state but for the resumed run's own (unused) seed: what follows came from the checkpoint
    expect({ ...endB.meta, config: { ...endB.meta.config, seed: 1 } }).toEqual(endA.meta);
    expect(endB.tensors.map((t) => t.name)).toEqual(endA.tensors.map((t) => t.name));
    endA.tensors.forEach((t, i) => {
      expect(Array.from(endB.tensors[i]!.data), t.name).toEqual(Array.from(t.data));
    });
    // the checkpoint carries both halves of the network and their Adam moments
    for (const name of ['model.encoder.valueHead.fc2.weight', 'model.decoder.actorHead.fc2.weight']) {
      expect(endA.tensors.some((t) => t.name === name)).toBe(true);
      const moment = endA.tensors.find((t) => t.name === name.replace('model.', 'adam.m.'))!;
      expect(
        moment.data.some((x) => x !== 0),
        moment.name,
      ).toBe(true);
    }
    original.dispose();
    resumed.dispose();
  });

  it('refuses a checkpoint of another width or of STEER, naming the field (config.algo first)', () => {
    const small = trainer('matrix:penalty0');
    const wide = trainer('matrix:penalty0', { embedDim: 32 });
    const steer = trainer('matrix:penalty0', { algo: 'steer' });
    const fromWide = wide.exportState();
    expect(() => small.importState(fromWide.meta, fromWide.tensors)).toThrow(
      /modelConfig\.embedDim is 32, but this run needs 16/,
    );
    const fromSteer = steer.exportState();
    expect(() => small.importState(fromSteer.meta, fromSteer.tensors)).toThrow(
      'checkpoint config.algo is "steer", but this run trains "mat"',
    );
    for (const t of [small, wide, steer]) t.dispose();
  });
});
