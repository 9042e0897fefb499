/**
 * MAPPO through the one trainer (docs/algos/mappo.md): the registry entry and the knobs its network
 * config reads, the first PPO ratio of 1, tensor hygiene across updates, and a checkpoint round trip
 * (exportState → importState) that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../../src/core/algos/config.js';
import { MAPPO, MappoNetwork } from '../../../../../src/core/algos/mappo/index.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { algorithmNamed } from '../../../../../src/core/algos/registry.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
const TINY = { algo: 'mappo', seed: 1, numEnvs: 2, episodeLength: 5, totalEnvSteps: 100 } as const;

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

describe('MAPPO in the registry', () => {
  it('is listed as "mappo" and builds its network from embedDim, numBlocks and useStateToken, with agent ids', () => {
    expect(algorithmNamed('mappo')).toBe(MAPPO);
    const t = trainer('matrix:penalty0', { embedDim: 24, numBlocks: 2, numHeads: 3 });
    expect(t.model).toBeInstanceOf(MappoNetwork);
    expect(t.model.config).toEqual({
      numAgents: 2,
      obsDim: 1,
      stateDim: 2,
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 24,
      numBlocks: 2,
      agentIdInput: true,
      criticInput: 'observations',
    });
    // the matrix preset's state token: the env's state is not read; the critic takes all observations
    expect(t.config.useStateToken).toBe(true);
    expect(t.policy.readsState).toBe(false);
    t.dispose();
    // the matrix preset's size (docs/algos/mappo.md): actor 3 → 64 → 64 → 3 and critic 4 → 64 → 64 → 1,
    // each with its input LayerNorm and a LayerNorm per hidden layer
    const preset = trainer('matrix:penalty0');
    const mlp = (input: number) => 2 * input + (input * 64 + 64 + 128) + (64 * 64 + 64 + 128);
    expect(preset.model.params.count()).toBe(mlp(3) + 64 * 3 + 3 + mlp(4) + 64 + 1);
    expect(preset.model.params.count()).toBe(9682);
    preset.dispose();
    const withState = trainer('matrix:penalty0', { useStateToken: false });
    expect((withState.model as MappoNetwork).config.criticInput).toBe('state');
    expect(withState.policy.readsState).toBe(true);
    withState.dispose();
  });
});

describe('MAPPO trained by the PPO trainer', () => {
  it.each(['matrix:penalty0', 'nstep:coordination'])(
    '%s: the first pass over a fresh rollout has ratio 1; losses are finite',
    (envName) => {
      const t = trainer(envName, { embedDim: 16, ppoEpochs: 1, numMinibatches: 1 });
      const m = t.iterate();
      expect(Math.abs(m['loss/approxKl']!)).toBeLessThan(1e-6);
      expect(m['loss/clipFraction']).toBe(0);
      for (const key of ['policy', 'value', 'entropy', 'total', 'gradNorm']) {
        expect(Number.isFinite(m[`loss/${key}`]), key).toBe(true);
      }
      t.dispose();
    },
  );

  it('tf.memory().numTensors is the same after update 2 and after update 5', () => {
    const t = trainer('nstep:coordination', { embedDim: 16, numMinibatches: 2, ppoEpochs: 2 });
    t.iterate();
    t.iterate();
    const afterTwo = tf.memory().numTensors;
    for (let u = 0; u < 3; u++) t.iterate();
    expect(tf.memory().numTensors).toBe(afterTwo);
    t.dispose();
  });

  it.each([true, false])(
    'useStateToken %s: export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights and metrics',
    (useStateToken) => {
      const original = trainer('matrix:penalty0', { embedDim: 16, useStateToken });
      original.iterate();
      original.iterate();
      const saved = original.exportState();
      const snapshot = deepCopy(saved.tensors);
      const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON
      expect(snapshot.map((x) => x.name)).toContain('model.actor.mlp.0.linear.weight');

      const resumed = trainer('matrix:penalty0', { embedDim: 16, useStateToken, seed: 9 });
      expect(weights(resumed)).not.toEqual(weights(original));
      resumed.importState(meta, snapshot);
      expect(weights(resumed)).toEqual(weights(original));
      for (let k = 0; k < 2; k++) {
        const a = original.iterate();
        const b = resumed.iterate();
        expect(withoutPerf(b)).toEqual(withoutPerf(a));
      }
      expect(weights(resumed)).toEqual(weights(original));
      original.dispose();
      resumed.dispose();
    },
  );

  it('refuses a checkpoint of a different width, naming the field', () => {
    const small = trainer('matrix:penalty0', { embedDim: 16 });
    const other = trainer('matrix:penalty0', { embedDim: 32 });
    const { meta, tensors } = other.exportState();
    expect(() => small.importState(meta, tensors)).toThrow(
      /modelConfig\.embedDim is 32, but this run needs 16/,
    );
    small.dispose();
    other.dispose();
  });
});
