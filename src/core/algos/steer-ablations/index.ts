/**
 * The ablations of STEER in paper §6.3 (docs/spec/steer.md §a.10–a.11; docs/algos/steer-ablations.md),
 * each its own algorithm of the one PPO trainer: STEER's model with one part replaced or dropped
 * (a subclass of SteerModel overriding its ITB or OTB hooks), STEER's policy, plain PPO over the
 * joint sample (no `update`). Import from here, not from the files.
 *
 * Typed structurally against `MarlAlgorithm` where the registry lists them: importing that type
 * from the registry here would make an import cycle (the registry imports this file).
 */
import type { MultiAgentEnv } from '../../envs/types.js';
import type { TrainConfig } from '../config.js';
import type { MarlPolicy, NetworkConfig } from '../marl.js';
import type { SteerModel } from '../steer/model.js';
import { SteerPolicy } from '../steer/policy.js';
import { ablationNetworkConfig, type SteerAblation, type SteerAblationConfig } from './ablationConfig.js';
import { ItbMlpModel } from './itbMlpModel.js';
import { ItbOnlyModel } from './itbOnlyModel.js';
import { OtbGruModel } from './otbGruModel.js';
import { OtbOnlyModel } from './otbOnlyModel.js';

export {
  ablationNetworkConfig,
  STEER_ABLATION_KINDS,
  type SteerAblation,
  type SteerAblationConfig,
} from './ablationConfig.js';
export { addGruLayer, GRU_GATES, gruLayer } from './gru.js';
export { ItbMlpModel } from './itbMlpModel.js';
export { ItbOnlyModel } from './itbOnlyModel.js';
export { GRU_LAYERS, OtbGruModel } from './otbGruModel.js';
export { OtbOnlyModel } from './otbOnlyModel.js';

/** The model class of each ablation. */
const MODELS: Readonly<Record<SteerAblation, new (config: SteerAblationConfig, seed: number) => SteerModel>> =
  {
    'itb-mlp': ItbMlpModel,
    'otb-gru': OtbGruModel,
    'itb-only': ItbOnlyModel,
    'otb-only': OtbOnlyModel,
  };

/** A new network of `config.ablation`, initialised from `seed`. */
export function makeAblationModel(config: SteerAblationConfig, seed: number): SteerModel {
  return new MODELS[config.ablation](config, seed);
}

/** STEER's policy over an ablation's network. */
export function makeAblationPolicy(config: SteerAblationConfig, seed: number): SteerPolicy {
  const policy = new SteerPolicy(makeAblationModel(config, seed));
  // without an OTB no agent reads a leader's action: acting in turn runs each agent's heads once
  // (ItbOnlyModel.decodeLast), where enumerating leader actions would repeat the same pass
  if (config.ablation === 'itb-only') policy.maxEnumeratedCombos = 0;
  return policy;
}

/** One ablation as a registry entry (the shape of registry.ts's MarlAlgorithm). */
function ablation(kind: SteerAblation, summary: string) {
  return {
    name: `steer-${kind}`,
    summary,
    networkConfig: (env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): SteerAblationConfig =>
      ablationNetworkConfig(kind, env, c),
    makePolicy: (config: NetworkConfig, seed: number): MarlPolicy => {
      const c = config as SteerAblationConfig;
      if (c.ablation !== kind) {
        throw new Error(`steer-${kind}: network config is for the ablation "${String(c.ablation)}"`);
      }
      return makeAblationPolicy(c, seed);
    },
    // STEER's training in full: an ablation differs from STEER only in its architecture
    leaderAdvantageScale: 'preset' as const,
  };
}

/** The four ablations of paper §6.3, by algorithm name, for the registry. */
export const STEER_ABLATIONS = Object.freeze({
  'steer-itb-mlp': ablation(
    'itb-mlp',
    'STEER ablation: inner block replaced by a per-token MLP (no attention across agents)',
  ),
  'steer-otb-gru': ablation(
    'otb-gru',
    'STEER ablation: causal outer block replaced by a 2-layer GRU over the leaders’ actions',
  ),
  'steer-itb-only': ablation('itb-only', 'STEER ablation: inner block only; no agent sees a leader’s action'),
  'steer-otb-only': ablation(
    'otb-only',
    'STEER ablation: outer block only; observations embedded without the inner block',
  ),
});
