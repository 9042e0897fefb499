/**
 * MAPPO (Yu et al. 2022; docs/algos/mappo.md) as an algorithm of the one PPO trainer: a shared actor
 * over each agent's own observation, a centralised critic on the global state, plain PPO over the
 * joint sample (ppoUpdate, so no `update` here). Import from here, not from the files.
 *
 * Typed structurally against `MarlAlgorithm` where the registry lists it: importing that type from
 * the registry here would make an import cycle (the registry imports this file).
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { MarlPolicy, NetworkConfig } from '../marl.js';
import { MappoNetwork, type MappoNetworkConfig } from './network.js';
import { MappoPolicy } from './policy.js';

export { MappoNetwork, type MappoNetworkConfig } from './network.js';
export { MappoPolicy } from './policy.js';

/**
 * The MAPPO network config for `env` under training config `c`. Knobs read: embedDim (hidden width
 * H of actor and critic, on-policy hidden_size), numBlocks (hidden-to-hidden layers, on-policy
 * layer_N), useStateToken (the critic reads every agent's observation instead of the env's state,
 * on-policy use_obs_instead_of_state). Not read: numHeads (no attention), actionEncoderGain (no
 * action encoder).
 */
export function mappoNetworkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): MappoNetworkConfig {
  const s = env.spec;
  return {
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    // no env state: the concatenated observations, as the rollout buffer stores them (§b.1)
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numBlocks: c.numBlocks,
    // agent ids on (on-policy: --add_agent_id, an option): without them two agents with equal
    // observations (every matrix game) play the same distribution (docs/spec/steer.md §d), and
    // Penalty's optimum (0, 2) is out of the greedy policy's reach
    agentIdInput: true,
    // STEER's state token means the env's state (share_obs) is never read (§b.1); MAPPO's critic
    // then takes its centralised view from all the observations, which the policy always receives
    criticInput: c.useStateToken ? 'observations' : 'state',
  };
}

/** The MAPPO entry of the algorithm registry. */
export const MAPPO = {
  name: 'mappo',
  summary:
    'MAPPO: one actor shared by all agents acting at once on their own observations, centralised critic V(s)',
  networkConfig: mappoNetworkConfig,
  makePolicy: (config: NetworkConfig, seed: number): MarlPolicy =>
    new MappoPolicy(new MappoNetwork(config as MappoNetworkConfig, seed)),
  // no leader: the preset's scale would only shrink the shared actor's gradient from agent 0's rows
  leaderAdvantageScale: 'if-set',
} as const;
