/**
 * HAPPO's two losses and their gradients, one parameter group at a time (Kuba et al., ICLR 2022,
 * the HAPPO objective; HARL harl/algorithms/actors/happo.py › HAPPO.update and
 * harl/algorithms/critics/v_critic.py › VCritic.cal_value_loss):
 *
 * - actor m: −Σ_rows factor · min(r·A, clip(r, 1 ± ε)·A) / rows − entropyCoef · entropy, where
 *   r = π_m(a_m|o_m) / π_m,old(a_m|o_m) is the product over action dimensions (HARL's
 *   action_aggregation 'prod'), the entropy of a row is the sum over its action dimensions (HARL's
 *   FixedNormal.entropy, harl/models/base/distributions.py), and `factor` is the product of the
 *   new/old ratios of the agents updated before m in this update (a constant here: no gradient
 *   flows into it). The factor is positive, so factor·min(r·A, clip(r)·A) = min(r·M, clip(r)·M)
 *   with the paper's M = factor·A.
 * - critic: the PPO value loss of docs/spec/steer.md §b.7 (Huber or squared error, optionally
 *   clipped around the rollout's values) over every agent's value, times valueLossCoef.
 *
 * Divisors follow gradientShards.ts (`lossDenominators`): the masked sum of active rows, or the row
 * count, so the numbers read like the PPO update's.
 */
import * as tf from '../../nn/tf.js';
import { flattenTensors, lossDenominators, type ShardLossConfig } from '../ppo/gradientShards.js';
import { huberLoss, mseLoss } from '../ppo/losses.js';
import type { HappoPolicy } from './policy.js';

/** Rows of one agent for its actor's loss, env agent order (the agent's own rows only). */
export interface AgentBatch {
  /** Joint samples B. */
  rows: number;
  /** [B, O] the agent's observations. */
  obs: Float32Array;
  /** [B, width] its actions: indices (discrete) or raw vectors. */
  actions: Float32Array;
  /** [B, A] 1 = available, or null for all available. */
  avail: Uint8Array | null;
  /** [B, width] the rollout's log-probabilities of those actions. */
  oldLogProbs: Float32Array;
  /** [B] its normalised advantages. */
  advantages: Float32Array;
  /** [B] the product of the new/old ratios of the agents updated before it (1 for the first). */
  factor: Float32Array;
  /** [B] its active mask. */
  active: Float32Array;
}

/** Rows for the critic's loss, every agent's value (env agent order). */
export interface CriticBatch {
  rows: number;
  /** [B, S] */
  state: Float32Array;
  /** [B, n] the rollout's values (normalised space with a value normaliser). */
  oldValues: Float32Array;
  /** [B, n] value targets, normalised space when the value normaliser is on. */
  targets: Float32Array;
  /** [B, n] active masks. */
  active: Float32Array;
}

/** Order of an actor step's statistics. */
export const ACTOR_STAT_KEYS = ['policy', 'entropy', 'approxKl', 'clipFraction'] as const;

/** A group's gradient, flat in the group's parameter order, and the step's statistics. */
export interface GroupGradient {
  grads: Float32Array;
  stats: Float32Array;
}

/**
 * The gradient of agent `agent`'s actor loss with respect to its own actor's parameters only, and
 * the statistics [ACTOR_STAT_KEYS] (approxKl and clipFraction on the aggregated ratio per row).
 */
export function actorGradient(
  policy: HappoPolicy,
  agent: number,
  batch: AgentBatch,
  c: ShardLossConfig,
): GroupGradient {
  const params = policy.model.actorParams(agent);
  const { obsDim: o } = policy.model.config;
  const a = policy.model.actionDim;
  const w = policy.actionWidth;
  const b = batch.rows;
  // one ratio and one entropy per row (HappoPolicy.continuousRatio 'perRow'): the divisors count rows
  const d = lossDenominators(batch.active, b, 1, 1, c);
  let result: GroupGradient | null = null;
  tf.tidy(() => {
    const obs = tf.tensor(batch.obs, [b, o]);
    const actions = w === 1 ? tf.tensor(batch.actions, [b], 'int32') : tf.tensor(batch.actions, [b, w]);
    const avail = batch.avail ? tf.cast(tf.tensor(batch.avail, [b, a], 'int32'), 'bool') : null;
    const oldLogp = tf.tensor(batch.oldLogProbs, [b, w]);
    const adv = tf.tensor(batch.advantages, [b]);
    const factor = tf.tensor(batch.factor, [b]);
    const active = tf.tensor(batch.active, [b]);
    let kept: tf.Tensor | null = null;
    const { grads } = tf.variableGrads(() => {
      const out = policy.agentEvaluate(agent, obs, actions, avail);
      // one ratio per row: the product over action dimensions (HARL action_aggregation 'prod')
      const logRatio = tf.sum(tf.sub(out.logProbs, oldLogp), 1); // [B]
      const ratio = tf.exp(logRatio);
      const surr1 = tf.mul(ratio, adv);
      const surr2 = tf.mul(tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip), adv);
      const perRow = tf.mul(factor, tf.minimum(surr1, surr2)); // [B]
      const policyLoss = tf.neg(
        tf.div(tf.sum(c.usePolicyActiveMasks ? tf.mul(perRow, active) : perRow), d.policy),
      );
      const rowEntropy = w === 1 ? out.entropy : tf.sum(out.entropy, 1, true); // [B, 1]
      const entropy = tf.div(
        tf.sum(c.usePolicyActiveMasks ? tf.mul(rowEntropy, tf.expandDims(active, 1)) : rowEntropy),
        d.entropy,
      );
      const approxKl = tf.div(tf.sum(tf.sub(tf.sub(ratio, 1), logRatio)), b); // k3 estimator
      const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clip), 'float32'));
      kept = tf.keep(tf.stack([policyLoss, entropy, approxKl, clipFraction]));
      return tf.sub(policyLoss, tf.mul(entropy, c.entropyCoef)) as tf.Scalar;
    }, params);
    result = {
      grads: flattenTensors(params.map((p) => grads[p.name]!)),
      stats: kept!.dataSync() as Float32Array,
    };
    kept!.dispose(); // kept past variableGrads' own scope
  });
  return result!;
}

/** The gradient of the critic's value loss (× valueLossCoef) with respect to the critic only; stats [value]. */
export function criticGradient(policy: HappoPolicy, batch: CriticBatch, c: ShardLossConfig): GroupGradient {
  const params = policy.model.criticParams();
  const { numAgents: n, stateDim } = policy.model.config;
  const b = batch.rows;
  const d = lossDenominators(batch.active, b, n, 1, c);
  let result: GroupGradient | null = null;
  tf.tidy(() => {
    const state = tf.tensor(batch.state, [b, stateDim]);
    const oldValues = tf.tensor(batch.oldValues, [b, n]);
    const target = tf.tensor(batch.targets, [b, n]);
    const active = tf.tensor(batch.active, [b, n]);
    let kept: tf.Tensor | null = null;
    const { grads } = tf.variableGrads(() => {
      const values = policy.model.critic(state); // [B, n]
      const loss = (e: tf.Tensor) =>
        c.valueLoss === 'huber' ? huberLoss(e, c.huberDelta, !c.quirkAsymmetricHuber) : mseLoss(e);
      let perValue = loss(tf.sub(target, values));
      if (c.useClippedValueLoss) {
        const clipped = tf.add(oldValues, tf.clipByValue(tf.sub(values, oldValues), -c.clip, c.clip));
        perValue = tf.maximum(perValue, loss(tf.sub(target, clipped)));
      }
      const valueLoss = tf.div(tf.sum(c.useValueActiveMasks ? tf.mul(perValue, active) : perValue), d.value);
      kept = tf.keep(tf.reshape(valueLoss, [1]));
      return tf.mul(valueLoss, c.valueLossCoef) as tf.Scalar;
    }, params);
    result = {
      grads: flattenTensors(params.map((p) => grads[p.name]!)),
      stats: kept!.dataSync() as Float32Array,
    };
    kept!.dispose();
  });
  return result!;
}
