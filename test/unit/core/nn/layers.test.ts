/** Functional layers (docs/spec/steer.md §a.2–a.3, §b.12) checked against plain definitions. */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  attention,
  causalMask,
  gelu,
  layerNorm,
  linear,
  ParamStore,
} from '../../../../src/core/nn/layers.js';
import * as tf from '../../../../src/core/nn/tf.js';
import { Rng } from '../../../../src/core/rng.js';
import { expectAllClose, layerGradientSuite, randomTensor } from './layerGradientSuite.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('linear', () => {
  it('maps the last axis of a [B, T, in] tensor like a per-token matrix product plus bias', () => {
    const rng = Rng.fromSeed(1);
    tf.tidy(() => {
      const x = randomTensor([2, 3, 4], rng);
      const w = randomTensor([4, 5], rng);
      const b = randomTensor([5], rng);
      const y = linear(x, w, b);
      expect(y.shape).toEqual([2, 3, 5]);
      const xs = x.arraySync() as number[][][];
      const ws = w.arraySync() as number[][];
      const bs = b.arraySync() as number[];
      const expected = xs.flatMap((tokens) =>
        tokens.flatMap((row) => bs.map((bias, o) => bias + row.reduce((s, xi, i) => s + xi * ws[i]![o]!, 0))),
      );
      expectAllClose(y.dataSync(), expected);
      expectAllClose(linear(x, w).dataSync(), tf.sub(y, b).dataSync());
    });
  });
});

describe('layerNorm', () => {
  it('normalises the last axis with ε = 1e-5 (PyTorch), not the TF.js 1e-3 default', () => {
    // a tiny variance (2.5e-7) makes ε visible: with ε = 1e-3 the output would be ~60× smaller
    const x = [0, 1e-3];
    const out = tf.tidy(() =>
      Array.from(layerNorm(tf.tensor2d([x]), tf.ones([2]), tf.zeros([2])).dataSync()),
    );
    const variance = 2.5e-7;
    const expected = x.map((v) => (v - 5e-4) / Math.sqrt(variance + 1e-5));
    expectAllClose(out, expected, 1e-6);
  });

  it('applies gain and shift after normalising: γ·x̂ + β', () => {
    const rng = Rng.fromSeed(2);
    tf.tidy(() => {
      const x = randomTensor([3, 6], rng);
      const gamma = randomTensor([6], rng);
      const beta = randomTensor([6], rng);
      const plain = layerNorm(x, tf.ones([6]), tf.zeros([6]));
      // each row of the plain output has mean 0 and (biased) variance ≈ 1
      const rows = plain.arraySync() as number[][];
      for (const row of rows) {
        const mean = row.reduce((a, b) => a + b, 0) / row.length;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
        expect(mean).toBeCloseTo(0, 5);
        expect(variance).toBeCloseTo(1, 3);
      }
      expectAllClose(layerNorm(x, gamma, beta).dataSync(), tf.add(tf.mul(plain, gamma), beta).dataSync());
    });
  });
});

describe('gelu', () => {
  it('is the exact erf form: GELU(x) = x·Φ(x), not the tanh approximation', () => {
    // Φ(1) = 0.8413447460685429, Φ(2) = 0.9772498680518208 (standard normal CDF)
    const xs = [-2, -1, 0, 1, 2];
    const phi = [1 - 0.9772498680518208, 1 - 0.8413447460685429, 0.5, 0.8413447460685429, 0.9772498680518208];
    const out = tf.tidy(() => Array.from(gelu(tf.tensor1d(xs)).dataSync()));
    // the tanh approximation differs by ~1.5e-4 at x = 1
    expectAllClose(
      out,
      xs.map((x, i) => x * phi[i]!),
      2e-6,
    );
  });
});

describe('attention', () => {
  it('single head equals softmax(q·kᵀ/√d)·v', () => {
    const rng = Rng.fromSeed(3);
    tf.tidy(() => {
      const [q, k, v] = [0, 1, 2].map(() => randomTensor([2, 4, 8], rng)) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const reference = tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(8))), v);
      expectAllClose(attention(q, k, v, 1, null).dataSync(), reference.dataSync());
    });
  });

  it('H heads equal H single-head attentions on slices of width D/H, concatenated', () => {
    const rng = Rng.fromSeed(4);
    tf.tidy(() => {
      const heads = 4;
      const d = 8;
      const hs = d / heads;
      const [q, k, v] = [0, 1, 2].map(() => randomTensor([3, 5, d], rng)) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const mask = causalMask(5);
      const perHead = Array.from({ length: heads }, (_, h) => {
        const cut = (x: tf.Tensor) => tf.slice(x, [0, 0, h * hs], [3, 5, hs]);
        return attention(cut(q), cut(k), cut(v), 1, mask);
      });
      expectAllClose(attention(q, k, v, heads, mask).dataSync(), tf.concat(perHead, 2).dataSync());
    });
  });

  it('with the causal mask, position i ignores keys and values after i (and sees the ones before)', () => {
    const rng = Rng.fromSeed(5);
    tf.tidy(() => {
      const t = 4;
      const [q, k, v] = [0, 1, 2].map(() => randomTensor([1, t, 6], rng)) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      const base = attention(q, k, v, 2, causalMask(t)).arraySync() as number[][][];
      // change the key and value of position 2 only
      const bump = tf.tensor(
        Array.from({ length: t * 6 }, (_, i) => (Math.floor(i / 6) === 2 ? 1.5 : 0)),
        [1, t, 6],
      );
      const changed = attention(
        q,
        tf.add(k, bump),
        tf.add(v, bump),
        2,
        causalMask(t),
      ).arraySync() as number[][][];
      expect(changed[0]![0]).toEqual(base[0]![0]);
      expect(changed[0]![1]).toEqual(base[0]![1]);
      expect(changed[0]![2]).not.toEqual(base[0]![2]);
      expect(changed[0]![3]).not.toEqual(base[0]![3]);
    });
  });

  it('causalMask is lower-triangular (including the diagonal) and additive', () => {
    const m = tf.tidy(() => causalMask(3).arraySync() as number[][]);
    m.forEach((row, i) => {
      row.forEach((x, j) => {
        if (j <= i) expect(x).toBe(0);
        else expect(x).toBeLessThanOrEqual(-1e9);
      });
    });
  });
});

layerGradientSuite('cpu');

describe('ParamStore', () => {
  it('registers named variables in order, counts scalars and refuses duplicates and bad sizes', () => {
    const store = new ParamStore();
    store.add('a.weight', [2, 3], new Float32Array(6).fill(1));
    store.add('a.bias', [3], new Float32Array(3));
    expect(store.entries().map(([n]) => n)).toEqual(['a.weight', 'a.bias']);
    expect(store.count()).toBe(9);
    expect(Array.from(store.get('a.weight').dataSync())).toEqual(new Array(6).fill(1));
    expect(() => store.add('a.bias', [3], new Float32Array(3))).toThrow(/"a.bias" registered twice/);
    expect(() => store.add('b', [2, 2], new Float32Array(3))).toThrow(
      /expects 4 values for shape \[2,2\], got 3/,
    );
    expect(() => store.get('nope')).toThrow(/no parameter "nope"/);
    store.dispose();
    expect(store.count()).toBe(0);
  });

  // ParamStore.add wraps `tf.tensor(...)` in `tf.variable(...)` without disposing the initial tensor,
  // so every parameter leaves one tensor behind after dispose().
  it('frees everything it allocated on dispose (tf.memory().numTensors back to where it was)', () => {
    const before = tf.memory().numTensors;
    const store = new ParamStore();
    store.add('w', [4, 4], new Float32Array(16));
    store.add('b', [4], new Float32Array(4));
    store.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
