/**
 * Greedy evaluation and the convergence judgement of docs/spec/steer.md §c.7: from reset, agent 0 (the
 * leader) takes the argmax of its logits, then each follower the argmax given the leaders' greedy
 * actions; one episode (these envs are deterministic). A run counts as converged iff every agent's
 * undiscounted episode return equals the game's target vector.
 */
import type { MarlPolicy } from '../../core/algos/marl.js';
import { TABLE1_GAMES, type Table1Game } from '../../core/envs/matrix/targets.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import { Rng } from '../../core/rng.js';

/** One greedy episode. */
export interface GreedyEpisode {
  /** Canonical env name (env.spec.name). */
  readonly env: string;
  /**
   * Joint action of each step, agent order (agent 0 first): one index per agent (discrete), or each
   * agent's mean vector in turn, n × dim values (continuous).
   */
  readonly actions: number[][];
  /** Undiscounted return of each agent. */
  readonly returns: number[];
}

/** A greedy episode judged against the Table 1 target (§c.7). */
export interface Evaluation extends GreedyEpisode {
  /** Target return per agent, or null for an env that is not a Table 1 game. */
  readonly target: number[] | null;
  /** Every agent's return equals the target (false when there is no target). */
  readonly converged: boolean;
}

/** Returns must equal the target to this tolerance (they are sums of a few integer payoffs). */
const RETURN_TOLERANCE = 1e-6;

/**
 * Plays one greedy episode of `env` from `reset(seed)` with `policy`, at most `spec.episodeLimit` steps:
 * the argmax of each agent's logits, or the mean of its Gaussian for continuous actions. Observations
 * are handed to the policy in each step's priority order and its actions mapped back to agent
 * order, as the trainer does.
 */
export function playGreedyEpisode(policy: MarlPolicy, env: MultiAgentEnv, seed = 0): GreedyEpisode {
  const { numAgents: n, obsDim: o, actionSpace, episodeLimit } = env.spec;
  const discrete = actionSpace.kind === 'discrete';
  const a = discrete ? actionSpace.n : 0; // available-action mask width (discrete only)
  const w = discrete ? 1 : actionSpace.dim; // values per agent's action
  const stateDim = policy.model.config.stateDim;
  const obs = new Float32Array(n * o);
  const state = new Float32Array(stateDim);
  const avail = new Uint8Array(n * a);
  const joint = new Float64Array(n * w);
  const returns = new Array<number>(n).fill(0);
  const actions: number[][] = [];
  const rng = Rng.fromSeed(0); // unused by greedy acting; act() wants one
  let step = env.reset(seed);
  for (let t = 0; t < episodeLimit; t++) {
    // policy rows are in priority order; the env wants agent order
    for (let p = 0; p < n; p++) {
      const agent = step.priority[p]!;
      obs.set(step.obs.subarray(agent * o, (agent + 1) * o), p * o);
      if (step.availActions) avail.set(step.availActions.subarray(agent * a, (agent + 1) * a), p * a);
    }
    state.set(step.state.length > 0 ? step.state : step.obs.subarray(0, n * o));
    const out = policy.act({ batch: 1, obs, state, avail: step.availActions ? avail : null }, true, rng);
    for (let p = 0; p < n; p++) {
      const agent = step.priority[p]!;
      for (let k = 0; k < w; k++) joint[agent * w + k] = out.actions[p * w + k]!;
    }
    actions.push(Array.from(joint));
    const transition = env.step(joint);
    for (let j = 0; j < n; j++) returns[j] = returns[j]! + transition.rewards[j]!;
    if (transition.episodeDone) break;
    step = transition;
  }
  return { env: env.spec.name, actions, returns };
}

/** The Table 1 game whose env is `envName` (canonical name), if any. */
export function table1GameFor(envName: string): Table1Game | undefined {
  return TABLE1_GAMES.find((game) => game.envName === envName);
}

/** §c.7: converged iff each agent's return equals the target. */
export function isConverged(returns: readonly number[], target: readonly number[] | null): boolean {
  if (target === null || target.length !== returns.length) return false;
  return returns.every((r, j) => Math.abs(r - target[j]!) <= RETURN_TOLERANCE);
}

/** Plays one greedy episode and judges it against the env's Table 1 target. */
export function evaluateGreedy(policy: MarlPolicy, env: MultiAgentEnv): Evaluation {
  const episode = playGreedyEpisode(policy, env);
  const game = table1GameFor(episode.env);
  const target = game ? [...game.targetReturn] : null;
  return { ...episode, target, converged: isConverged(episode.returns, target) };
}
