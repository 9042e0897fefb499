/**
 * `cont:target`, a one-step continuous-action game for tests and quick learning checks
 * (docs/algos/README.md, "Continuous actions"). Not from the paper or the reference: MA-MuJoCo comes
 * later; this is tiny, fast and deterministic, so every algorithm's Gaussian head can be trained in
 * seconds.
 *
 * Two agents each choose a vector in [−1, 1]² and are scored by how close it is to their own aim,
 * (0.5, −0.5) for agent 0 and (−0.5, 0.5) for agent 1, which each observes:
 *
 *   reward_j = 1 − mean_k (ā_jk − aim_jk)²        ā = the action clipped to [−1, 1]; at most 1
 *
 * Nobody needs to see anybody else. The observations tell the agents apart: a network without agent
 * ids or positions (the ITB-only ablation) would otherwise have to give both agents one mean, and
 * the best common mean, 0, scores 0.75. An untrained policy's means are near 0 too (every actor's
 * output layer starts at gain 0.01), so its greedy return is about 0.75; the optimum is 1.
 *
 * Rewards are private (one per agent), each step is a whole episode, the state is both observations
 * concatenated (as the matrix games' share obs), and nothing is random: `reset(seed)` accepts and
 * ignores the seed. Buffers are preallocated and reused.
 */

import type { ActionSpace, EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../types.js';
import { clipContinuousActions } from './continuousActions.js';

/** Registry prefix of the continuous-action games, as in "cont:target". */
export const CONTINUOUS_ENV_PREFIX = 'cont';

/** The games of the family, in display order (one so far). */
export const CONTINUOUS_GAMES: readonly string[] = ['target'];

/** Each agent's aim, agent-major: (0.5, −0.5) for agent 0, (−0.5, 0.5) for agent 1. */
export const TARGET_AIMS: readonly (readonly number[])[] = [
  [0.5, -0.5],
  [-0.5, 0.5],
];

/** Action dimensions per agent (the aims' length). */
export const TARGET_ACTION_DIM = 2;

/** The box every action is clipped to. */
export const TARGET_ACTION_SPACE: Extract<ActionSpace, { kind: 'continuous' }> = {
  kind: 'continuous',
  dim: TARGET_ACTION_DIM,
  low: -1,
  high: 1,
};

/** Snapshot of the game: it has no state beyond its name (kept to refuse a mismatched restore). */
export interface TargetGameSnapshot {
  readonly env: string;
}

/** EnvTransition with writable fields, so one object can be reused every step. */
type MutableTransition = { -readonly [K in keyof EnvTransition]: EnvTransition[K] };

const AGENTS = TARGET_AIMS.length;

/** `cont:target` as a MultiAgentEnv; `reset` and `step` return the same objects every call. */
export class TargetGame implements MultiAgentEnv {
  readonly spec: EnvSpec = {
    name: `${CONTINUOUS_ENV_PREFIX}:target`,
    numAgents: AGENTS,
    obsDim: TARGET_ACTION_DIM,
    stateDim: AGENTS * TARGET_ACTION_DIM, // both observations concatenated
    actionSpace: TARGET_ACTION_SPACE,
    episodeLimit: 1,
  };
  /** The joint action clipped to the box, agent-major [n, d]. */
  private readonly clipped = new Float64Array(AGENTS * TARGET_ACTION_DIM);
  private readonly resetStep: EnvStep;
  private readonly transition: MutableTransition;
  private readonly info: Record<string, number>;
  /** Info keys of the per-agent rewards, built once so `step` allocates nothing. */
  private readonly rewardKeys: readonly string[];

  constructor() {
    const obs = Float32Array.from(TARGET_AIMS.flat()); // each agent observes its aim
    this.resetStep = {
      obs,
      state: Float32Array.from(obs),
      availActions: null,
      active: new Uint8Array(AGENTS).fill(1),
      priority: Int32Array.from({ length: AGENTS }, (_, agent) => agent),
    };
    this.rewardKeys = Array.from({ length: AGENTS }, (_, agent) => `reward/agent${agent}`);
    this.info = Object.fromEntries(this.rewardKeys.map((key) => [key, 0]));
    this.transition = {
      ...this.resetStep,
      rewards: new Float64Array(AGENTS),
      dones: new Uint8Array(AGENTS).fill(1), // one-step game: every step ends the episode
      episodeDone: true,
      info: this.info,
    };
  }

  /** Start an episode. Deterministic: the seed is accepted and ignored. */
  reset(_seed?: number): EnvStep {
    return this.resetStep;
  }

  /**
   * Play one joint action (agent-major, n × d raw values, each clipped to [−1, 1]); every agent is
   * done and the episode is over. Throws on a wrong length or a value that is not a finite number.
   */
  step(actions: ArrayLike<number>): EnvTransition {
    const d = TARGET_ACTION_DIM;
    clipContinuousActions(this.spec.name, actions, AGENTS, d, TARGET_ACTION_SPACE, this.clipped);
    const rewards = this.transition.rewards;
    for (let agent = 0; agent < AGENTS; agent++) {
      const aim = TARGET_AIMS[agent]!;
      let squared = 0;
      for (let k = 0; k < d; k++) squared += (this.clipped[agent * d + k]! - aim[k]!) ** 2;
      rewards[agent] = 1 - squared / d;
      this.info[this.rewardKeys[agent]!] = rewards[agent]!;
    }
    return this.transition;
  }

  /** JSON snapshot: the game has no state, so only its name is kept. */
  snapshot(): TargetGameSnapshot {
    return { env: this.spec.name };
  }

  /** Restore a snapshot of this same game; returns the (constant) observation. */
  restore(snapshot: unknown): EnvStep {
    const env = (snapshot as Partial<TargetGameSnapshot> | null)?.env;
    if (env !== this.spec.name) {
      throw new Error(
        `${this.spec.name}: restore: expected a snapshot with env "${this.spec.name}", received ${JSON.stringify(snapshot)}`,
      );
    }
    return this.resetStep;
  }
}
