/**
 * Checks shared by the cpu and wasm layer tests: the hand-written gradients of layers.ts against
 * TF.js's autodiff of plain definitions, and normalCdf against a float64 Φ. The caller imports the
 * backend and selects it in `beforeAll`.
 */
import { describe, expect, it } from 'vitest';
import {
  attention,
  causalMask,
  GELU_SMALL_TENSOR,
  gelu,
  layerNorm,
  normalCdf,
} from '../../../../src/core/nn/layers.js';
import * as tf from '../../../../src/core/nn/tf.js';
import { Rng } from '../../../../src/core/rng.js';

export function randomTensor(shape: number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal()),
    shape,
  );
}

export function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}`).toBeLessThanOrEqual(tol);
}

/** Φ in float64 via erfc(|x|/√2)/2: the erf series below 2, the continued fraction above. */
export function normalCdf64(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  let tail: number;
  if (z < 2) {
    // erf(z) = 2/√π Σ (−1)ⁿ z^(2n+1) / (n! (2n+1))
    let term = z;
    let sum = z;
    for (let n = 1; n < 60; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    tail = (1 - (2 / Math.sqrt(Math.PI)) * sum) / 2;
  } else {
    let f = 0;
    for (let n = 80; n >= 1; n--) f = n / 2 / (z + f);
    tail = Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f) / 2;
  }
  return x >= 0 ? 1 - tail : tail;
}

export function layerGradientSuite(backend: string): void {
  /**
   * The layers carry hand-written gradients (speed on wasm); these plain definitions let TF.js's own
   * autodiff give the gradients to compare with.
   */
  const plain = {
    layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
      const axis = x.rank - 1;
      const centred = tf.sub(x, tf.mean(x, axis, true));
      const variance = tf.mean(tf.square(centred), axis, true);
      return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
    },
    gelu(x: tf.Tensor): tf.Tensor {
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
    },
    attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
      let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(q.shape[2]!));
      if (mask) scores = tf.add(scores, mask);
      return tf.matMul(tf.softmax(scores), v);
    },
  };

  /** Gradients of Σ w·f(inputs) (w fixed and random, so every output element matters differently). */
  function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], rng: Rng): Float32Array[] {
    const w = randomTensor(f(...inputs).shape, rng);
    return tf
      .grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(inputs)
      .map((g) => g.dataSync() as Float32Array);
  }

  describe(`hand-written gradients equal autodiff of the plain definitions (${backend})`, () => {
    it('layerNorm: input, gain and shift', () => {
      const rng = Rng.fromSeed(11);
      tf.tidy(() => {
        const inputs = [randomTensor([3, 4, 6], rng), randomTensor([6], rng), randomTensor([6], rng)];
        const ours = gradsOf((x, g, b) => layerNorm(x!, g!, b!), inputs, Rng.fromSeed(12));
        const theirs = gradsOf((x, g, b) => plain.layerNorm(x!, g!, b!), inputs, Rng.fromSeed(12));
        ours.forEach((g, i) => {
          expectAllClose(g, theirs[i]!, 1e-4);
        });
        expect(Math.max(...ours[0]!.map(Math.abs))).toBeGreaterThan(0.01); // not trivially zero
      });
    });

    it.each([
      ['small tensors (erf)', 50],
      ['large tensors (normalCdf)', GELU_SMALL_TENSOR + 100],
    ] as const)('gelu on %s, including large negative and positive inputs', (_label, size) => {
      const rng = Rng.fromSeed(13);
      tf.tidy(() => {
        const x = tf.concat([tf.mul(randomTensor([size], rng), 3), tf.tensor1d([-9, -4, 0, 4, 9])]);
        const [ours] = gradsOf((a) => gelu(a!), [x], Rng.fromSeed(14));
        const [theirs] = gradsOf((a) => plain.gelu(a!), [x], Rng.fromSeed(14));
        expectAllClose(ours!, theirs!, 1e-5);
        expectAllClose(gelu(x).dataSync(), plain.gelu(x).dataSync(), 1e-5);
      });
    });

    it.each([
      ['without a mask', null],
      ['with the causal mask', 4],
    ] as const)('attention %s: query, key and value', (_label, maskSize) => {
      const rng = Rng.fromSeed(15);
      tf.tidy(() => {
        const mask = maskSize === null ? null : causalMask(maskSize);
        const inputs = [0, 1, 2].map(() => randomTensor([2, 4, 6], rng));
        const ours = gradsOf((q, k, v) => attention(q!, k!, v!, 1, mask), inputs, Rng.fromSeed(16));
        const theirs = gradsOf((q, k, v) => plain.attention(q!, k!, v!, mask), inputs, Rng.fromSeed(16));
        ours.forEach((g, i) => {
          expectAllClose(g, theirs[i]!, 1e-4);
        });
      });
    });

    it('attention with several heads: the same gradients as the heads computed one by one', () => {
      const rng = Rng.fromSeed(17);
      tf.tidy(() => {
        const mask = causalMask(3);
        const inputs = [0, 1, 2].map(() => randomTensor([2, 3, 8], rng));
        const byHead = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => {
          const cut = (x: tf.Tensor, h: number) => tf.slice(x, [0, 0, h * 4], [2, 3, 4]);
          return tf.concat(
            [0, 1].map((h) => plain.attention(cut(q, h), cut(k, h), cut(v, h), mask)),
            2,
          );
        };
        const ours = gradsOf((q, k, v) => attention(q!, k!, v!, 2, mask), inputs, Rng.fromSeed(18));
        const theirs = gradsOf((q, k, v) => byHead(q!, k!, v!), inputs, Rng.fromSeed(18));
        ours.forEach((g, i) => {
          expectAllClose(g, theirs[i]!, 1e-4);
        });
      });
    });
  });

  describe(`normalCdf (${backend})`, () => {
    it('is the standard normal CDF to within 3e-7 from −10 to 10, and e^(−x²/2) beside it', () => {
      const phi = normalCdf64;
      const xs = Array.from({ length: 2001 }, (_, i) => -10 + i * 0.01);
      const { cdf, gauss } = tf.tidy(() => {
        const out = normalCdf(tf.tensor1d(xs));
        return { cdf: out.cdf.dataSync(), gauss: out.gauss.dataSync() };
      });
      let worst = 0;
      xs.forEach((x, i) => {
        worst = Math.max(worst, Math.abs(cdf[i]! - phi(x)));
        expect(Math.abs(gauss[i]! - Math.exp((-x * x) / 2)), `e^(−x²/2) at ${x}`).toBeLessThanOrEqual(3e-7);
      });
      expect(worst).toBeLessThanOrEqual(3e-7);
      expect(worst).toBeGreaterThan(0); // an approximation, measured, not a copy of the reference
      expect(phi(1)).toBeCloseTo(0.8413447460685429, 12); // the float64 reference itself
    });
  });
}
