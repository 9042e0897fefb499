/**
 * The GRU layer of the OTB-GRU ablation (docs/spec/steer.md §a.10): PyTorch's `nn.GRU` equations,
 * checked against a plain per-step loop in float64, its causality, and PyTorch's default init.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { addGruLayer, GRU_GATES, gruLayer } from '../../../../../src/core/algos/steer-ablations/index.js';
import { ParamStore } from '../../../../../src/core/nn/layers.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { gaussian, maxAbsDiff } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** x·W + b for one row x [in] and W [in, out] stored row-major. */
function affine(x: ArrayLike<number>, w: Float32Array, bias: Float32Array): number[] {
  const out = Array.from(bias, Number);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < out.length; j++) out[j]! += x[i]! * w[i * out.length + j]!;
  return out;
}

/**
 * PyTorch's GRU written out for one sequence [T, in] (torch.nn.GRU's documented equations): r and z
 * from input and hidden products with both biases, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * h' = (1 − z) ⊙ n + z ⊙ h, h starting at 0.
 */
function plainGru(params: ParamStore, name: string, x: number[][], hidden: number): number[][] {
  const p = (gate: string, part: string, kind: string) =>
    params.get(`${name}.${gate}.${part}.${kind}`).dataSync() as Float32Array;
  const product = (gate: string, part: string, v: ArrayLike<number>) =>
    affine(v, p(gate, part, 'weight'), p(gate, part, 'bias'));
  let h = new Array<number>(hidden).fill(0);
  const out: number[][] = [];
  for (const xt of x) {
    const [xr, hr] = [product('reset', 'input', xt), product('reset', 'hidden', h)];
    const [xz, hz] = [product('update', 'input', xt), product('update', 'hidden', h)];
    const [xn, hn] = [product('candidate', 'input', xt), product('candidate', 'hidden', h)];
    h = h.map((hPrev, k) => {
      const r = sigmoid(xr[k]! + hr[k]!);
      const z = sigmoid(xz[k]! + hz[k]!);
      const n = Math.tanh(xn[k]! + r * hn[k]!);
      return (1 - z) * n + z * hPrev;
    });
    out.push(h);
  }
  return out;
}

describe('gruLayer (PyTorch nn.GRU conventions, docs/spec/steer.md §a.10)', () => {
  const inDim = 5;
  const hidden = 6;
  const b = 3;
  const steps = 4;

  function layer(seed: number): ParamStore {
    const params = new ParamStore();
    addGruLayer(params, 'gru.0', inDim, hidden, Rng.fromSeed(seed));
    return params;
  }

  it('equals the per-step equations, written out in float64, over a batch of sequences', () => {
    const params = layer(1);
    const x = gaussian(b * steps * inDim, Rng.fromSeed(2));
    const got = tf.tidy(
      () =>
        gruLayer(tf.tensor(x, [b, steps, inDim]), 'gru.0', (n) => params.get(n)).arraySync() as number[][][],
    );
    for (let row = 0; row < b; row++) {
      const seq = Array.from({ length: steps }, (_, t) =>
        Array.from(x.subarray((row * steps + t) * inDim, (row * steps + t + 1) * inDim)),
      );
      const want = plainGru(params, 'gru.0', seq, hidden);
      expect(maxAbsDiff(got[row]!.flat(), want.flat()), `row ${row}`).toBeLessThan(1e-5);
    }
    params.dispose();
  });

  it('is causal: changing step t leaves the outputs of steps 0..t−1 bit-identical and changes step t', () => {
    const params = layer(3);
    const x = gaussian(b * steps * inDim, Rng.fromSeed(4));
    const run = (input: Float32Array) =>
      tf.tidy(
        () =>
          gruLayer(tf.tensor(input, [b, steps, inDim]), 'gru.0', (n) =>
            params.get(n),
          ).arraySync() as number[][][],
      );
    const base = run(x);
    for (let t = 0; t < steps; t++) {
      const changed = Float32Array.from(x);
      for (let row = 0; row < b; row++) changed[(row * steps + t) * inDim]! += 1;
      const after = run(changed);
      for (let row = 0; row < b; row++) {
        for (let s = 0; s < t; s++) expect(after[row]![s]).toEqual(base[row]![s]);
        expect(maxAbsDiff(after[row]![t]!, base[row]![t]!)).toBeGreaterThan(1e-4);
      }
    }
    params.dispose();
  });

  it('registers one input and one hidden kernel and bias per gate, drawn from U(−1/√H, 1/√H)', () => {
    const params = layer(5);
    const names = params.entries().map(([name]) => name);
    expect(names).toEqual(
      GRU_GATES.flatMap((gate) =>
        ['input', 'hidden'].flatMap((part) => [`gru.0.${gate}.${part}.weight`, `gru.0.${gate}.${part}.bias`]),
      ),
    );
    expect(params.get('gru.0.reset.input.weight').shape).toEqual([inDim, hidden]);
    expect(params.get('gru.0.update.hidden.weight').shape).toEqual([hidden, hidden]);
    expect(params.get('gru.0.candidate.input.bias').shape).toEqual([hidden]);
    const bound = 1 / Math.sqrt(hidden);
    const all = params.entries().flatMap(([, v]) => Array.from(v.dataSync()));
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(bound);
    // U(−c, c) has standard deviation c/√3; 234 samples estimate it to ±3 % (1σ), so 15 % is 5σ
    const std = Math.sqrt(all.reduce((s, v) => s + v * v, 0) / all.length);
    expect(std / (bound / Math.sqrt(3))).toBeGreaterThan(0.85);
    expect(std / (bound / Math.sqrt(3))).toBeLessThan(1.15);
    // every tensor its own draw
    expect(Array.from(params.get('gru.0.reset.hidden.weight').dataSync())).not.toEqual(
      Array.from(params.get('gru.0.update.hidden.weight').dataSync()),
    );
    params.dispose();
  });
});
