/**
 * STEP (Zhang, Li, Xu, Li, Fan, IJCAI 2023, arXiv 2304.10351; docs/algos/step.md) as an algorithm of
 * the one PPO trainer: an N-level policy generated per level by one conditional hypernetwork shared
 * by all agents, conditioned on the level and the superiors' actions; a critic per level on the
 * state and the superiors' actions; plain PPO over the joint sample (ppoUpdate, so no `update`
 * here: with every parameter shared, the paper's asymmetry lies in what each level conditions on,
 * not in separate updates). Import from here, not from the files.
 *
 * Typed structurally against `MarlAlgorithm` where the registry lists it: importing that type from
 * the registry here would make an import cycle (the registry imports this file).
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { MarlPolicy, NetworkConfig } from '../marl.js';
import { STEP_HYPER_DIM, StepModel, type StepModelConfig } from './model.js';
import { StepPolicy } from './policy.js';

export { STEP_HYPER_DIM, StepModel, type StepModelConfig } from './model.js';
export { StepPolicy } from './policy.js';

/**
 * The STEP network config for `env` under training config `c`. Knobs read: embedDim (width of the
 * encoder, the hypernetwork, the generated MLP and the critic), numBlocks (hidden layers of each
 * generated MLP). Not read: numHeads (no attention), useStateToken (every level reads the global
 * state, docs/spec/steer.md §d), actionEncoderGain (no action encoder: actions enter as one-hot conditions).
 */
export function stepNetworkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): StepModelConfig {
  const s = env.spec;
  return {
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    // no env state: the concatenated observations, as the rollout buffer stores them (§b.1)
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numLayers: c.numBlocks,
    hyperDim: STEP_HYPER_DIM,
  };
}

/** The STEP entry of the algorithm registry. */
export const STEP = {
  name: 'step',
  summary:
    'STEP: one conditional hypernetwork generates each level’s policy MLP from the leaders’ actions; critic per level',
  networkConfig: stepNetworkConfig,
  makePolicy: (config: NetworkConfig, seed: number): MarlPolicy =>
    new StepPolicy(new StepModel(config as StepModelConfig, seed)),
  // STEER Studio's timescale separation for STEER, no part of STEP: the preset's value is not taken
  leaderAdvantageScale: 'if-set',
} as const;
