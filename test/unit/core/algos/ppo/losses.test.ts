/** PPO loss pieces (docs/spec/steer.md §b.7) and acceptance check §g.4 (Huber, δ = 10). */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { huberLoss, maskedMean, mseLoss } from '../../../../../src/core/algos/ppo/losses.js';
import * as tf from '../../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const DELTA = 10;

/** Loss values at the errors `es`. */
function lossAt(es: number[], symmetric: boolean, delta = DELTA): number[] {
  return tf.tidy(() => Array.from(huberLoss(tf.tensor1d(es), delta, symmetric).dataSync()));
}

/** dℓ/de at each error in `es` (elementwise: the loss is summed, so each gradient is its own). */
function gradAt(es: number[], symmetric: boolean, delta = DELTA): number[] {
  return tf.tidy(() => {
    const g = tf.grad((e: tf.Tensor) => tf.sum(huberLoss(e, delta, symmetric)));
    return Array.from(g(tf.tensor1d(es)).dataSync());
  });
}

describe('huberLoss, reference (asymmetric) variant', () => {
  it('gives ℓ(5) = 12.5, ℓ(20) = 150 and ℓ(−20) = 0 (docs/spec/steer.md §g.4)', () => {
    const [l5, l20, lm20] = lossAt([5, 20, -20], false);
    expect(l5).toBeCloseTo(12.5, 5);
    expect(l20).toBeCloseTo(150, 4);
    expect(lm20).toBe(0);
  });

  it('is e²/2 inside ±δ on both sides', () => {
    const es = [-9.5, -3, -0.25, 0, 0.25, 3, 9.5];
    lossAt(es, false).forEach((l, i) => {
      expect(l).toBeCloseTo(es[i]! ** 2 / 2, 4);
    });
  });

  it('has gradient e inside ±δ, δ above +δ and 0 below −δ', () => {
    const [gm20, gm5, g5, g20] = gradAt([-20, -5, 5, 20], false);
    expect(Math.abs(gm20 ?? Number.NaN)).toBe(0); // −0 and +0 are both a zero gradient
    expect(gm5).toBeCloseTo(-5, 5);
    expect(g5).toBeCloseTo(5, 5);
    expect(g20).toBeCloseTo(10, 5);
  });

  // Reference `huber_loss` (docs/spec/steer.md §b.7): a = (|e| ≤ δ) → e²/2, so ℓ(−δ) = δ²/2 = 50; the cut-off
  // applies only for e < −δ. The implementation multiplies by step(e + δ), and tf.step(0) = 0.
  it('is e²/2 = 50 at exactly e = −δ (the cut-off is strict, e < −δ)', () => {
    expect(lossAt([-DELTA], false)[0]).toBeCloseTo(50, 4);
  });
});

describe('huberLoss, symmetric variant', () => {
  it('gives ℓ(−20) = 150 = ℓ(20) and ℓ(±5) = 12.5', () => {
    const [lm20, l20, lm5, l5] = lossAt([-20, 20, -5, 5], true);
    expect(lm20).toBeCloseTo(150, 4);
    expect(l20).toBeCloseTo(150, 4);
    expect(lm5).toBeCloseTo(12.5, 5);
    expect(l5).toBeCloseTo(12.5, 5);
  });

  it('has gradient 10 at e = 20 and −10 at e = −20 (clipped at ±δ), e inside', () => {
    const [gm20, gm5, g5, g20] = gradAt([-20, -5, 5, 20], true);
    expect(g20).toBeCloseTo(10, 5);
    expect(gm20).toBeCloseTo(-10, 5);
    expect(gm5).toBeCloseTo(-5, 5);
    expect(g5).toBeCloseTo(5, 5);
  });

  it('is continuous at ±δ and linear with slope δ beyond it, for any δ', () => {
    for (const delta of [1, 10, 2.5]) {
      const [atEdge, beyond] = lossAt([delta, delta + 3], true, delta);
      expect(atEdge).toBeCloseTo(delta ** 2 / 2, 4);
      expect(beyond! - atEdge!).toBeCloseTo(3 * delta, 4);
      const [negEdge] = lossAt([-delta], true, delta);
      expect(negEdge).toBeCloseTo(delta ** 2 / 2, 4);
    }
  });

  it('agrees with the asymmetric variant for every e > −δ', () => {
    const es = [-9.99, -4, 0, 4, 9.99, 10.01, 33];
    expect(lossAt(es, false)).toEqual(lossAt(es, true));
  });
});

describe('mseLoss and maskedMean', () => {
  it('mseLoss is e²/2 with gradient e', () => {
    const es = [-20, -1, 0, 2, 30];
    const { values, grads } = tf.tidy(() => {
      const e = tf.tensor1d(es);
      const g = tf.grad((x: tf.Tensor) => tf.sum(mseLoss(x)));
      return { values: Array.from(mseLoss(e).dataSync()), grads: Array.from(g(e).dataSync()) };
    });
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(es[i]! ** 2 / 2, 4);
    });
    grads.forEach((g, i) => {
      expect(g).toBeCloseTo(es[i]!, 5);
    });
  });

  it('maskedMean is Σ(x·mask)/Σ(mask), the plain mean without a mask', () => {
    const [masked, plain, none] = tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]);
      const mask = tf.tensor2d([
        [1, 0],
        [1, 1],
      ]);
      return [
        maskedMean(x, mask).dataSync()[0],
        maskedMean(x, null).dataSync()[0],
        maskedMean(x, tf.zerosLike(x)).dataSync()[0],
      ];
    });
    expect(masked).toBeCloseTo((1 + 3 + 4) / 3, 6);
    expect(plain).toBeCloseTo(2.5, 6);
    expect(none).toBe(0); // all masked out: 0, not NaN
  });
});
