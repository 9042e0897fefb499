/**
 * MAT, the Multi-Agent Transformer (Wen et al., NeurIPS 2022) as an algorithm of the registry
 * (src/core/algos/registry.ts). Plain PPO over the joint sample, as MAT's own trainer: no `update`
 * of its own. Import from here, not from the files. docs/algos/mat.md describes it.
 *
 * The object is typed structurally, not as the registry's `MarlAlgorithm`: importing that type would
 * tie this folder and the registry into an import cycle; the registry's ALGORITHMS entry checks it.
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { NetworkConfig } from '../marl.js';
import { MatModel, type MatModelConfig } from './model.js';
import { MatPolicy } from './policy.js';

export { MatModel, type MatModelConfig } from './model.js';
export { MatPolicy } from './policy.js';

/**
 * The MAT network config for an env and a training config. Knobs read: embedDim (D, `n_embd`),
 * numHeads (H, `n_head`), numBlocks (L, `n_block`: blocks in the encoder and in the decoder each).
 * Not read: useStateToken (MAT has no state token and reads no state) and actionEncoderGain (a
 * STEER setting; MAT's action encoder keeps the reference gain √2 and is layer-normed right after).
 */
export function matNetworkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): MatModelConfig {
  const s = env.spec;
  return {
    network: 'mat',
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    // the rollout buffer stores a state of this length; the MAT policy never reads it
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numHeads: c.numHeads,
    numBlocks: c.numBlocks,
  };
}

/** The registry entry (name, summary, network config, policy); plain PPO, so no `update`. */
export const MAT = {
  name: 'mat',
  summary:
    'Multi-Agent Transformer: encoder over all observations gives the values, causal decoder generates actions in turn',
  networkConfig: matNetworkConfig,
  makePolicy: (config: NetworkConfig, seed: number): MatPolicy =>
    new MatPolicy(new MatModel(config as MatModelConfig, seed)),
  // STEER Studio's timescale separation for STEER, no part of MAT: the preset's value is not taken
  leaderAdvantageScale: 'if-set',
} as const;
