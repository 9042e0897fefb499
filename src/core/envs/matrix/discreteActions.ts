/**
 * Validation of a joint discrete action, shared by the matrix games (docs/spec/steer.md §e.17: give a
 * clear error). The reference asserts membership in range(action_dim) without saying which agent.
 */

/**
 * Throws unless `actions` holds exactly `numAgents` integers in 0..numActions−1. Messages name the
 * env, the agent and the value received, e.g.
 * `matrix:penalty-100: agent 1: expected an integer action in 0..2, received 3`.
 */
export function assertDiscreteActions(
  envName: string,
  actions: ArrayLike<number>,
  numAgents: number,
  numActions: number,
): void {
  if (actions.length !== numAgents) {
    throw new Error(`${envName}: expected ${numAgents} actions (one per agent), received ${actions.length}`);
  }
  for (let agent = 0; agent < numAgents; agent++) {
    const action = actions[agent];
    if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= numActions) {
      throw new Error(
        `${envName}: agent ${agent}: expected an integer action in 0..${numActions - 1}, received ${String(action)}`,
      );
    }
  }
}
