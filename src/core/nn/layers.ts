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
 * dW = xᵀ·dy, computed as (dyᵀ·x)ᵀ: XNNPACK packs a matmul's right operand, which costs about as
 * much as the product when it has M rows, and keeps the packing while that tensor lives, so with x
 * on the right the key, query and value layers (one shared input) pack it once instead of three times.
 */
function weightGrad(dyT: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor {
  return tf.transpose(tf.matMul(dyT, x));
}

/** db = Σ_rows dy as dyᵀ·1: a thin right operand, cheaper on wasm than a sum over the first axis. */
function biasGrad(dyT: tf.Tensor2D): tf.Tensor {
  return tf.reshape(tf.matMul(dyT, tf.ones([dyT.shape[1], 1])), [dyT.shape[0]]);
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
      const dyT = tf.transpose(dy2);
      return [tf.matMul(dy2, tf.transpose(ws)), weightGrad(dyT, xs), biasGrad(dyT)];
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
      return [tf.matMul(dy2, tf.transpose(ws)), weightGrad(tf.transpose(dy2), xs)];
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

/** PyTorch's LayerNorm ε (docs/spec/steer.md §b.12), not TF.js's 1e-3. */
const LAYER_NORM_EPS = 1e-5;

/**
 * LayerNorm over the last axis with PyTorch's ε = 1e-5 (docs/spec/steer.md §b.12), with its closed-form
 * gradient: TF.js's own gradient of `mean` fills a ones tensor of the input's shape in JavaScript on
 * every call (allocation and garbage collection on the main thread).
 */
export const layerNorm = tf.customGrad(((
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  save: tf.GradSaveFunc,
) => {
  const axis = x.rank - 1;
  const centred = tf.sub(x, tf.mean(x, axis, true));
  const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), axis, true), LAYER_NORM_EPS));
  const normed = tf.mul(centred, inverseStd); // x̂
  save([normed, inverseStd, gamma]);
  return {
    value: tf.add(tf.mul(normed, gamma), beta),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xh, r, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const width = g.shape[0]!;
      // dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·γ; dγ = Σ dy·x̂, dβ = Σ dy over all rows
      const dxh = tf.mul(dy, g);
      const dx = tf.mul(
        r,
        tf.sub(tf.sub(dxh, tf.mean(dxh, axis, true)), tf.mul(xh, tf.mean(tf.mul(dxh, xh), axis, true))),
      );
      const rows = (t: tf.Tensor) => tf.reshape(t, [-1, width]);
      return [dx, tf.sum(rows(tf.mul(dy, xh)), 0), tf.sum(rows(dy), 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
) => tf.Tensor;

/**
 * Coefficients of Abramowitz & Stegun 7.1.26: erfc(z) ≈ t·(a₁ + t·(a₂ + t·(a₃ + t·(a₄ + t·a₅))))·e^(−z²)
 * with t = 1 / (1 + p·z), z ≥ 0, absolute error ≤ 1.5e-7 (National Bureau of Standards, 1964).
 */
const ERFC_P = 0.3275911;
const ERFC_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The standard normal CDF Φ(x) (absolute error ≤ 2e-7 in float32) and e^(−x²/2), from elementwise
 * ops that the wasm backend vectorises (its Erf and Exp kernels are scalar loops costing dozens of
 * multiplies per element); e^(u) for u ≤ 0 is taken as elu(u) + 1, which XNNPACK vectorises.
 */
export function normalCdf(x: tf.Tensor): { cdf: tf.Tensor; gauss: tf.Tensor } {
  const t = tf.div(1, tf.add(tf.mul(tf.abs(x), ERFC_P * Math.SQRT1_2), 1)); // z = |x|/√2
  let poly = tf.mul(t, ERFC_A[4] / 2); // halved: the tail below is erfc(z)/2 = Φ(−|x|)
  for (let i = 3; i >= 0; i--) poly = tf.mul(tf.add(poly, ERFC_A[i]! / 2), t);
  const gauss = tf.add(tf.elu(tf.mul(tf.square(x), -0.5)), 1);
  const tail = tf.mul(poly, gauss);
  // Φ(x) = tail for x < 0, 1 − tail for x > 0 (both 0.5 at 0); step + multiply-add, because
  // greaterEqual + where are scalar loops on wasm
  return { cdf: tf.add(tail, tf.mul(tf.step(x), tf.add(tf.mul(tail, -2), 1))), gauss };
}

/**
 * Tensors up to this many elements take Φ from the backend's Erf kernel: there a kernel's fixed
 * cost outweighs its per-element cost, and erf needs 5 kernels where normalCdf needs 20.
 */
export const GELU_SMALL_TENSOR = 4096;

/**
 * GELU with the exact CDF, x·Φ(x) (PyTorch's default, not the tanh form; docs/spec/steer.md §b.12). Large
 * tensors (training batches) use normalCdf (Φ within 2e-7) and the closed-form gradient
 * Φ(x) + x·φ(x); small ones (acting) use erf, so the two paths agree to float32 rounding.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (x.size <= GELU_SMALL_TENSOR) return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  return geluLarge(x);
}

const geluLarge = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const { cdf, gauss } = normalCdf(x);
  save([x, cdf, gauss]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, c, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.mul(dy, tf.add(c, tf.mul(tf.mul(xs, g), INV_SQRT_2PI)));
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

/** Σ_j w[n, i, j]·x[n, j, :] for w [N, T, T], x [N, T, E] → [N, T, E] (one broadcast multiply and sum). */
function weightedRows(w: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const [n, t, e] = x.shape as [number, number, number];
  return tf.sum(tf.mul(tf.reshape(w, [n, t, t, 1]), tf.reshape(x, [n, 1, t, e])), 2);
}

/** Σ_e a[n, i, e]·b[n, j, e] for a, b [N, T, E] → [N, T, T]. */
function rowDots(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [n, t, e] = a.shape as [number, number, number];
  return tf.sum(tf.mul(tf.reshape(a, [n, t, 1, e]), tf.reshape(b, [n, 1, t, e])), 3);
}

/**
 * Single-head scaled dot-product attention over q, k, v [N, T, E] with its closed-form gradient
 * (TF.js's own gradient of the broadcast multiply-and-sum fills ones tensors of [N, T, T, E] in
 * JavaScript and reduces over inner axes; it cost several times the forward pass).
 */
function attentionOp(mask: tf.Tensor | null, scale: number) {
  return tf.customGrad(((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
    let scores = tf.mul(rowDots(q, k), scale);
    if (mask) scores = tf.add(scores, mask);
    const p = tf.softmax(scores); // over keys (last axis)
    save([q, k, v, p]);
    return {
      value: weightedRows(p, v),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [qs, ks, vs, ps] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const dp = rowDots(dy, vs); // [N, Tq, Tk]
        // softmax backward; masked entries have p = 0 and get no gradient
        const ds = tf.mul(tf.mul(ps, tf.sub(dp, tf.sum(tf.mul(ps, dp), 2, true))), scale);
        const swap = (t: tf.Tensor) => tf.transpose(t, [0, 2, 1]);
        return [weightedRows(ds, ks), weightedRows(swap(ds), qs), weightedRows(swap(ps), dy)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
    q: tf.Tensor,
    k: tf.Tensor,
    v: tf.Tensor,
  ) => tf.Tensor;
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
  const op = attentionOp(mask, 1 / Math.sqrt(hs));
  if (heads === 1) return op(q, k, v);
  // head-major: [B, T, D] → [B·H, T, hs], and back
  const split = (x: tf.Tensor) =>
    tf.reshape(tf.transpose(tf.reshape(x, [b, t, heads, hs]), [0, 2, 1, 3]), [b * heads, t, hs]);
  const out = tf.reshape(op(split(q), split(k), split(v)), [b, heads, t, hs]);
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [b, t, d]);
}

/** Additive causal mask [T, T]: position i sees 0..i (docs/spec/steer.md §a.3). */
export function causalMask(t: number): tf.Tensor {
  const m = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = -1e9;
  return tf.tensor(m, [t, t]);
}
