/**
 * STEP through the one trainer (docs/algos/step.md): the registry entry and the knobs its network
 * config reads, the first PPO ratio of 1, tensor hygiene across updates, and a checkpoint round trip
 * (exportState → importState) that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../../src/core/algos/config.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { algorithmNamed } from '../../../../../src/core/algos/registry.js';
import { STEP, STEP_HYPER_DIM, StepModel, StepPolicy } from '../../../../../src/core/algos/step/index.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
const TINY = { algo: 'step', seed: 1, numEnvs: 2, episodeLength: 5, totalEnvSteps: 100 } as const;

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

describe('STEP in the registry', () => {
  it('is listed as "step" and builds its network from embedDim and numBlocks; numHeads is not read', () => {
    expect(algorithmNamed('step')).toBe(STEP);
    const t = trainer('matrix:penalty0', { embedDim: 24, numBlocks: 2, numHeads: 3 });
    expect(t.model).toBeInstanceOf(StepModel);
    expect(t.policy).toBeInstanceOf(StepPolicy);
    expect(t.model.config).toEqual({
      numAgents: 2,
      obsDim: 1,
      stateDim: 2, // no env state: the concatenated observations
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 24,
      numLayers: 2,
      hyperDim: STEP_HYPER_DIM,
    });
    // every level reads the state, whatever the preset's state token says
    expect(t.config.useStateToken).toBe(true);
    expect(t.policy.readsState).toBe(true);
    t.dispose();
  });
});

describe('STEP trained by the PPO trainer', () => {
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

  it('one update moves every parameter, the hypernetwork’s included (nstep:coordination, whose inputs vary)', () => {
    // on a single-step game every input is constant and the input LayerNorm maps it to 0, so the
    // encoder and the generated hidden weights get no gradient there; only biases carry the policy
    const t = trainer('nstep:coordination', { embedDim: 16 });
    const before = weights(t);
    t.iterate();
    const after = weights(t);
    for (const [name, w] of after) expect(w, name).not.toEqual(before.get(name));
    t.dispose();
  });

  it('tf.memory().numTensors is the same after update 2 and after update 5', () => {
    const t = trainer('nstep:coordination', { embedDim: 16, numMinibatches: 2, ppoEpochs: 2 });
    t.iterate();
    t.iterate();
    const afterTwo = tf.memory().numTensors;
    for (let u = 0; u < 3; u++) t.iterate();
    expect(tf.memory().numTensors).toBe(afterTwo);
    t.dispose();
  });

  it('export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights and metrics', () => {
    const original = trainer('matrix:penalty0', { embedDim: 16 });
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const snapshot = deepCopy(saved.tensors);
    const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON
    expect(snapshot.map((x) => x.name)).toContain('model.hyper.hidden.0.weight.fromCondition');

    const resumed = trainer('matrix:penalty0', { embedDim: 16, seed: 9 });
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
  });

  it('refuses a checkpoint of a different depth, naming the field', () => {
    const shallow = trainer('matrix:penalty0', { embedDim: 16, numBlocks: 1 });
    const deep = trainer('matrix:penalty0', { embedDim: 16, numBlocks: 2 });
    const { meta, tensors } = deep.exportState();
    expect(() => shallow.importState(meta, tensors)).toThrow(
      /modelConfig\.numLayers is 2, but this run needs 1/,
    );
    shallow.dispose();
    deep.dispose();
  });
});
