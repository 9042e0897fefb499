/**
 * The mean of a few values (one per seed) with its two-sided 95 % Student-t confidence interval:
 * mean ± t₀.₉₇₅,ₙ₋₁ · s / √n, s the sample standard deviation (n − 1 in the denominator). The
 * interval assumes the seeds' values are independent and roughly normal; with one value there is
 * no interval (null ends).
 */
import { studentTQuantile } from './studentT.js';

/** Confidence level of every interval `steer compare` reports. */
export const CONFIDENCE = 0.95;

/** A mean over seeds with its interval. */
export interface MeanInterval {
  /** Values averaged (non-finite ones are left out). */
  readonly n: number;
  /** NaN when n = 0. */
  readonly mean: number;
  /** Sample standard deviation; null when n < 2. */
  readonly sd: number | null;
  /** Interval ends; null when n < 2. */
  readonly low: number | null;
  readonly high: number | null;
}

/** The mean of the finite `values` and its 95 % Student-t interval. */
export function meanInterval(values: readonly number[]): MeanInterval {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: Number.NaN, sd: null, low: null, high: null };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { n, mean, sd: null, low: null, high: null };
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - half, high: mean + half };
}
