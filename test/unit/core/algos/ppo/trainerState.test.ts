/**
 * Checkpoint data of the trainer (trainerState.ts): weights and Adam moments round-trip by name,
 * moments are optional, and what older versions wrote still loads: fused attention tensors and
 * model configs from before actionEncoderGain existed. The trainer-level round trip (counters, RNG,
 * envs, continuing bit-identically) is in trainer.test.ts.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkModelConfig,
  exportTensors,
  importTensors,
  type NamedArray,
  splitFusedAttention,
} from '../../../../../src/core/algos/ppo/trainerState.js';
import type { SteerModel, SteerModelConfig } from '../../../../../src/core/algos/steer/model.js';
import { Adam } from '../../../../../src/core/nn/adam.js';
import { GAIN_ACTIVATE } from '../../../../../src/core/nn/init.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { gaussian, randomizeWeights, smallModel } from '../steer/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An Adam over `model` whose moments are not zero (two steps on random gradients). */
function trainedAdam(model: SteerModel, seed: number): Adam {
  const adam = new Adam(model.params.list(), { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-5 });
  const rng = Rng.fromSeed(seed);
  adam.apply(gaussian(adam.size, rng), null);
  adam.apply(gaussian(adam.size, rng), null);
  return adam;
}

function weights(model: SteerModel): Record<string, number[]> {
  return Object.fromEntries(model.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
}

function moments(adam: Adam): number[][] {
  const { m, v } = adam.moments();
  return [...m, ...v].map((x) => Array.from(x));
}

/**
 * The layout of checkpoints from before key, query and value were separate layers, written
 * independently of splitFusedAttention: each block's three [D, D] weights side by side in one
 * [D, 3D] `attn.qkv.weight` (each row: key's row, query's row, value's row), biases likewise.
 */
function fuseAttention(tensors: NamedArray[]): NamedArray[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const out: NamedArray[] = [];
  for (const t of tensors) {
    const match = /^(.*\.attn\.)(key|query|value)\.(weight|bias)$/.exec(t.name);
    if (!match) {
      out.push(t);
      continue;
    }
    const [, prefix, part, kind] = match as unknown as [string, string, string, string];
    if (part !== 'key') continue; // written once, with query and value
    const parts = ['key', 'query', 'value'].map((p) => byName.get(`${prefix}${p}.${kind}`)!);
    const d = t.shape[t.shape.length - 1]!;
    const rows = kind === 'weight' ? t.shape[0]! : 1;
    const data = new Float32Array(rows * 3 * d);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < 3 * d; c++) data[r * 3 * d + c] = parts[Math.floor(c / d)]!.data[r * d + (c % d)]!;
    }
    out.push({ name: `${prefix}qkv.${kind}`, shape: kind === 'weight' ? [rows, 3 * d] : [3 * d], data });
  }
  return out;
}

describe('exportTensors and importTensors', () => {
  it('round-trip weights and both Adam moments into another model by name', () => {
    const source = smallModel({}, 1);
    randomizeWeights(source, 2);
    const sourceAdam = trainedAdam(source, 3);
    const target = smallModel({}, 5);
    const targetAdam = new Adam(target.params.list());
    expect(weights(target)).not.toEqual(weights(source));

    importTensors(target, targetAdam, exportTensors(source, sourceAdam));
    expect(weights(target)).toEqual(weights(source));
    expect(moments(targetAdam)).toEqual(moments(sourceAdam));
    source.dispose();
    target.dispose();
  });

  it('take the moments as optional: without them the weights load and the moments stay zero', () => {
    const source = smallModel({}, 1);
    const target = smallModel({}, 5);
    const targetAdam = new Adam(target.params.list());
    const onlyWeights = exportTensors(source, trainedAdam(source, 3)).filter((t) =>
      t.name.startsWith('model.'),
    );
    importTensors(target, targetAdam, onlyWeights);
    expect(weights(target)).toEqual(weights(source));
    expect(moments(targetAdam).every((x) => x.every((value) => value === 0))).toBe(true);
    source.dispose();
    target.dispose();
  });
});

describe('checkpoints written by older versions', () => {
  it('fused attention splits into the separate key, query and value tensors, weights and biases', () => {
    const d = 2;
    // rows of [key | query | value]
    const weight = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const bias = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const out = splitFusedAttention([
      { name: 'model.otb.0.attn.qkv.weight', shape: [d, 3 * d], data: weight },
      { name: 'adam.m.otb.0.attn.qkv.bias', shape: [3 * d], data: bias },
      { name: 'model.seqLn.gamma', shape: [d], data: Float32Array.from([1, 1]) },
    ]);
    const byName = Object.fromEntries(out.map((t) => [t.name, { shape: t.shape, data: Array.from(t.data) }]));
    expect(byName['model.otb.0.attn.key.weight']).toEqual({ shape: [2, 2], data: [1, 2, 7, 8] });
    expect(byName['model.otb.0.attn.query.weight']).toEqual({ shape: [2, 2], data: [3, 4, 9, 10] });
    expect(byName['model.otb.0.attn.value.weight']).toEqual({ shape: [2, 2], data: [5, 6, 11, 12] });
    expect(byName['adam.m.otb.0.attn.value.bias']?.data[1]).toBeCloseTo(0.6, 6);
    expect(byName['model.seqLn.gamma']).toEqual({ shape: [2], data: [1, 1] });
    expect(out).toHaveLength(3 + 3 + 1);
  });

  it('a checkpoint with fused attention loads into today’s model: the same weights and moments', () => {
    const source = smallModel({}, 1);
    randomizeWeights(source, 2);
    const sourceAdam = trainedAdam(source, 3);
    const old = fuseAttention(exportTensors(source, sourceAdam));
    expect(old.some((t) => t.name === 'adam.v.itb.0.attn.qkv.weight')).toBe(true);
    expect(old.some((t) => t.name.endsWith('.attn.key.weight'))).toBe(false);

    const target = smallModel({}, 5);
    const targetAdam = new Adam(target.params.list());
    importTensors(target, targetAdam, old);
    expect(weights(target)).toEqual(weights(source));
    expect(moments(targetAdam)).toEqual(moments(sourceAdam));
    source.dispose();
    target.dispose();
  });

  it('a model config from before actionEncoderGain existed reads as the reference gain √2', () => {
    const model = smallModel();
    const { actionEncoderGain: _absent, ...old } = { ...model.config, actionEncoderGain: 1 };
    const withGain = (gain: number): SteerModelConfig => ({ ...model.config, actionEncoderGain: gain });
    expect(() => checkModelConfig(withGain(GAIN_ACTIVATE), old)).not.toThrow();
    expect(() => checkModelConfig(withGain(20 * Math.SQRT2), old)).toThrow(
      /checkpoint modelConfig\.actionEncoderGain is 1\.414213\d*, but this run needs 28\.28\d*/,
    );
    model.dispose();
  });

  it('any other difference of the model config is refused, naming the field', () => {
    const model = smallModel();
    expect(() => checkModelConfig(model.config, { ...model.config })).not.toThrow();
    expect(() =>
      checkModelConfig(model.config, { ...model.config, numHeads: 4 } as SteerModelConfig),
    ).toThrow(/checkpoint modelConfig\.numHeads is 4, but this run needs 2/);
    expect(() =>
      checkModelConfig(model.config, { ...model.config, actionSpace: { kind: 'discrete', n: 5 } }),
    ).toThrow(/modelConfig\.actionSpace is \{"kind":"discrete","n":5\}/);
    model.dispose();
  });
});
