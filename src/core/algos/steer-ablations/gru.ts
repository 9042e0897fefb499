/**
 * A gated recurrent unit (GRU) layer with PyTorch's `nn.GRU` conventions, as the reference's GRU
 * variant uses it (docs/spec/steer.md §a.10; `steer_gru.py › ActorCritic`): hidden state 0 at the
 * start, batch-first, separate input and hidden biases, the reset gate applied to the hidden
 * product (bias included), every weight and bias drawn from U(−1/√H, 1/√H):
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h + b_hn))
 *   h   = (1 − z_t) ⊙ n_t + z_t ⊙ h
 *
 * Weights are one [in, H] (or [H, H]) kernel per gate, `<name>.<gate>.<input|hidden>.<weight|bias>`,
 * so no forward pass splits a fused [·, 3H] product (slow on TF.js's wasm backend).
 */
import { linear, type ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';

/** Reset r, update z and candidate n, PyTorch's order (r, z, n). */
export const GRU_GATES = ['reset', 'update', 'candidate'] as const;

/** `n` samples of U(−bound, bound). */
function uniform(n: number, bound: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = bound * (2 * rng.uniform() - 1);
  return out;
}

/**
 * Registers one GRU layer (input width `inDim`, hidden width `hidden`) under `name`, every tensor
 * from U(−1/√H, 1/√H) (PyTorch's GRU default init; §a.10), each forked from `rng` by its name.
 */
export function addGruLayer(params: ParamStore, name: string, inDim: number, hidden: number, rng: Rng): void {
  const bound = 1 / Math.sqrt(hidden);
  for (const gate of GRU_GATES) {
    for (const [part, rows] of [
      ['input', inDim],
      ['hidden', hidden],
    ] as const) {
      const key = `${name}.${gate}.${part}`;
      params.add(`${key}.weight`, [rows, hidden], uniform(rows * hidden, bound, rng.fork(`${key}.weight`)));
      params.add(`${key}.bias`, [hidden], uniform(hidden, bound, rng.fork(`${key}.bias`)));
    }
  }
}

/**
 * One GRU layer over x [B, T, in] from a zero hidden state → every step's hidden state [B, T, H].
 * `w` looks parameters up by name. Causal: output t depends on x_0..x_t only.
 */
export function gruLayer(x: tf.Tensor, name: string, w: (name: string) => tf.Tensor): tf.Tensor {
  const [b, steps] = x.shape as [number, number, number];
  const project = (input: tf.Tensor, gate: string, part: string) =>
    linear(input, w(`${name}.${gate}.${part}.weight`), w(`${name}.${gate}.${part}.bias`));
  // the input products of all steps at once: [B, T, H] per gate
  const [xr, xz, xn] = GRU_GATES.map((gate) => project(x, gate, 'input')) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const hidden = xr.shape[2]!;
  const at = (y: tf.Tensor, t: number) => tf.reshape(tf.slice(y, [0, t, 0], [b, 1, hidden]), [b, hidden]);
  let h: tf.Tensor = tf.zeros([b, hidden]);
  const outputs: tf.Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    const r = tf.sigmoid(tf.add(at(xr, t), project(h, 'reset', 'hidden')));
    const z = tf.sigmoid(tf.add(at(xz, t), project(h, 'update', 'hidden')));
    const n = tf.tanh(tf.add(at(xn, t), tf.mul(r, project(h, 'candidate', 'hidden'))));
    h = tf.add(n, tf.mul(z, tf.sub(h, n))); // (1 − z)·n + z·h
    outputs.push(h);
  }
  return tf.stack(outputs, 1); // [B, T, H]
}
