/**
 * The values of a tensor computed inside `tf.tidy`, every tensor of the computation freed. The
 * typed array is read inside the tidy and handed out past it, never returned from it: tfjs walks a
 * tidy's return value key by key looking for tensors, which for a typed array of n values costs n
 * steps and, with V8 re-optimising that walk over and over, kept a second core busy (measured with
 * 128×128 products: 11.4 s returning the array from the tidy, 0.17 s reading it out).
 */
import * as tf from './tf.js';

/** The values of the tensor `f` makes, read as float32 (see the header). */
export function readTidy(f: () => tf.Tensor): Float32Array {
  let values: Float32Array | null = null;
  tf.tidy(() => {
    values = f().dataSync() as Float32Array;
  });
  return values!;
}
