/**
 * Validation of a joint continuous action (the clear errors of docs/spec/steer.md §e.17, as
 * discreteActions.ts gives for the matrix games). Policies hand the env their raw Gaussian samples,
 * unsquashed and unclipped (docs/spec/steer.md §a.5, §a.7), so any finite value is a valid action
 * and the env clips it into its box, as MA-MuJoCo's wrappers do; only a malformed action is refused.
 */

/**
 * Copies `actions` (agent-major, numAgents × dim values) into `clipped`, each value clipped to
 * [low, high]. Throws unless there are exactly numAgents × dim finite numbers; messages name the
 * env, the agent, the dimension and the value received, e.g.
 * `cont:target: agent 1, dimension 0: expected a finite number, received NaN`.
 */
export function clipContinuousActions(
  envName: string,
  actions: ArrayLike<number>,
  numAgents: number,
  dim: number,
  bounds: { readonly low: number; readonly high: number },
  clipped: Float64Array,
): void {
  const expected = numAgents * dim;
  if (actions.length !== expected) {
    throw new Error(
      `${envName}: expected ${expected} action values (${numAgents} agents × ${dim} dimensions, agent-major), received ${actions.length}`,
    );
  }
  for (let i = 0; i < expected; i++) {
    const value = actions[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(
        `${envName}: agent ${Math.floor(i / dim)}, dimension ${i % dim}: expected a finite number, received ${String(value)}`,
      );
    }
    clipped[i] = Math.min(bounds.high, Math.max(bounds.low, value));
  }
}
