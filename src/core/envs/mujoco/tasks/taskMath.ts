/**
 * Small numeric pieces the gym v2 tasks share (docs/spec/bridges.md §1.10): control cost, clipping, the
 * finiteness check of gym's `state_vector()`, observation assembly and reset noise.
 *
 * Reset noise follows gym's `reset_model`: first one draw per qpos entry, then one per qvel entry,
 * from the Rng the env hands in (gym's own stream is unseeded and cannot be reproduced).
 */

import type { Rng } from '../../../rng.js';

/** Σ aᵢ² of the action as sent (unclipped; docs/spec/bridges.md §1.9). */
export function sumOfSquares(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum;
}

/** `value` clipped to [−limit, limit]. */
export function clip(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value));
}

/** Σ clip(vᵢ, ±limit)² (Ant's contact cost before its weight). */
export function sumOfClippedSquares(values: ArrayLike<number>, limit: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = clip(values[i]!, limit);
    sum += v * v;
  }
  return sum;
}

/** True when every entry of every array is finite (gym's `np.isfinite(state_vector()).all()`). */
export function allFinite(...arrays: readonly ArrayLike<number>[]): boolean {
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  }
  return true;
}

/**
 * Copies `source[from..]` into `out` at `offset`, each value clipped to ±`limit` when a limit is
 * given; returns the offset after the copied block.
 */
export function appendValues(
  out: Float64Array,
  offset: number,
  source: ArrayLike<number>,
  from = 0,
  limit?: number,
): number {
  let at = offset;
  for (let i = from; i < source.length; i++) {
    out[at++] = limit === undefined ? source[i]! : clip(source[i]!, limit);
  }
  return at;
}

/** `out[i] = base[i] + U(−scale, scale)` (numpy's `uniform(low=−scale, high=scale)`). */
export function addUniformNoise(base: ArrayLike<number>, out: Float64Array, scale: number, rng: Rng): void {
  for (let i = 0; i < out.length; i++) out[i] = base[i]! - scale + 2 * scale * rng.uniform();
}

/** `out[i] = scale · N(0, 1)` (gym's `standard_normal(nv) * scale`; its init_qvel is zero). */
export function setNormalNoise(out: Float64Array, scale: number, rng: Rng): void {
  for (let i = 0; i < out.length; i++) out[i] = scale * rng.normal();
}

/** `out[i] = U(−scale, scale)` (gym's uniform velocity noise; its init_qvel is zero). */
export function setUniformNoise(out: Float64Array, scale: number, rng: Rng): void {
  for (let i = 0; i < out.length; i++) out[i] = -scale + 2 * scale * rng.uniform();
}

/** A ModelSizes-style dimension check with the numbers in the message. */
export function assertLength(what: string, values: ArrayLike<number>, expected: number): void {
  if (values.length !== expected) {
    throw new Error(`${what}: expected ${expected} entries, received ${values.length}`);
  }
}
