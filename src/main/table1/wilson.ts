/**
 * Wilson score interval for a binomial proportion: the confidence interval Table 1 percentages are
 * reported with when fewer than the paper's (presumed) 100 seeds are run (docs/spec/steer.md §c.7).
 * Unlike the normal approximation it stays inside [0, 1] and is not degenerate at 0 % or 100 %.
 */

/** Two-sided 95 % standard-normal quantile z₀.₉₇₅. */
export const Z_95 = 1.959963984540054;

/** A proportion's interval, both ends in [0, 1]. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson interval of `successes` out of `trials` at quantile `z`:
 * centre (p̂ + z²/2n) / (1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 * With no trials nothing is known: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(
      `wilsonInterval: expected integers 0 ≤ successes ≤ trials, received ${successes}/${trials}`,
    );
  }
  if (trials === 0) return { low: 0, high: 1 };
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // exact ends at 0 and n (rounding would otherwise leave 1e-17 or 0.9999999999999999)
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
