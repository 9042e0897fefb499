/**
 * Adam with PyTorch's update rule and global-norm clipping (docs/spec/steer.md §b.8), checked against the
 * formulas of torch.optim.Adam and torch.nn.utils.clip_grad_norm_ evaluated by hand in float64.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, type AdamConfig, DEFAULT_ADAM } from '../../../../src/core/nn/adam.js';
import * as tf from '../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One parameter's PyTorch Adam state, stepped by hand. */
class TorchAdamReference {
  m = 0;
  v = 0;
  t = 0;
  constructor(readonly c: AdamConfig) {}
  step(x: number, g: number): number {
    const { lr, beta1, beta2, eps } = this.c;
    this.t += 1;
    this.m = beta1 * this.m + (1 - beta1) * g;
    this.v = beta2 * this.v + (1 - beta2) * g * g;
    const bias1 = 1 - beta1 ** this.t;
    const bias2 = 1 - beta2 ** this.t;
    const denom = Math.sqrt(this.v) / Math.sqrt(bias2) + eps;
    return x - (lr / bias1) * (this.m / denom);
  }
}

/** f(x) = ½·a·(x − c)², so f'(x) = a·(x − c). */
const gradientOf = (a: number, c: number) => (x: number) => a * (x - c);

function expectRelClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.max(Math.abs(expected), 1e-12),
  );
}

describe('Adam.apply on a 1-D quadratic', () => {
  it.each([
    ['large gradients (ε negligible)', { ...DEFAULT_ADAM, lr: 0.1 }, 5, 2],
    // near the minimum √v is close to ε, so where ε enters the denominator matters
    ['gradients comparable to ε', { lr: 1e-4, beta1: 0.8, beta2: 0.99, eps: 1e-3 }, 0.001, 0],
  ] as const)('matches PyTorch for steps 1 and 2 with %s', (_label, config, x0, centre) => {
    const gradient = gradientOf(3, centre);
    const x = tf.variable(tf.scalar(x0));
    const adam = new Adam([x], config);
    const ref = new TorchAdamReference(config);
    let expected: number = x0;
    for (let step = 1; step <= 2; step++) {
      const current = x.dataSync()[0]!;
      adam.apply(Float32Array.of(gradient(current)), null);
      expected = ref.step(current, gradient(current));
      expect(adam.step).toBe(step);
      expectRelClose(x.dataSync()[0]!, expected, 1e-6);
      expect(x.dataSync()[0]).not.toBe(current);
    }
    // the step moved towards the minimum
    expect(Math.abs(expected - centre)).toBeLessThan(Math.abs(x0 - centre));
    x.dispose();
  });

  it('uses the bias-corrected step: the first update has size ≈ lr whatever the gradient scale', () => {
    for (const scale of [1e-2, 1, 1e3]) {
      const x = tf.variable(tf.scalar(0));
      const adam = new Adam([x], { ...DEFAULT_ADAM, lr: 0.05, eps: 1e-12 });
      adam.apply(Float32Array.of(-scale), null);
      expect(x.dataSync()[0]).toBeCloseTo(0.05, 6);
      x.dispose();
    }
  });
});

describe('Adam gradient clipping (global norm)', () => {
  /** Two parameters with gradients (3, 4) and (12): global norm 13. */
  function setup(maxNorm: number | null) {
    const p1 = tf.variable(tf.tensor1d([0, 0]));
    const p2 = tf.variable(tf.tensor1d([0]));
    const beta1 = 0.9;
    const adam = new Adam([p1, p2], { lr: 0.1, beta1, beta2: 0.999, eps: 1e-5 });
    const normValue = adam.apply(Float32Array.of(3, 4, 12), maxNorm);
    // after one step m = (1 − β₁)·g_used, so the moments reveal the gradient actually applied
    const { m } = adam.moments();
    expect(m.map((part) => part.length)).toEqual([2, 1]); // one view per parameter
    const used = [...m[0]!, ...m[1]!].map((x) => x / (1 - beta1));
    for (const t of [p1, p2]) t.dispose();
    return { normValue, used };
  }

  it('scales every gradient by maxNorm / (norm + 1e-6) when the norm exceeds maxNorm, and returns the pre-clip norm', () => {
    const { normValue, used } = setup(1);
    expect(normValue).toBeCloseTo(13, 5);
    const scale = 1 / (13 + 1e-6);
    [3, 4, 12].forEach((g, i) => {
      expectRelClose(used[i]!, g * scale, 1e-5);
    });
    const clippedNorm = Math.hypot(...used);
    expect(clippedNorm).toBeLessThanOrEqual(1);
    expect(clippedNorm).toBeCloseTo(1, 5);
  });

  it('leaves gradients alone when the norm is below maxNorm, or when clipping is off', () => {
    for (const maxNorm of [20, null]) {
      const { normValue, used } = setup(maxNorm);
      expect(normValue).toBeCloseTo(13, 5);
      [3, 4, 12].forEach((g, i) => {
        expectRelClose(used[i]!, g, 1e-6);
      });
    }
  });

  it('refuses gradients that do not match the parameters', () => {
    const p = tf.variable(tf.tensor1d([0, 0]));
    const adam = new Adam([p]);
    expect(() => adam.apply(new Float32Array(1), null)).toThrow(
      /1 gradient values for 1 parameters of 2 values/,
    );
    p.dispose();
  });

  it('allocates no lasting tensors per step', () => {
    const p = tf.variable(tf.randomNormal([4, 3]));
    const adam = new Adam([p]);
    const g = new Float32Array(12).fill(1);
    adam.apply(g, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) adam.apply(g, 1);
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
});

describe('Adam over several parameters', () => {
  it('gives each parameter its own slice of the flat gradient, in parameter order', () => {
    const p1 = tf.variable(tf.tensor2d([[0, 0]]));
    const p2 = tf.variable(tf.tensor1d([0]));
    const adam = new Adam([p1, p2], { ...DEFAULT_ADAM, lr: 0.01, eps: 1e-12 });
    adam.apply(Float32Array.of(3, -4, 12), null);
    // the first bias-corrected step moves every scalar by lr against its gradient's sign
    expect([...p1.dataSync()].map((x) => x / 0.01)).toEqual([expect.closeTo(-1, 5), expect.closeTo(1, 5)]);
    expect(p1.shape).toEqual([1, 2]);
    expect(p2.dataSync()[0]! / 0.01).toBeCloseTo(-1, 5);
    for (const t of [p1, p2]) t.dispose();
  });
});
