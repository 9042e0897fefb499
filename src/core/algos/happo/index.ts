/**
 * HAPPO (Kuba et al., "Trust Region Policy Optimisation in Multi-Agent Reinforcement Learning",
 * ICLR 2022) as an algorithm of the trainer: its network config, its policy and its sequential
 * update (docs/algos/happo.md). Import from here, not from the files.
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { MarlPolicy, NetworkConfig } from '../marl.js';
import type { PpoUpdateContext } from '../ppo/ppoUpdate.js';
import { HappoNetwork, type HappoNetworkConfig } from './network.js';
import { HappoPolicy } from './policy.js';
import { happoUpdate } from './update.js';

export { HappoNetwork, type HappoNetworkConfig } from './network.js';
export { HappoPolicy, type HappoPolicyInput } from './policy.js';
export { type HappoProbe, happoUpdate, runHappoUpdate } from './update.js';

/**
 * The HAPPO network config for an env and a training config: embedDim is every hidden layer's width
 * and each MLP (actors and critic alike) has 1 + numBlocks hidden layers, as MAPPO's; numHeads,
 * useStateToken and actionEncoderGain mean nothing to an MLP and are not read.
 */
export function happoNetworkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): HappoNetworkConfig {
  const s = env.spec;
  return {
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    // no global state: all observations concatenated, as the rollout buffer stores it (§b.1)
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numBlocks: c.numBlocks,
  };
}

/** The registry's entry (a MarlAlgorithm; typed by its members so this folder does not import the registry). */
export const HAPPO = {
  name: 'happo',
  summary:
    'HAPPO: one MLP actor per agent and a centralised critic V(s); each update visits the agents in a random order, ' +
    'each agent on the advantage weighted by the ratios of the agents updated before it',
  networkConfig: happoNetworkConfig as (env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig) => NetworkConfig,
  makePolicy: (config: NetworkConfig, seed: number): MarlPolicy =>
    new HappoPolicy(new HappoNetwork(config as HappoNetworkConfig, seed)),
  update: happoUpdate as (u: PpoUpdateContext) => Record<string, number>,
  // its sequential update has no leader and no shared advantage path to scale: a value ≠ 1 is refused
  leaderAdvantageScale: 'never',
} as const;
