/**
 * VectorEnv: R copies of one environment stepped together in one call. Trainers step their envs
 * through it so that an env family whose copies live elsewhere (Python servers behind the bridge,
 * docs/envs/bridge-protocol.md) pays one round trip per step for the whole batch instead of R.
 * `vectorOf` wraps in-process envs (matrix games, HORM, MuJoCo) one by one.
 */

import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from './types.js';

export interface VectorEnv {
  readonly spec: EnvSpec;
  /** Number of copies. */
  readonly size: number;
  /**
   * Starts new episodes in copies `indices` (ascending, no repeats) with `seeds` (same length);
   * returns their first steps in that order.
   */
  reset(indices: readonly number[], seeds: readonly number[]): EnvStep[];
  /**
   * One joint action per copy (agent order, as `MultiAgentEnv.step` takes it); every copy steps.
   * The returned transitions stay valid until the next `step` or `reset`.
   */
  step(actions: readonly ArrayLike<number>[]): EnvTransition[];
  /** One serialisable state per copy, or undefined when the copies cannot be snapshotted. */
  snapshot?(): unknown[];
  /** Restores every copy from `snapshot`; returns their observations. */
  restore?(snapshots: readonly unknown[]): EnvStep[];
  /** Release every copy's resources. */
  close(): void;
}

/** A VectorEnv over separate in-process envs: each call goes to each copy in turn. */
export function vectorOf(envs: readonly MultiAgentEnv[]): VectorEnv {
  const first = envs[0];
  if (first === undefined) throw new Error('vectorOf: at least one env is needed');
  const canSnapshot = envs.every((e) => e.snapshot !== undefined && e.restore !== undefined);
  return {
    spec: first.spec,
    size: envs.length,
    reset: (indices, seeds) => indices.map((i, k) => envs[i]!.reset(seeds[k])),
    step: (actions) => envs.map((env, i) => env.step(actions[i]!)),
    ...(canSnapshot
      ? {
          snapshot: () => envs.map((e) => e.snapshot!()),
          restore: (snapshots: readonly unknown[]) => envs.map((e, i) => e.restore!(snapshots[i])),
        }
      : {}),
    close: () => {
      for (const env of envs) env.close?.();
    },
  };
}
