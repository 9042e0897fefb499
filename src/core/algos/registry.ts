/**
 * The algorithms the trainer can train, by name (a run's `algo`): how each builds its network
 * config from an env and a training config, its policy on a fresh network, and, where it is not
 * plain PPO over the joint sample, its own update. Gradient helper threads rebuild a policy from
 * its network config through the same registry.
 */
import type { MultiAgentEnv } from '../envs/types.js';
import type { TrainConfig } from './config.js';
import { HAPPO } from './happo/index.js';
import { MAPPO } from './mappo/index.js';
import type { MarlPolicy, NetworkConfig } from './marl.js';
import { MAT } from './mat/index.js';
import type { PpoUpdateContext } from './ppo/ppoUpdate.js';
import { SteerModel, type SteerModelConfig } from './steer/model.js';
import { SteerPolicy } from './steer/policy.js';
import { STEER_ABLATIONS } from './steer-ablations/index.js';
import { STEP } from './step/index.js';

/** One algorithm. */
export interface MarlAlgorithm {
  /** Its name in configs, checkpoints and the command line. */
  readonly name: string;
  /** One line for `--help` and docs. */
  readonly summary: string;
  /** The network config for `env` under training config `c`. */
  networkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): NetworkConfig;
  /** A policy on a new network initialised from `seed` (helper threads pass any seed: they load weights). */
  makePolicy(config: NetworkConfig, seed: number): MarlPolicy;
  /** Its update, when it is not plain PPO over the joint sample (ppoUpdate). */
  readonly update?: (u: PpoUpdateContext) => Record<string, number>;
  /**
   * How it takes `leaderAdvantageScale`, STEER Studio's timescale separation for STEER's leader
   * (docs/steer.md; the multi-step preset's 0.3, the reference has none), when its run's config is
   * resolved (algorithmConfig.ts):
   * - 'preset': the preset's value (STEER, and its ablations, which differ from it only in architecture);
   * - 'if-set': 1 unless the overrides give a value (`--set`), which ppoUpdate then applies to each
   *   joint sample's first agent like STEER's;
   * - 'never': its own update has no leader to scale; an override other than 1 is refused.
   */
  readonly leaderAdvantageScale: LeaderAdvantageScaleUse;
}

/** The values of MarlAlgorithm.leaderAdvantageScale. */
export type LeaderAdvantageScaleUse = 'preset' | 'if-set' | 'never';

/** The STEER network config for an env and a training config. */
export function steerNetworkConfig(env: Pick<MultiAgentEnv, 'spec'>, c: TrainConfig): SteerModelConfig {
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
  };
}

const STEER: MarlAlgorithm = {
  name: 'steer',
  summary:
    'Stackelberg Decision Transformer: inner block over the state, causal outer block over the leaders’ actions',
  networkConfig: steerNetworkConfig,
  makePolicy: (config, seed) => new SteerPolicy(new SteerModel(config as SteerModelConfig, seed)),
  leaderAdvantageScale: 'preset', // its own mechanism (docs/steer.md)
};

/** Every algorithm, by name. */
export const ALGORITHMS: Readonly<Record<string, MarlAlgorithm>> = Object.freeze({
  steer: STEER,
  mappo: MAPPO,
  mat: MAT,
  step: STEP,
  happo: HAPPO,
  ...STEER_ABLATIONS,
});

/** The names of the algorithms, in registry order. */
export const ALGORITHM_NAMES = Object.freeze(Object.keys(ALGORITHMS));

/** The algorithm called `name`; an unknown name lists the known ones. */
export function algorithmNamed(name: string): MarlAlgorithm {
  const algorithm = ALGORITHMS[name];
  if (algorithm === undefined) {
    throw new Error(`unknown algorithm "${name}"; the algorithms are ${ALGORITHM_NAMES.join(', ')}`);
  }
  return algorithm;
}
