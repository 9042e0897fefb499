/**
 * The four STEER ablations as algorithms of the one trainer (docs/algos/steer-ablations.md): their
 * registry entries and the knobs their network configs read, sampling equal to teacher forcing
 * (docs/spec/steer.md §g.2) for each, tensor hygiene across updates, and a checkpoint round trip
 * (exportState → importState) that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type TrainConfig } from '../../../../../src/core/algos/config.js';
import type { PolicyInput } from '../../../../../src/core/algos/marl.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { ALGORITHM_NAMES, algorithmNamed } from '../../../../../src/core/algos/registry.js';
import type { SteerPolicy } from '../../../../../src/core/algos/steer/policy.js';
import {
  ItbMlpModel,
  ItbOnlyModel,
  makeAblationPolicy,
  OtbGruModel,
  OtbOnlyModel,
  STEER_ABLATION_KINDS,
  STEER_ABLATIONS,
  type SteerAblation,
} from '../../../../../src/core/algos/steer-ablations/index.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { gaussian, maxAbsDiff, randomizeWeights, SMALL } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CLASSES = {
  'itb-mlp': ItbMlpModel,
  'otb-gru': OtbGruModel,
  'itb-only': ItbOnlyModel,
  'otb-only': OtbOnlyModel,
};

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
function trainer(kind: SteerAblation, envName: string, overrides: Partial<TrainConfig> = {}): Trainer {
  const config = resolveTrainConfig(envName, {
    algo: `steer-${kind}`,
    seed: 1,
    numEnvs: 2,
    episodeLength: 5,
    totalEnvSteps: 100,
    embedDim: 16,
    ...overrides,
  });
  return new Trainer(envName, () => makeEnv(envName), config);
}

describe('the ablations in the registry', () => {
  it('lists steer-itb-mlp, steer-otb-gru, steer-itb-only and steer-otb-only, each with its own model class', () => {
    expect(STEER_ABLATION_KINDS).toEqual(['itb-mlp', 'otb-gru', 'itb-only', 'otb-only']);
    for (const kind of STEER_ABLATION_KINDS) {
      const name = `steer-${kind}`;
      expect(ALGORITHM_NAMES).toContain(name);
      expect(algorithmNamed(name)).toBe(STEER_ABLATIONS[name as keyof typeof STEER_ABLATIONS]);
      const t = trainer(kind, 'matrix:penalty0', {
        embedDim: 24,
        numHeads: 3,
        numBlocks: 2,
        actionEncoderGain: 3,
      });
      expect(t.model).toBeInstanceOf(CLASSES[kind]);
      expect(t.model.config).toEqual({
        numAgents: 2,
        obsDim: 1,
        stateDim: 2,
        actionSpace: { kind: 'discrete', n: 3 },
        embedDim: 24,
        numHeads: 3,
        numBlocks: 2,
        useStateToken: true,
        actionEncoderGain: 3,
        ablation: kind,
      });
      t.dispose();
    }
  });

  it('refuses to build one ablation from another’s network config, naming both', () => {
    const config = algorithmNamed('steer-otb-gru').networkConfig(
      makeEnv('matrix:penalty0'),
      resolveTrainConfig('matrix:penalty0', {}),
    );
    expect(() => algorithmNamed('steer-itb-mlp').makePolicy(config, 1)).toThrow(
      /steer-itb-mlp: network config is for the ablation "otb-gru"/,
    );
  });
});

/** policy.evaluate on the flat inputs of `input` and the actions act() chose. */
function teacherForced(policy: SteerPolicy, input: PolicyInput, actions: Float32Array) {
  const { numAgents: n, obsDim: o, actionSpace } = policy.model.config;
  const a = policy.model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(input.obs, [b, n, o]),
      null,
      actionSpace.kind === 'discrete'
        ? tf.tensor(Array.from(actions), [b, n], 'int32')
        : tf.tensor(actions, [b, n, a]),
      input.avail ? tf.cast(tf.tensor(input.avail, [b, n, a], 'int32'), 'bool') : null,
    );
    return {
      logProbs: out.logProbs.dataSync() as Float32Array,
      values: out.values.dataSync() as Float32Array,
    };
  });
}

describe.each(STEER_ABLATION_KINDS)(
  'steer-%s: sampling equals teacher forcing (§a.6, check §g.2)',
  (kind) => {
    it.each([
      ['discrete with a mask', SMALL.actionSpace],
      ['continuous', { kind: 'continuous', dim: 2, low: -1, high: 1 } as ActionSpace],
    ])('%s: act log-probs and values equal evaluate on the sampled joint action', (label, actionSpace) => {
      const n = 3;
      const b = 48;
      const policy = makeAblationPolicy({ ...SMALL, numAgents: n, actionSpace, ablation: kind }, 1);
      randomizeWeights(policy.model, 41);
      const a = policy.model.actionDim;
      const rng = Rng.fromSeed(42);
      let avail: Uint8Array | null = null;
      if (label.includes('mask')) {
        avail = Uint8Array.from({ length: b * n * a }, () => (rng.uniform() < 0.7 ? 1 : 0));
        for (let row = 0; row < b * n; row++) avail[row * a + rng.int(a)] = 1;
      }
      const input: PolicyInput = { batch: b, obs: gaussian(b * n * 5, rng), state: null, avail };
      const out = policy.act(input, false, Rng.fromSeed(43));
      const ev = teacherForced(policy, input, out.actions);
      expect(maxAbsDiff(out.logProbs, ev.logProbs)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.values, ev.values)).toBeLessThan(1e-4);
      if (avail) for (let row = 0; row < b * n; row++) expect(avail[row * a + out.actions[row]!]).toBe(1);
      policy.model.dispose();
    });
  },
);

describe('the ablations trained by the PPO trainer', () => {
  it.each(STEER_ABLATION_KINDS)(
    'steer-%s: tf.memory().numTensors is the same after update 2 and after update 4',
    (kind) => {
      const t = trainer(kind, 'nstep:coordination', { numMinibatches: 2, ppoEpochs: 2 });
      t.iterate();
      t.iterate();
      const afterTwo = tf.memory().numTensors;
      t.iterate();
      t.iterate();
      expect(tf.memory().numTensors).toBe(afterTwo);
      t.dispose();
    },
  );

  it('steer-otb-gru: export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights and metrics', () => {
    const original = trainer('otb-gru', 'matrix:penalty0');
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const snapshot: NamedArray[] = saved.tensors.map((x) => ({
      ...x,
      shape: [...x.shape],
      data: Float32Array.from(x.data),
    }));
    const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON
    expect(snapshot.map((x) => x.name)).toContain('model.gru.1.candidate.hidden.weight');

    const resumed = trainer('otb-gru', 'matrix:penalty0', { seed: 9 });
    expect(weights(resumed)).not.toEqual(weights(original));
    resumed.importState(meta, snapshot);
    expect(weights(resumed)).toEqual(weights(original));
    for (let k = 0; k < 2; k++)
      expect(withoutPerf(resumed.iterate())).toEqual(withoutPerf(original.iterate()));
    expect(weights(resumed)).toEqual(weights(original));
    original.dispose();
    resumed.dispose();
  });

  it('refuses a checkpoint of another ablation or of STEER, naming the field', () => {
    const gru = trainer('otb-gru', 'matrix:penalty0');
    const others = [
      ['steer-otb-only', trainer('otb-only', 'matrix:penalty0')],
      [
        'steer',
        new Trainer(
          'matrix:penalty0',
          () => makeEnv('matrix:penalty0'),
          resolveTrainConfig('matrix:penalty0', { embedDim: 16 }),
        ),
      ],
    ] as const;
    for (const [algo, other] of others) {
      const { meta, tensors } = other.exportState();
      // the trainer compares the algorithm first
      expect(() => gru.importState(meta, tensors)).toThrow(`checkpoint config.algo is "${algo}"`);
      // the network config carries the ablation itself, for a checkpoint that names the wrong algo
      const relabelled = { ...meta, config: { ...meta.config, algo: 'steer-otb-gru' } };
      expect(() => gru.importState(relabelled, tensors)).toThrow(
        /modelConfig\.ablation is (undefined|"otb-only")/,
      );
      other.dispose();
    }
    gru.dispose();
  });
});

function weights(t: Trainer): Map<string, number[]> {
  return new Map(t.model.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function withoutPerf(m: UpdateMetrics): UpdateMetrics {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
}
