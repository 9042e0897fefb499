/**
 * Trainer (docs/spec/steer.md §b): tensor hygiene across updates, reproducibility from the seed,
 * the first PPO ratio of 1 (check §g.2 through the runner), and an in-memory checkpoint round trip
 * that continues bit-identically on the cpu backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  REFERENCE_QUIRKS,
  resolveTrainConfig,
  type TrainConfig,
} from '../../../../../src/core/algos/config.js';
import { type NamedArray, Trainer, type UpdateMetrics } from '../../../../../src/core/algos/ppo/trainer.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import { type VectorEnv, vectorOf } from '../../../../../src/core/envs/vector.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny run: 2 envs × 5 steps, 100 steps in all → 10 updates. */
const TINY = { seed: 1, numEnvs: 2, episodeLength: 5, totalEnvSteps: 100 } as const;

function trainer(envName: string, overrides: Partial<TrainConfig> = {}): Trainer {
  const config = resolveTrainConfig(envName, { ...TINY, ...overrides });
  return new Trainer(envName, () => makeEnv(envName), config);
}

/** Metrics without the wall-clock ones (perf/*), which legitimately differ between runs. */
function withoutPerf(m: UpdateMetrics): UpdateMetrics {
  return Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/')));
}

function weights(t: Trainer): Map<string, number[]> {
  return new Map(t.model.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function deepCopy(tensors: NamedArray[]): NamedArray[] {
  return tensors.map((t) => ({ name: t.name, shape: [...t.shape], data: Float32Array.from(t.data) }));
}

describe('Trainer basics', () => {
  it('runs ⌊total / T / R⌋ updates and reports finite, slash-namespaced losses', () => {
    const t = trainer('matrix:penalty0', { embedDim: 16 });
    expect(t.updates).toBe(Math.floor(100 / 5 / 2));
    const m = t.iterate();
    expect(m.update).toBe(1);
    expect(m.envSteps).toBe(5 * 2);
    expect(t.envSteps).toBe(10);
    for (const key of ['policy', 'value', 'entropy', 'approxKl', 'clipFraction', 'total', 'gradNorm']) {
      expect(Number.isFinite(m[`loss/${key}`]), key).toBe(true);
    }
    // single-step games end every step: 10 episodes, length 1, one return per agent
    expect(m['train/episodes']).toBe(10);
    expect(m['train/episodeLength']).toBe(1);
    expect(m['train/episodeReturn/agent0']).toBeDefined();
    expect(m['train/episodeReturn/agent1']).toBeDefined();
    expect(m['train/lr']).toBe(t.config.lr);
    t.dispose();
  });

  it("scales the leader's advantages by leaderAdvantageScale in the policy loss", () => {
    // one pass over one minibatch: the loss is taken at the rollout's own parameters (ratio 1), so the
    // policy loss is −mean(advantages): 0 after normalisation, −(s − 1)·Σ leader's / count with scale s
    const policyLoss = (leaderAdvantageScale: number) => {
      const t = trainer('nstep:coordination', {
        embedDim: 16,
        ppoEpochs: 1,
        numMinibatches: 1,
        leaderAdvantageScale,
      });
      const m = t.iterate();
      t.dispose();
      return m['loss/policy']!;
    };
    const reference = policyLoss(1);
    const half = policyLoss(0.5);
    const tenth = policyLoss(0.1);
    expect(Math.abs(reference)).toBeLessThan(1e-6);
    expect(Math.abs(half)).toBeGreaterThan(1e-5);
    // linear in (s − 1): the same leader advantages, scaled
    expect(tenth / half).toBeCloseTo(0.9 / 0.5, 3);
  });

  it('is reproducible from the seed: same config → same metrics and weights; another seed → different', () => {
    const a = trainer('matrix:penalty0', { embedDim: 16 });
    const b = trainer('matrix:penalty0', { embedDim: 16 });
    const c = trainer('matrix:penalty0', { embedDim: 16, seed: 2 });
    const ma = withoutPerf(a.iterate());
    expect(withoutPerf(b.iterate())).toEqual(ma);
    expect(weights(b)).toEqual(weights(a));
    expect(withoutPerf(c.iterate())).not.toEqual(ma);
    for (const t of [a, b, c]) t.dispose();
  });

  it.each([
    ['matrix:penalty0', {}],
    ['nstep:cooperation', {}],
    ['nstep:coordination', REFERENCE_QUIRKS],
  ] as const)(
    '%s: the first pass over a fresh rollout has ratio 1 (stored log-probs = teacher-forced ones)',
    (envName, extra) => {
      // one epoch of one minibatch: the only gradient step comes after the loss is measured
      const t = trainer(envName, { embedDim: 16, ppoEpochs: 1, numMinibatches: 1, ...extra });
      const m = t.iterate();
      expect(Math.abs(m['loss/approxKl']!)).toBeLessThan(1e-6);
      expect(m['loss/clipFraction']).toBe(0);
      expect(Number.isFinite(m['loss/total']!)).toBe(true);
      t.dispose();
    },
  );
});

describe('Trainer tensor hygiene', () => {
  it.each([
    ['matrix:penalty0', {}],
    [
      'nstep:coordination (reference quirks, 2 minibatches)',
      { ...REFERENCE_QUIRKS, numMinibatches: 2, ppoEpochs: 2 },
    ],
  ] as const)('%s: tf.memory().numTensors is the same after update 2 and after update 5', (label, extra) => {
    const envName = label.split(' ')[0]!;
    const t = trainer(envName, extra);
    t.iterate();
    t.iterate();
    const afterTwo = tf.memory().numTensors;
    t.iterate();
    t.iterate();
    t.iterate();
    expect(t.update).toBe(5);
    expect(tf.memory().numTensors).toBe(afterTwo);

    // acting with the trained policy allocates nothing lasting either
    const env = makeEnv(envName);
    const { numAgents: n, obsDim } = env.spec;
    const obs = new Float32Array(3 * n * obsDim);
    for (let e = 0; e < 3; e++) obs.set(env.reset(e).obs, e * n * obsDim);
    const rng = Rng.fromSeed(4);
    const input = { batch: 3, obs, state: null, avail: null };
    t.policy.act(input, false, rng);
    const beforeActing = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) t.policy.act(input, i % 2 === 1, rng);
    expect(tf.memory().numTensors).toBe(beforeActing);
    t.dispose();
  });
});

describe('Trainer checkpoint round trip (in memory)', () => {
  it('export after 2 updates, import into a fresh trainer, 2 more updates in both → identical weights and metrics', () => {
    const original = trainer('matrix:penalty0', { embedDim: 32 });
    original.iterate();
    original.iterate();
    const saved = original.exportState();
    const snapshot = deepCopy(saved.tensors);
    const meta = JSON.parse(JSON.stringify(saved.meta)); // a checkpoint's meta is JSON

    const resumed = trainer('matrix:penalty0', { embedDim: 32 });
    expect(weights(resumed)).not.toEqual(weights(original));
    resumed.importState(meta, snapshot);
    expect(resumed.update).toBe(2);
    expect(resumed.envSteps).toBe(original.envSteps);
    expect(weights(resumed)).toEqual(weights(original));
    expect(resumed.valueNorm.getState()).toEqual(original.valueNorm.getState());
    expect(resumed.optimizer.step).toBe(original.optimizer.step);

    for (let k = 0; k < 2; k++) {
      const a = original.iterate();
      const b = resumed.iterate();
      expect(withoutPerf(b)).toEqual(withoutPerf(a));
      expect(Object.keys(a).some((key) => key.startsWith('perf/'))).toBe(true);
    }
    expect(weights(resumed)).toEqual(weights(original));
    const endA = original.exportState();
    const endB = resumed.exportState();
    expect(endB.meta).toEqual(endA.meta);
    expect(endB.tensors.map((t) => t.name)).toEqual(endA.tensors.map((t) => t.name));
    endA.tensors.forEach((t, i) => {
      expect(Array.from(endB.tensors[i]!.data), t.name).toEqual(Array.from(t.data));
    });

    // the exported arrays were a snapshot: training on did not change them
    saved.tensors.forEach((t, i) => {
      expect(Array.from(t.data), t.name).toEqual(Array.from(snapshot[i]!.data));
    });
    original.dispose();
    resumed.dispose();
  });

  it('exports weights and both Adam moments for every parameter', () => {
    const t = trainer('matrix:penalty0', { embedDim: 16 });
    const { meta, tensors } = t.exportState();
    const names = t.model.params.entries().map(([name]) => name);
    expect(tensors.map((x) => x.name).sort()).toEqual(
      names.flatMap((n) => [`model.${n}`, `adam.m.${n}`, `adam.v.${n}`]).sort(),
    );
    expect(meta.update).toBe(0);
    expect(meta.envSnapshots).toHaveLength(2);
    t.dispose();
  });

  it('refuses a checkpoint of a different architecture, naming the field', () => {
    const small = trainer('matrix:penalty0', { embedDim: 16 });
    const other = trainer('matrix:penalty0', { embedDim: 32 });
    const { meta, tensors } = other.exportState();
    expect(() => small.importState(meta, tensors)).toThrow(
      /modelConfig\.embedDim is 32, but this run needs 16/,
    );
    small.dispose();
    other.dispose();
  });

  it("refuses another algorithm's checkpoint, naming config.algo; a checkpoint without the key is STEER's", () => {
    const steer = trainer('matrix:penalty0', { embedDim: 16 });
    const mappo = trainer('matrix:penalty0', { embedDim: 16, algo: 'mappo' });
    const saved = mappo.exportState();
    expect(() => steer.importState(saved.meta, saved.tensors)).toThrow(
      'checkpoint config.algo is "mappo", but this run trains "steer"',
    );
    const own = steer.exportState();
    const { algo: _dropped, ...withoutAlgo } = own.meta.config;
    const legacy = { ...own.meta, config: withoutAlgo as TrainConfig };
    expect(() => steer.importState(legacy, own.tensors)).not.toThrow();
    expect(() => mappo.importState(legacy, own.tensors)).toThrow(
      'checkpoint config.algo is "steer", but this run trains "mappo"',
    );
    steer.dispose();
    mappo.dispose();
  });

  it('refuses a checkpoint that lacks a weight or has a wrong shape, naming the tensor', () => {
    const t = trainer('matrix:penalty0', { embedDim: 16 });
    const { meta, tensors } = t.exportState();
    const missing = tensors.filter((x) => x.name !== 'model.seqLn.gamma');
    expect(() => t.importState(meta, missing)).toThrow(/no tensor "model.seqLn.gamma"/);
    const reshaped = tensors.map((x) => (x.name === 'model.stateToken' ? { ...x, shape: [16, 1] } : x));
    expect(() => t.importState(meta, reshaped)).toThrow(
      /"model.stateToken" has shape \[16,1\], expected \[1,16\]/,
    );
    t.dispose();
  });

  // trainerState.ts importTensors: `target.assign(tf.tensor(t.data, p.shape))` never disposes the tensor it
  // creates (Variable.assign shares its data but the tensor stays tracked): 3 tensors leak per
  // parameter (weight, Adam m, Adam v) on every import.
  it('importState allocates no lasting tensors', () => {
    const t = trainer('matrix:penalty0', { embedDim: 16 });
    const { meta, tensors } = t.exportState();
    const before = tf.memory().numTensors;
    t.importState(meta, deepCopy(tensors));
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('Trainer over a VectorEnv', () => {
  /** vectorOf over fresh envs, counting the calls the trainer makes. */
  function countingVector(envName: string, count: number) {
    const inner = vectorOf(Array.from({ length: count }, () => makeEnv(envName)));
    const calls = { step: 0, reset: 0, resetCopies: 0 };
    const vector: VectorEnv = {
      spec: inner.spec,
      size: inner.size,
      step: (actions) => {
        calls.step += 1;
        expect(actions).toHaveLength(count);
        return inner.step(actions);
      },
      reset: (indices, seeds) => {
        calls.reset += 1;
        calls.resetCopies += indices.length;
        return inner.reset(indices, seeds);
      },
      close: () => inner.close(),
    };
    return { vector, calls };
  }

  it('steps every copy in one call per time step and trains to the same numbers as one env at a time', () => {
    // the multi-step game: episodes of different lengths end at different steps in different copies
    const envName = 'nstep:coordination';
    const config = resolveTrainConfig(envName, { ...TINY, numEnvs: 3, episodeLength: 7, totalEnvSteps: 84 });
    const { vector, calls } = countingVector(envName, 3);
    const batched = new Trainer(
      envName,
      () => makeEnv(envName),
      config,
      () => vector,
    );
    const single = new Trainer(envName, () => makeEnv(envName), config);
    const a = [batched.iterate(), batched.iterate()].map(withoutPerf);
    const b = [single.iterate(), single.iterate()].map(withoutPerf);
    expect(a).toEqual(b);
    expect(weights(batched)).toEqual(weights(single));
    expect(calls.step).toBe(2 * 7);
    // one reset call at the start, then one per step in which some copies' episodes ended
    const episodes = a.reduce((s, m) => s + (m['train/episodes'] ?? 0), 0);
    expect(calls.resetCopies).toBe(3 + episodes);
    expect(calls.reset).toBeLessThan(calls.resetCopies);
    batched.dispose();
    single.dispose();
  });

  it('refuses a vector whose size differs from numEnvs', () => {
    const config = resolveTrainConfig('matrix:penalty0', { ...TINY, numEnvs: 2 });
    const { vector } = countingVector('matrix:penalty0', 3);
    expect(
      () =>
        new Trainer(
          'matrix:penalty0',
          () => makeEnv('matrix:penalty0'),
          config,
          () => vector,
        ),
    ).toThrow('the env vector has 3 copies, the config asks for 2');
  });
});
