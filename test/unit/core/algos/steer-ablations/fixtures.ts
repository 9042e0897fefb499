/** Shared helpers for the STEER ablation tests (not a test file itself). */

import { SteerModel, type SteerModelConfig } from '../../../../../src/core/algos/steer/model.js';
import {
  makeAblationModel,
  type SteerAblation,
  type SteerAblationConfig,
} from '../../../../../src/core/algos/steer-ablations/index.js';
import * as tf from '../../../../../src/core/nn/tf.js';

export { agentSlice, gaussian, maxAbsDiff, oneHotRows, randomizeWeights } from '../steer/fixtures.js';

/** The config of steer/fixtures.ts's smallModel: 4 agents, O = 5, S = 7, 3 actions, D = 16, 2 heads. */
export const SMALL: SteerModelConfig = {
  numAgents: 4,
  obsDim: 5,
  stateDim: 7,
  actionSpace: { kind: 'discrete', n: 3 },
  embedDim: 16,
  numHeads: 2,
  numBlocks: 1,
  useStateToken: true,
};

/** A small network of `ablation` (the SMALL config with `overrides`). */
export function smallAblation(
  ablation: SteerAblation,
  overrides: Partial<SteerModelConfig> = {},
  seed = 1,
): SteerModel {
  const config: SteerAblationConfig = { ...SMALL, ...overrides, ablation };
  return makeAblationModel(config, seed);
}

/** Full STEER on the same config, as the control that a probe can see what the ablation removed. */
export function smallSteer(overrides: Partial<SteerModelConfig> = {}, seed = 1): SteerModel {
  return new SteerModel({ ...SMALL, ...overrides }, seed);
}

/** Parameter names of a model, in registration order. */
export function paramNames(model: SteerModel): string[] {
  return model.params.entries().map(([name]) => name);
}

/** What one full forward pass gives for agents 0..n−1. */
export interface Forward {
  /** encode's tokens [B, n+1, D]: s0 first, then r_0..r_{n−1}. */
  encoded: Float32Array;
  /** Logits or Gaussian means [B, n, A]. */
  actor: Float32Array;
  /** Values [B, n]. */
  values: Float32Array;
}

/**
 * encode + decode of all n agents: obs [B, n, O], state [B, S] or null, leaders [B, n−1, A] (one-hot
 * rows for discrete actions, raw vectors for continuous ones).
 */
export function forward(
  model: SteerModel,
  b: number,
  obs: Float32Array,
  leaders: Float32Array,
  state: Float32Array | null = null,
): Forward {
  const { numAgents: n, obsDim: o, stateDim: s } = model.config;
  const a = model.actionDim;
  return tf.tidy(() => {
    const encoded = model.encode(tf.tensor(obs, [b, n, o]), state ? tf.tensor(state, [b, s]) : null);
    const heads = model.decode(encoded, n > 1 ? tf.tensor(leaders, [b, n - 1, a]) : null, n);
    return {
      encoded: encoded.dataSync() as Float32Array,
      actor: heads.actor.dataSync() as Float32Array,
      values: heads.values.dataSync() as Float32Array,
    };
  });
}

/** Token `token` of row `row` of encode's output [B, n+1, D]. */
export function token(
  encoded: Float32Array,
  row: number,
  tokenIndex: number,
  n: number,
  d: number,
): number[] {
  const start = (row * (n + 1) + tokenIndex) * d;
  return Array.from(encoded.subarray(start, start + d));
}

/** Agent j's logits and value in row `row`, one array (what "agent j's output" means in the tests). */
export function agentOutput(f: Forward, row: number, agent: number, n: number, a: number): number[] {
  const start = (row * n + agent) * a;
  return [...Array.from(f.actor.subarray(start, start + a)), f.values[row * n + agent]!];
}
