/**
 * Greedy evaluation over several seeded episodes, for envs whose episodes differ from seed to seed
 * and are long (MA-MuJoCo: docs/envs/mujoco.md "Training"; the reference evaluates every 25 updates
 * with 5 deterministic episodes and logs their mean and max return). Episode i starts from
 * `reset(seed + i)`, so the same policy always gets the same figures, however many are played side
 * by side.
 */
import type { MarlPolicy } from '../../core/algos/marl.js';
import type { EnvStep, MultiAgentEnv } from '../../core/envs/types.js';
import { Rng } from '../../core/rng.js';

/** Which episodes an evaluation plays. */
export interface EpisodesSettings {
  readonly episodes: number;
  /** Env seed of the first episode; the others follow it. */
  readonly seed: number;
}

/** The figures of one evaluation. */
export interface EpisodesEvaluation {
  readonly env: string;
  readonly episodes: number;
  readonly seed: number;
  /** Undiscounted return of each episode, averaged over the agents (their rewards are shared in MuJoCo). */
  readonly returns: number[];
  readonly meanReturn: number;
  readonly maxReturn: number;
  readonly minReturn: number;
  /** Mean over the episodes of each agent's return. */
  readonly meanReturnPerAgent: number[];
  /** Mean steps per episode. */
  readonly meanLength: number;
}

/** Episodes played side by side: one policy call acts for all of them. */
export const EPISODES_WAVE = 8;

/**
 * Plays `settings.episodes` greedy episodes with `policy` on `envs` (one per episode of a wave: at
 * most EPISODES_WAVE are used), in waves of episodes played side by side: one policy call per step
 * acts for every live episode of the wave, which costs little more than acting for one.
 */
export function evaluateEpisodes(
  policy: MarlPolicy,
  envs: readonly MultiAgentEnv[],
  settings: EpisodesSettings,
): EpisodesEvaluation {
  const { numAgents: n, name } = envs[0]!.spec;
  const wave = Math.max(1, Math.min(envs.length, EPISODES_WAVE, settings.episodes));
  const returns: number[] = [];
  const perAgent = new Array<number>(n).fill(0);
  let steps = 0;
  for (let start = 0; start < settings.episodes; start += wave) {
    const seeds = Array.from(
      { length: Math.min(wave, settings.episodes - start) },
      (_, i) => settings.seed + start + i,
    );
    for (const episode of playGreedyWave(policy, envs.slice(0, seeds.length), seeds)) {
      returns.push(episode.returns.reduce((sum, r) => sum + r, 0) / n);
      episode.returns.forEach((r, j) => {
        perAgent[j] = perAgent[j]! + r / settings.episodes;
      });
      steps += episode.length;
    }
  }
  return {
    env: name,
    episodes: settings.episodes,
    seed: settings.seed,
    returns,
    meanReturn: returns.reduce((sum, r) => sum + r, 0) / returns.length,
    maxReturn: Math.max(...returns),
    minReturn: Math.min(...returns),
    meanReturnPerAgent: perAgent,
    meanLength: steps / settings.episodes,
  };
}

/** One greedy episode's returns per agent and length. */
interface WaveEpisode {
  readonly returns: Float64Array;
  length: number;
  done: boolean;
  step: EnvStep;
}

/**
 * Plays one greedy episode per env, env b from `reset(seeds[b])`, side by side: each step the live
 * episodes' observations go to the policy as one batch, in each env's priority order, and its
 * actions back to agent order, as the trainer does. An episode ends at `episodeDone` or the limit.
 */
export function playGreedyWave(
  policy: MarlPolicy,
  envs: readonly MultiAgentEnv[],
  seeds: readonly number[],
): { returns: number[]; length: number }[] {
  const { numAgents: n, obsDim: o, actionSpace, episodeLimit } = envs[0]!.spec;
  const a = actionSpace.kind === 'discrete' ? actionSpace.n : 0; // available-action mask width
  const w = actionSpace.kind === 'discrete' ? 1 : actionSpace.dim; // values per agent's action
  const stateDim = policy.model.config.stateDim;
  const batch = seeds.length;
  const obs = new Float32Array(batch * n * o);
  const state = new Float32Array(batch * stateDim);
  const avail = new Uint8Array(batch * n * a);
  const joint = new Float64Array(n * w);
  const rng = Rng.fromSeed(0); // unused by greedy acting; act() wants one
  const episodes: WaveEpisode[] = seeds.map((seed, b) => ({
    returns: new Float64Array(n),
    length: 0,
    done: false,
    step: envs[b]!.reset(seed),
  }));
  for (let t = 0; t < episodeLimit; t++) {
    const live = episodes.flatMap((episode, b) => (episode.done ? [] : [b]));
    if (live.length === 0) break;
    let masked = false;
    live.forEach((b, row) => {
      const { step } = episodes[b]!;
      for (let p = 0; p < n; p++) {
        const agent = step.priority[p]!;
        obs.set(step.obs.subarray(agent * o, (agent + 1) * o), (row * n + p) * o);
        if (step.availActions === null) continue;
        masked = true;
        avail.set(step.availActions.subarray(agent * a, (agent + 1) * a), (row * n + p) * a);
      }
      state.set(step.state.length > 0 ? step.state : step.obs.subarray(0, n * o), row * stateDim);
    });
    const rows = live.length;
    const out = policy.act(
      {
        batch: rows,
        obs: obs.subarray(0, rows * n * o),
        state: state.subarray(0, rows * stateDim),
        avail: masked ? avail.subarray(0, rows * n * a) : null,
      },
      true,
      rng,
    );
    live.forEach((b, row) => {
      const episode = episodes[b]!;
      for (let p = 0; p < n; p++) {
        const agent = episode.step.priority[p]!;
        for (let k = 0; k < w; k++) joint[agent * w + k] = out.actions[(row * n + p) * w + k]!;
      }
      const transition = envs[b]!.step(joint);
      for (let j = 0; j < n; j++) episode.returns[j] = episode.returns[j]! + transition.rewards[j]!;
      episode.length += 1;
      episode.done = transition.episodeDone;
      episode.step = transition;
    });
  }
  return episodes.map((episode) => ({ returns: Array.from(episode.returns), length: episode.length }));
}

/** The metrics line fields of an evaluation: eval/meanReturn, eval/maxReturn, eval/minReturn, eval/return/agent<j>, eval/episodeLength, eval/episodes. */
export function episodesMetrics(e: EpisodesEvaluation): Record<string, number> {
  const record: Record<string, number> = {
    'eval/meanReturn': e.meanReturn,
    'eval/maxReturn': e.maxReturn,
    'eval/minReturn': e.minReturn,
    'eval/episodeLength': e.meanLength,
    'eval/episodes': e.episodes,
  };
  e.meanReturnPerAgent.forEach((r, j) => {
    record[`eval/return/agent${j}`] = r;
  });
  return record;
}
