/**
 * Weight initialisers (docs/spec/steer.md §a.2, §b.12): orthogonal × gain, Gaussian draws, and the same
 * initial model on every backend because the numbers come from the seeded Rng, not from tfjs.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteerModel, type SteerModelConfig } from '../../../../src/core/algos/steer/model.js';
import { GAIN_ACTIVATE, GAIN_SMALL, normal, orthogonal } from '../../../../src/core/nn/init.js';
import * as tf from '../../../../src/core/nn/tf.js';
import { Rng } from '../../../../src/core/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Gram matrix of the columns (WᵀW) or of the rows (WWᵀ) of a row-major rows × cols matrix. */
function gram(w: Float32Array, rows: number, cols: number, of: 'columns' | 'rows'): number[][] {
  const k = of === 'columns' ? cols : rows;
  const len = of === 'columns' ? rows : cols;
  const at = (vec: number, i: number) => (of === 'columns' ? w[i * cols + vec]! : w[vec * cols + i]!);
  return Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, b) => {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
      return s;
    }),
  );
}

function expectScaledIdentity(g: number[][], scale: number, tol: number): void {
  g.forEach((row, i) => {
    row.forEach((x, j) => {
      expect(Math.abs(x - (i === j ? scale : 0)), `entry (${i}, ${j}) = ${x}`).toBeLessThanOrEqual(tol);
    });
  });
}

describe('orthogonal', () => {
  it.each([
    [64, 16, 1],
    [7, 3, GAIN_ACTIVATE],
    [15, 1, 2],
  ])('a tall %i×%i matrix (gain %f) has orthonormal columns × gain: WᵀW = gain²·I', (rows, cols, gain) => {
    const w = orthogonal(rows, cols, gain, Rng.fromSeed(rows * 100 + cols));
    expect(w).toHaveLength(rows * cols);
    expectScaledIdentity(gram(w, rows, cols, 'columns'), gain ** 2, 1e-5 * gain ** 2);
  });

  it.each([
    [16, 64, 1],
    [3, 7, GAIN_ACTIVATE],
    [1, 64, GAIN_SMALL],
  ])('a wide %i×%i matrix (gain %f) has orthonormal rows × gain: WWᵀ = gain²·I', (rows, cols, gain) => {
    const w = orthogonal(rows, cols, gain, Rng.fromSeed(rows * 100 + cols));
    expectScaledIdentity(gram(w, rows, cols, 'rows'), gain ** 2, 1e-5 * gain ** 2);
  });

  it('a square matrix is orthogonal both ways (gain 0.01, the attention layers of §a.3)', () => {
    const d = 32;
    const w = orthogonal(d, d, GAIN_SMALL, Rng.fromSeed(4));
    expectScaledIdentity(gram(w, d, d, 'columns'), GAIN_SMALL ** 2, 1e-9);
    expectScaledIdentity(gram(w, d, d, 'rows'), GAIN_SMALL ** 2, 1e-9);
  });

  it('is a function of the generator: same seed → same matrix, other seed → other matrix', () => {
    expect(orthogonal(8, 5, 1, Rng.fromSeed(1))).toEqual(orthogonal(8, 5, 1, Rng.fromSeed(1)));
    expect(orthogonal(8, 5, 1, Rng.fromSeed(1))).not.toEqual(orthogonal(8, 5, 1, Rng.fromSeed(2)));
  });

  it('spreads the columns over all directions (no coordinate bias): mean of entries ≈ 0', () => {
    // 200 draws of a 10×1 unit vector: each coordinate has mean 0 and variance 1/10
    const rng = Rng.fromSeed(8);
    const sums = new Array(10).fill(0);
    for (let k = 0; k < 200; k++) {
      orthogonal(10, 1, 1, rng).forEach((x, i) => {
        sums[i] += x;
      });
    }
    for (const s of sums) expect(Math.abs(s / 200)).toBeLessThan(5 * Math.sqrt(0.1 / 200));
  });
});

describe('normal', () => {
  it('draws N(mean, std²)', () => {
    const n = 20_000;
    const x = normal(n, 3, 0.02, Rng.fromSeed(3));
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 3)).toBeLessThan((5 * 0.02) / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(variance) - 0.02)).toBeLessThan(0.02 * 0.03);
  });
});

describe('model initialisation is backend-independent', () => {
  const config: SteerModelConfig = {
    numAgents: 3,
    obsDim: 5,
    stateDim: 15,
    actionSpace: { kind: 'discrete', n: 3 },
    embedDim: 16,
    numHeads: 2,
    numBlocks: 1,
    useStateToken: true,
  };

  function weightsOn(seed: number): Map<string, number[]> {
    const model = new SteerModel(config, seed);
    const out = new Map(model.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
    model.dispose();
    return out;
  }

  /** Agent logits and values for fixed inputs, computed on the active backend. */
  function forwardOn(seed: number): { actor: number[]; values: number[] } {
    const model = new SteerModel(config, seed);
    const rng = Rng.fromSeed(77);
    const b = 4;
    const obs = Float32Array.from({ length: b * 3 * 5 }, () => rng.normal());
    const oneHot = new Float32Array(b * 2 * 3);
    for (let i = 0; i < b * 2; i++) oneHot[i * 3 + rng.int(3)] = 1;
    const out = tf.tidy(() => {
      const encoded = model.encode(tf.tensor(obs, [b, 3, 5]), null);
      const heads = model.decode(encoded, tf.tensor(oneHot, [b, 2, 3]), 3);
      return { actor: Array.from(heads.actor.dataSync()), values: Array.from(heads.values.dataSync()) };
    });
    model.dispose();
    return out;
  }

  it('builds the same weights for the same seed on cpu and on wasm, and different ones for another seed', async () => {
    await tf.setBackend('cpu');
    const onCpu = weightsOn(11);
    await tf.setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = weightsOn(11);
    const otherSeed = weightsOn(12);
    await tf.setBackend('cpu');
    expect([...onWasm.keys()]).toEqual([...onCpu.keys()]);
    for (const [name, values] of onCpu) expect(onWasm.get(name), name).toEqual(values);
    expect(otherSeed.get('obsEncoder.linear.weight')).not.toEqual(onCpu.get('obsEncoder.linear.weight'));
    expect(otherSeed.get('positionEmbedding')).not.toEqual(onCpu.get('positionEmbedding'));
  });

  it('computes the same logits and values on cpu and wasm (float tolerance)', async () => {
    await tf.setBackend('cpu');
    const onCpu = forwardOn(5);
    await tf.setBackend('wasm');
    const onWasm = forwardOn(5);
    await tf.setBackend('cpu');
    onCpu.actor.forEach((x, i) => {
      expect(onWasm.actor[i]).toBeCloseTo(x, 4);
    });
    onCpu.values.forEach((x, i) => {
      expect(onWasm.values[i]).toBeCloseTo(x, 4);
    });
  });
});
