/**
 * Weight initialisers computed in plain JavaScript from the core's seeded Rng, so a model starts
 * from the same numbers on every backend (docs/spec/steer.md §a.2: orthogonal × gain, zero bias;
 * N(0, 0.02²) state token; N(0, 1) position embedding).
 */
import type { Rng } from '../rng.js';

/**
 * A `rows × cols` matrix (row-major, as TF.js kernels `[in, out]`) with orthonormal rows or columns
 * (whichever are fewer) scaled by `gain`: QR of a Gaussian matrix with the sign fix of Saxe et al.,
 * the construction PyTorch's `orthogonal_` uses. Modified Gram–Schmidt in float64.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols; // long side
  const k = tall ? cols : rows; // short side: number of orthonormal vectors
  const vecs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = rng.normal();
    vecs.push(v);
  }
  for (let j = 0; j < k; j++) {
    const v = vecs[j]!;
    for (let p = 0; p < j; p++) {
      const u = vecs[p]!;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < m; i++) v[i] = v[i]! - dot * u[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) throw new Error(`orthogonal init: degenerate Gaussian draw for ${rows}×${cols}`);
    for (let i = 0; i < m; i++) v[i] = v[i]! / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < k; j++) {
    const v = vecs[j]!;
    for (let i = 0; i < m; i++) {
      // tall: vector j is column j; wide: vector j is row j
      const r = tall ? i : j;
      const c = tall ? j : i;
      out[r * cols + c] = gain * v[i]!;
    }
  }
  return out;
}

/** `n` samples of N(mean, std²). */
export function normal(n: number, mean: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/** √2: PyTorch's `calculate_gain('relu')`, used for layers followed by GELU (docs/spec/steer.md §a.2). */
export const GAIN_ACTIVATE = Math.SQRT2;
/** 0.01: gain of the output-side layers and of all attention projections (docs/spec/steer.md §a.2–a.3). */
export const GAIN_SMALL = 0.01;
