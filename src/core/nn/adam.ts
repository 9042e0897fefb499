/**
 * Adam with PyTorch's update rule and global-norm gradient clipping (docs/spec/steer.md §b.8):
 * p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). Kept here rather than tf.train.adam so its
 * state (moments, step) round-trips through checkpoints by parameter name and synchronously.
 *
 * The step runs in plain JavaScript over flat Float32Arrays (moments and gradients in parameter
 * order), then writes each parameter back once: a model of ~75k scalars in ~60 tensors would
 * otherwise cost ~1,000 tiny kernel launches per step (~10 % of a matrix-game update on wasm).
 * The arithmetic is done in float64 and stored as float32, the same on every backend.
 */
import * as tf from './tf.js';

/** Adam settings; defaults are the reference's (lr 5e-4, ε 1e-5, β = (0.9, 0.999)). */
export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export const DEFAULT_ADAM: AdamConfig = { lr: 5e-4, beta1: 0.9, beta2: 0.999, eps: 1e-5 };

export class Adam {
  /** Scalars over all parameters. */
  readonly size: number;
  private readonly offsets: number[];
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** Number of updates applied so far. */
  step = 0;

  constructor(
    private readonly params: tf.Variable[],
    public config: AdamConfig = DEFAULT_ADAM,
  ) {
    this.offsets = [];
    let size = 0;
    for (const p of params) {
      this.offsets.push(size);
      size += p.size;
    }
    this.size = size;
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /**
   * Clip `grads` (all parameters' gradients concatenated in parameter order; modified in place) to
   * global norm `maxNorm` (null = no clipping) and apply one Adam step. Returns the global norm
   * before clipping.
   */
  apply(grads: Float32Array, maxNorm: number | null): number {
    if (grads.length !== this.size) {
      throw new Error(
        `Adam.apply: ${grads.length} gradient values for ${this.params.length} parameters of ${this.size} values`,
      );
    }
    this.step += 1;
    const { lr, beta1, beta2, eps } = this.config;
    const stepSize = lr / (1 - beta1 ** this.step);
    const sqrtBc2 = Math.sqrt(1 - beta2 ** this.step);
    let sumSq = 0;
    for (let i = 0; i < grads.length; i++) sumSq += grads[i]! * grads[i]!;
    const norm = Math.sqrt(sumSq);
    // PyTorch clip_grad_norm_: scale by maxNorm / (norm + 1e-6) when that is below 1
    const scale = maxNorm === null ? 1 : Math.min(maxNorm / (norm + 1e-6), 1);
    const { m, v } = this;
    this.params.forEach((p, k) => {
      const offset = this.offsets[k]!;
      const values = Float32Array.from(p.dataSync() as Float32Array);
      for (let j = 0; j < values.length; j++) {
        const i = offset + j;
        const g = grads[i]! * scale;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        values[j] = values[j]! - (m[i]! / (Math.sqrt(v[i]!) / sqrtBc2 + eps)) * stepSize;
      }
      const next = tf.tensor(values, p.shape, 'float32');
      p.assign(next);
      next.dispose();
    });
    return norm;
  }

  /** First and second moments, one view per parameter in parameter order (checkpoints read and write them). */
  moments(): { m: Float32Array[]; v: Float32Array[] } {
    const views = (flat: Float32Array) =>
      this.params.map((p, k) => flat.subarray(this.offsets[k]!, this.offsets[k]! + p.size));
    return { m: views(this.m), v: views(this.v) };
  }
}
