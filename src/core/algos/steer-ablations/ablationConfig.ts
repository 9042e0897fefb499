/**
 * The network config of the STEER ablations (paper §6.3; docs/spec/steer.md §a.10–a.11): STEER's
 * own config plus the name of the part replaced or dropped, so a checkpoint of one variant is
 * refused by another (and by STEER) with the field named.
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { SteerModelConfig } from '../steer/model.js';

/** The four ablations of paper §6.3, in the paper's order. */
export const STEER_ABLATION_KINDS = ['itb-mlp', 'otb-gru', 'itb-only', 'otb-only'] as const;

/**
 * - `itb-mlp`: every ITB block is a per-token residual MLP (no attention across tokens);
 * - `otb-gru`: the OTB is the reference's 2-layer GRU over [s0, actions] (§a.10);
 * - `itb-only`: no OTB, the heads read the ITB's r_j (no agent sees a leader's action);
 * - `otb-only`: no ITB, the tokens are the encoders' outputs as they are.
 */
export type SteerAblation = (typeof STEER_ABLATION_KINDS)[number];

/** STEER's network config with the ablation it builds. */
export interface SteerAblationConfig extends SteerModelConfig {
  /** The part of STEER replaced or dropped (paper §6.3). */
  ablation: SteerAblation;
}

/**
 * The network config of `ablation` for `env` under training config `c`: the same fields as STEER's
 * (the registry's steerNetworkConfig, rebuilt here because importing the registry would be an
 * import cycle). Knobs read: embedDim (D, every width), numHeads (attention heads of the blocks that
 * remain), numBlocks (ITB blocks, ITB MLPs and OTB blocks; not the GRU's 2 layers), useStateToken,
 * actionEncoderGain (unused by `itb-only`, which has no action encoder).
 */
export function ablationNetworkConfig(
  ablation: SteerAblation,
  env: Pick<MultiAgentEnv, 'spec'>,
  c: TrainConfig,
): SteerAblationConfig {
  const s = env.spec;
  return {
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numHeads: c.numHeads,
    numBlocks: c.numBlocks,
    useStateToken: c.useStateToken,
    actionEncoderGain: c.actionEncoderGain,
    ablation,
  };
}
