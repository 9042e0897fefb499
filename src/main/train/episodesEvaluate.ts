/**
 * Greedy evaluation over several seeded episodes, for envs whose episodes differ from seed to seed
 * and are long (MA-MuJoCo: docs/envs/mujoco.md "Training"; the reference evaluates every 25 updates
 * with 5 deterministic episodes and logs their mean and max return). Each episode starts from
 * `reset(seed + i)`, so the same policy always gets the same figures.
 */
import type { MarlPolicy } from '../../core/algos/marl.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import { playGreedyEpisode } from './evaluate.js';

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

/** Plays `settings.episodes` greedy episodes of `env` with `policy`. */
export function evaluateEpisodes(
  policy: MarlPolicy,
  env: MultiAgentEnv,
  settings: EpisodesSettings,
): EpisodesEvaluation {
  const n = env.spec.numAgents;
  const returns: number[] = [];
  const perAgent = new Array<number>(n).fill(0);
  let steps = 0;
  for (let i = 0; i < settings.episodes; i++) {
    const episode = playGreedyEpisode(policy, env, settings.seed + i);
    returns.push(episode.returns.reduce((sum, r) => sum + r, 0) / n);
    episode.returns.forEach((r, j) => {
      perAgent[j] = perAgent[j]! + r / settings.episodes;
    });
    steps += episode.actions.length;
  }
  return {
    env: env.spec.name,
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
