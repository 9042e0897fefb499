/**
 * Adam with PyTorch's update rule and global-norm gradient clipping (spec/steer.md §b.8):
 * p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). Kept here rather than tf.train.adam so its
 * state (moments, step) round-trips through checkpoints by parameter name and synchronously.
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
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  /** Number of updates applied so far. */
  step = 0;

  constructor(
    private readonly params: tf.Variable[],
    public config: AdamConfig = DEFAULT_ADAM,
  ) {
    const zeros = (p: tf.Variable) => {
      const z = tf.zerosLike(p);
      const v = tf.variable(z, false);
      z.dispose(); // the variable holds its own reference to the data
      return v;
    };
    this.m = params.map(zeros);
    this.v = params.map(zeros);
  }

  /**
   * Clip `grads` (one per parameter, same order) to global norm `maxNorm` (null = no clipping) and
   * apply one Adam step. Returns the global norm before clipping as a scalar tensor (caller disposes).
   */
  apply(grads: tf.Tensor[], maxNorm: number | null): tf.Scalar {
    if (grads.length !== this.params.length) {
      throw new Error(`Adam.apply: ${grads.length} gradients for ${this.params.length} parameters`);
    }
    this.step += 1;
    const { lr, beta1, beta2, eps } = this.config;
    const stepSize = lr / (1 - beta1 ** this.step);
    const sqrtBc2 = Math.sqrt(1 - beta2 ** this.step);
    return tf.tidy(() => {
      const sumSq = tf.addN(grads.map((g) => tf.sum(tf.square(g))));
      const norm = tf.sqrt(sumSq) as tf.Scalar;
      // PyTorch clip_grad_norm_: scale by maxNorm / (norm + 1e-6) when that is below 1
      const scale = maxNorm === null ? tf.scalar(1) : tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
      for (let i = 0; i < grads.length; i++) {
        const g = tf.mul(grads[i]!, scale);
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), eps);
        this.params[i]!.assign(tf.sub(this.params[i]!, tf.mul(tf.div(m, denom), stepSize)));
      }
      return norm;
    });
  }

  /** First and second moments, parameter order, for checkpoints. */
  moments(): { m: tf.Variable[]; v: tf.Variable[] } {
    return { m: this.m, v: this.v };
  }

  /** Free the moment tensors. */
  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
