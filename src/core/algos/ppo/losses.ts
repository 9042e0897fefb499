/**
 * PPO loss pieces on tensors (docs/spec/steer.md §b.7).
 */
import * as tf from '../../nn/tf.js';

/**
 * Huber loss of errors `e` with threshold δ. `symmetric` (the product default) is the textbook
 * loss; `symmetric = false` reproduces the reference's bug of zero loss for e < −δ (docs/spec/steer.md §b.7, §e.1).
 */
export function huberLoss(e: tf.Tensor, delta: number, symmetric: boolean): tf.Tensor {
  // ½·min(|e|, δ)² + δ·(|e| − min(|e|, δ)): e²/2 inside ±δ, δ(|e| − δ/2) outside; written without
  // comparisons because TF.js has no gradient for them
  const abs = tf.abs(e);
  const inner = tf.minimum(abs, delta);
  const loss = tf.add(tf.mul(tf.square(inner), 0.5), tf.mul(tf.sub(abs, inner), delta));
  if (symmetric) return loss;
  // 1 − step(−e − δ) is 0 exactly where e < −δ and 1 elsewhere, including e = −δ (zero gradient)
  return tf.mul(loss, tf.sub(1, tf.step(tf.sub(tf.neg(e), delta))));
}

/** Squared-error loss e²/2 (the reference's non-Huber option). */
export function mseLoss(e: tf.Tensor): tf.Tensor {
  return tf.mul(tf.square(e), 0.5);
}

/** Σ(x·mask)/Σ(mask), or the plain mean when `mask` is null. */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
  if (!mask) return tf.mean(x);
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1e-8));
}
