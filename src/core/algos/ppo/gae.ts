/**
 * Generalised advantage estimation per agent on private rewards (docs/spec/steer.md §b.3).
 * Arrays are time-major and flat: index (t·R + env)·n + agent, with `lanes = R·n`.
 */

/** Inputs of `computeGae`; `values` and `masks` have T+1 rows, the others T. */
export interface GaeInput {
  /** Steps T. */
  steps: number;
  /** Parallel lanes R·n (each env × agent pair is one independent lane). */
  lanes: number;
  /** Rewards [T, lanes], raw scale. */
  rewards: ArrayLike<number>;
  /** Value estimates [T+1, lanes], raw (denormalised) scale. */
  values: ArrayLike<number>;
  /** masks[t+1] = 0 iff the episode ended at step t, [T+1, lanes]. */
  masks: ArrayLike<number>;
  /** Discount γ. */
  gamma: number;
  /** GAE λ. */
  lambda: number;
}

/** Advantages [T, lanes] and returns = advantages + values [T, lanes]. */
export function computeGae(input: GaeInput): { advantages: Float32Array; returns: Float32Array } {
  const { steps, lanes, rewards, values, masks, gamma, lambda } = input;
  if (rewards.length !== steps * lanes)
    throw new Error(`computeGae: rewards has ${rewards.length} entries, expected ${steps * lanes}`);
  if (values.length !== (steps + 1) * lanes || masks.length !== (steps + 1) * lanes) {
    throw new Error(`computeGae: values and masks need ${(steps + 1) * lanes} entries (T+1 rows)`);
  }
  const advantages = new Float32Array(steps * lanes);
  const returns = new Float32Array(steps * lanes);
  for (let lane = 0; lane < lanes; lane++) {
    let gae = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const i = t * lanes + lane;
      const next = i + lanes;
      const m = masks[next]!;
      const delta = rewards[i]! + gamma * values[next]! * m - values[i]!;
      gae = delta + gamma * lambda * m * gae;
      advantages[i] = gae;
      returns[i] = gae + values[i]!;
    }
  }
  return { advantages, returns };
}
