/**
 * Functional layers over a named parameter store. Every function takes tensors and returns a new
 * tensor; callers wrap whole passes in `tf.tidy`. Shapes use B = batch, T = tokens, D = width.
 */
import * as tf from './tf.js';

/** A flat, ordered store of named trainable variables (dotted names, stable for checkpoints). */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();

  /** Register a variable; names must be unique. */
  add(name: string, shape: number[], values: Float32Array): tf.Variable {
    if (this.vars.has(name)) throw new Error(`ParamStore: parameter "${name}" registered twice`);
    const expected = shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) {
      throw new Error(
        `ParamStore: "${name}" expects ${expected} values for shape [${shape}], got ${values.length}`,
      );
    }
    const initial = tf.tensor(values, shape, 'float32');
    const v = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    this.vars.set(name, v);
    return v;
  }

  /** The variable called `name`; throws if absent. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`ParamStore: no parameter "${name}"`);
    return v;
  }

  /** All parameters in registration order. */
  entries(): [string, tf.Variable][] {
    return [...this.vars.entries()];
  }

  /** Variables in registration order. */
  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Total number of scalar parameters. */
  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Free every variable. */
  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/**
 * 2-D `x [M, in] · W [in, out] (+ b)` with a hand-written gradient: the wasm backend runs matmuls
 * with a transposed operand an order of magnitude slower than plain ones (measured: 7 ms vs 0.6 ms
 * for [3000, 64]ᵀ·[3000, 64]), so the backward pass transposes explicitly and multiplies plainly.
 * Mathematically the same as tf.matMul's own gradient.
 */
const denseBias = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }), // one kernel for x·W + b
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      // bias gradient as ones[1, M]·dy: a plain matmul, ~10× faster than a column sum on wasm
      const db = tf.reshape(tf.matMul(tf.ones([1, dy2.shape[0]]), dy2), [dy2.shape[1]]);
      return [tf.matMul(dy2, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy2), db];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor,
  w: tf.Tensor,
  b: tf.Tensor,
) => tf.Tensor;

const denseNoBias = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy2)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor;

/** `x [..., in] · W [in, out] + b [out]` (b optional). Flattens leading axes into one matmul. */
export function linear(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = w.shape[0]!;
  const outDim = w.shape[1]!;
  const lead = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, inDim]); // [..., in] → [M, in]
  const y = b ? denseBias(flat, w, b) : denseNoBias(flat, w);
  return tf.reshape(y, [...lead, outDim]);
}

/** LayerNorm over the last axis with PyTorch's ε = 1e-5 (spec/steer.md §b.12). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axis, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)) (PyTorch's default; spec/steer.md §b.12). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/**
 * Scaled dot-product self-attention over T tokens written as broadcast multiply-and-sum (T is
 * 3–5 here, so one wide elementwise op beats many tiny batched matmuls; performance.md hints).
 * q, k, v: [B, T, D] with D = heads × headSize. `mask` is [T, T] additive (0 or −1e9) or null.
 */
export function attention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  heads: number,
  mask: tf.Tensor | null,
): tf.Tensor {
  const [b, t, d] = q.shape as [number, number, number];
  const hs = d / heads;
  const scale = 1 / Math.sqrt(hs);
  if (heads === 1) {
    // scores [B, Tq, Tk] = Σ_d q[B, Tq, 1, d]·k[B, 1, Tk, d]
    let scores = tf.mul(tf.sum(tf.mul(tf.reshape(q, [b, t, 1, d]), tf.reshape(k, [b, 1, t, d])), 3), scale);
    if (mask) scores = tf.add(scores, mask);
    const p = tf.softmax(scores); // over keys (last axis)
    // out [B, Tq, D] = Σ_k p[B, Tq, Tk, 1]·v[B, 1, Tk, D]
    return tf.sum(tf.mul(tf.reshape(p, [b, t, t, 1]), tf.reshape(v, [b, 1, t, d])), 2);
  }
  // head-major: [B, T, D] → [B, H, T, hs]
  const split = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [b, t, heads, hs]), [0, 2, 1, 3]);
  const qh = split(q);
  const kh = split(k);
  const vh = split(v);
  let scores = tf.mul(
    tf.sum(tf.mul(tf.reshape(qh, [b, heads, t, 1, hs]), tf.reshape(kh, [b, heads, 1, t, hs])), 4),
    scale,
  ); // [B, H, Tq, Tk]
  if (mask) scores = tf.add(scores, mask);
  const p = tf.softmax(scores);
  const out = tf.sum(tf.mul(tf.reshape(p, [b, heads, t, t, 1]), tf.reshape(vh, [b, heads, 1, t, hs])), 3); // [B,H,T,hs]
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [b, t, d]);
}

/** Additive causal mask [T, T]: position i sees 0..i (spec/steer.md §a.3). */
export function causalMask(t: number): tf.Tensor {
  const m = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = -1e9;
  return tf.tensor(m, [t, t]);
}
