/**
 * Single-step matrix games behind MultiAgentEnv (docs/spec/steer.md §c.1; reference
 * `steer/envs/matrix_game/matrix_env.py › MatrixGame`, discrete mode, memory = 0).
 *
 * Every step is a whole episode: each agent i receives payoff[i][a_0][a_1]… and is done. The
 * observation is the constant 0 for every agent, so the env has no state that matters and
 * `reset(seed)` ignores the seed. The reference's continuous-action mode is never used by its
 * wrappers (§c.1) and is not implemented.
 */

import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../types.js';
import { assertDiscreteActions } from './discreteActions.js';
import type { MatrixGameTable, PayoffTensor } from './payoffs.js';
import { findMatrixGame, MATRIX_GAME_ALIASES, matrixGameNames } from './payoffs.js';

/** Registry prefix of the single-step games, as in "matrix:penalty-100". */
export const MATRIX_ENV_PREFIX = 'matrix';

/** EnvTransition with writable fields, so one object can be reused every step. */
type MutableTransition = { -readonly [K in keyof EnvTransition]: EnvTransition[K] };

/** Snapshot of a MatrixGame: it has no state beyond its name (docs/spec/steer.md §c.1). */
export interface MatrixGameSnapshot {
  /** Registry name of the env that wrote it, e.g. "matrix:penalty-100". */
  readonly env: string;
}

/**
 * A single-step game of docs/spec/steer.md §c.2 as a MultiAgentEnv.
 *
 * Buffers are preallocated: `reset` and `step` return the same arrays (and `step` the same
 * transition object) every call, overwritten in place. Callers that keep results must copy them.
 */
export class MatrixGame implements MultiAgentEnv {
  readonly spec: EnvSpec;
  /** The payoff table being played. */
  readonly game: MatrixGameTable;
  /** All payoffs, agent-major then row-major over the joint action. */
  private readonly flatPayoff: Float64Array;
  /** Entries per agent in `flatPayoff` (numActions ** numAgents). */
  private readonly jointActionCount: number;
  private readonly resetStep: EnvStep;
  private readonly transition: MutableTransition;
  private readonly info: Record<string, number>;
  /** Info keys of the per-agent rewards, built once so `step` allocates nothing. */
  private readonly rewardKeys: readonly string[];

  /** @param game a scenario name or alias of docs/spec/steer.md §c.2 (e.g. "penalty-100", "mixing"), or a table. */
  constructor(game: string | MatrixGameTable) {
    this.game = typeof game === 'string' ? requireGame(game) : game;
    const { numAgents, numActions } = this.game;
    this.spec = {
      name: `${MATRIX_ENV_PREFIX}:${this.game.name}`,
      numAgents,
      obsDim: 1,
      stateDim: numAgents, // share obs = all agents' observations concatenated (§c.1)
      actionSpace: { kind: 'discrete', n: numActions },
      episodeLimit: 1,
    };
    this.flatPayoff = flattenPayoff(this.game, this.spec.name);
    this.jointActionCount = numActions ** numAgents;

    // Observation is the single number 0 per agent, at reset and after every step (§c.1).
    const obs = new Float32Array(numAgents);
    const state = new Float32Array(numAgents);
    const active = new Uint8Array(numAgents).fill(1);
    const priority = Int32Array.from({ length: numAgents }, (_, agent) => agent);
    this.resetStep = { obs, state, availActions: null, active, priority };
    this.rewardKeys = Array.from({ length: numAgents }, (_, agent) => `reward/agent${agent}`);
    this.info = Object.fromEntries(this.rewardKeys.map((key) => [key, 0]));
    this.transition = {
      ...this.resetStep,
      rewards: new Float64Array(numAgents),
      dones: new Uint8Array(numAgents).fill(1), // done on every step: one-shot game (§c.1)
      episodeDone: true,
      info: this.info,
    };
  }

  /** Start an episode. Deterministic: the seed is accepted and ignored (nothing is random). */
  reset(_seed?: number): EnvStep {
    return this.resetStep;
  }

  /** Play one joint action; every agent is done and the episode is over (§c.1). */
  step(actions: ArrayLike<number>): EnvTransition {
    const { numAgents, numActions } = this.game;
    assertDiscreteActions(this.spec.name, actions, numAgents, numActions);
    let joint = 0;
    for (let agent = 0; agent < numAgents; agent++) joint = joint * numActions + actions[agent]!;
    const rewards = this.transition.rewards;
    for (let agent = 0; agent < numAgents; agent++) {
      const reward = this.flatPayoff[agent * this.jointActionCount + joint]!;
      rewards[agent] = reward;
      this.info[this.rewardKeys[agent]!] = reward;
    }
    return this.transition;
  }

  /** JSON snapshot: the game has no state, so only its name is kept (to refuse a mismatched restore). */
  snapshot(): MatrixGameSnapshot {
    return { env: this.spec.name };
  }

  /** Restore a snapshot of this same game; returns the (constant) observation. */
  restore(snapshot: unknown): EnvStep {
    const env = (snapshot as Partial<MatrixGameSnapshot> | null)?.env;
    if (env !== this.spec.name) {
      throw new Error(
        `${this.spec.name}: restore: expected a snapshot with env "${this.spec.name}", received ${JSON.stringify(snapshot)}`,
      );
    }
    return this.resetStep;
  }
}

function requireGame(name: string): MatrixGameTable {
  const game = findMatrixGame(name);
  if (game === undefined) {
    const aliases = Object.entries(MATRIX_GAME_ALIASES).map(([alias, target]) => `${alias} → ${target}`);
    throw new Error(
      `Unknown matrix game "${name}". Valid games: ${matrixGameNames().join(', ')}; aliases: ${aliases.join(', ')}`,
    );
  }
  return game;
}

/** Flattens [agent][a_0]…[a_{n−1}] row-major, checking that every level has the right length. */
function flattenPayoff(game: MatrixGameTable, envName: string): Float64Array {
  const { numAgents, numActions } = game;
  const flat = new Float64Array(numAgents * numActions ** numAgents);
  let offset = 0;
  const walk = (tensor: PayoffTensor, depth: number, path: string): void => {
    if (depth === numAgents) {
      if (typeof tensor !== 'number') throw new Error(`${envName}: ${path}: expected a number`);
      flat[offset++] = tensor;
      return;
    }
    if (typeof tensor === 'number' || tensor.length !== numActions) {
      throw new Error(
        `${envName}: ${path}: expected ${numActions} entries, received ${JSON.stringify(tensor)}`,
      );
    }
    for (let action = 0; action < numActions; action++)
      walk(tensor[action]!, depth + 1, `${path}[${action}]`);
  };
  if (game.payoff.length !== numAgents) {
    throw new Error(
      `${envName}: payoff: expected one table per agent (${numAgents}), received ${game.payoff.length}`,
    );
  }
  for (let agent = 0; agent < numAgents; agent++) walk(game.payoff[agent]!, 0, `payoff[${agent}]`);
  return flat;
}
