/**
 * One PPO update of STEER on a collected rollout (docs/spec/steer.md §b.3–b.8). Reads top to bottom:
 * advantages (GAE, normalisation, the leader's scale) → value normaliser → minibatch loop (gather,
 * value targets, the minibatch's gradient in shards, clip and Adam) → each loss stat's mean over
 * the minibatches. The losses themselves are in gradientShards.ts (`shardGradients`).
 */
import type { Adam } from '../../nn/adam.js';
import type { Rng } from '../../rng.js';
import type { TrainConfig } from '../config.js';
import type { MarlPolicy } from '../marl.js';
import { normalizeAdvantages, scaleLeaderAdvantages } from './advantages.js';
import { computeGae } from './gae.js';
import {
  type GradientWorkers,
  lossDenominators,
  minibatchGradient,
  ratioWidth,
  SHARD_STAT_KEYS,
  type ShardBatch,
} from './gradientShards.js';
import type { RolloutBuffer } from './rolloutBuffer.js';
import type { ValueNorm } from './valueNorm.js';

/** What one update reads and changes; the trainer's own objects. */
export interface PpoUpdateContext {
  config: TrainConfig;
  /** The rollout just collected, its bootstrap values included. */
  buffer: RolloutBuffer;
  policy: MarlPolicy;
  optimizer: Adam;
  valueNorm: ValueNorm;
  /** Draws each epoch's order of the joint samples. */
  rng: Rng;
  /** Helper threads for gradient shards, or null: every shard is computed on this thread. */
  workers: GradientWorkers | null;
  /** Fewest joint samples in a gradient shard (MIN_SHARD_ROWS unless a test lowers it). */
  minShardRows: number;
}

/** Metric keys of the shard stats, in SHARD_STAT_KEYS order (the gradient norm's follows them). */
const STAT_KEYS = SHARD_STAT_KEYS.map((k) => `loss/${k}`);

/** Runs one PPO update; returns each loss stat's mean over the update's minibatches (`loss/…`). */
export function ppoUpdate(u: PpoUpdateContext): Record<string, number> {
  const c = u.config;
  // --- advantages (§b.3–b.5); the value normaliser sees the returns once (per minibatch: §e.7) ---
  const { advantages, returns } = advantagesAndReturns(u);
  if (c.useValueNorm && !c.quirkValueNormPerMinibatch) u.valueNorm.update(returns);

  // --- minibatch loop: joint samples stay whole (§b.6) ---
  const samples = c.episodeLength * c.numEnvs;
  const chunk = Math.floor(samples / c.numMinibatches);
  if (chunk < 1) throw new Error(`numMinibatches ${c.numMinibatches} exceeds the ${samples} joint samples`);
  const totals: Record<string, number> = {};
  let batches = 0;
  for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
    const perm = u.rng.permutation(samples);
    for (let m = 0; m < c.numMinibatches; m++) {
      const idx = perm.subarray(m * chunk, (m + 1) * chunk);
      const { stats, gradNorm } = minibatchStep(u, idx, advantages, returns);
      STAT_KEYS.forEach((key, k) => {
        totals[key] = (totals[key] ?? 0) + stats[k]!;
      });
      // rounded to float32 like the shard stats (the gradient norm's metric always was)
      totals['loss/gradNorm'] = (totals['loss/gradNorm'] ?? 0) + Math.fround(gradNorm);
      batches += 1;
    }
  }

  // --- metrics: each stat's mean over the minibatches ---
  for (const k of Object.keys(totals)) totals[k] = totals[k]! / batches;
  return totals;
}

/**
 * Advantages: GAE per agent on private rewards, values denormalised (§b.3); normalised over the
 * active entries (§b.5), then the leader's scaled. Returns are the value targets (raw scale).
 */
function advantagesAndReturns(u: PpoUpdateContext): { advantages: Float32Array; returns: Float32Array } {
  const c = u.config;
  const { steps, envs, agents } = u.buffer.shape;
  const values = u.buffer.values;
  const rawValues = new Float32Array(values.length);
  for (let i = 0; i < rawValues.length; i++) {
    rawValues[i] = c.useValueNorm ? u.valueNorm.denormalize(values[i]!) : values[i]!;
  }
  const { advantages, returns } = computeGae({
    steps,
    lanes: envs * agents,
    rewards: u.buffer.rewards,
    values: rawValues,
    masks: u.buffer.masks,
    gamma: c.gamma,
    lambda: c.gaeLambda,
  });
  // advantage normalisation over active entries (§b.5), then the leader's timescale
  normalizeAdvantages(advantages, u.buffer.active);
  scaleLeaderAdvantages(advantages, u.buffer.priority, agents, c.leaderAdvantageScale);
  return { advantages, returns };
}

/**
 * One gradient step on the minibatch of joint samples `idx` (§b.6–b.8): gathered in priority order
 * with its value targets, its gradient summed over the shards (`minibatchGradient`), then the
 * global-norm clip and Adam. Returns the minibatch's stats [SHARD_STAT_KEYS] and gradient norm.
 */
function minibatchStep(
  u: PpoUpdateContext,
  idx: Int32Array,
  advantages: Float32Array,
  returns: Float32Array,
): { stats: Float32Array; gradNorm: number } {
  const c = u.config;
  const batch = u.buffer.gather(idx, idx, advantages, returns);
  if (c.useValueNorm && c.quirkValueNormPerMinibatch) u.valueNorm.update(batch.returns);
  const targets = new Float32Array(batch.returns.length);
  for (let i = 0; i < targets.length; i++) {
    targets[i] = c.useValueNorm ? u.valueNorm.normalize(batch.returns[i]!) : batch.returns[i]!;
  }
  // the state rows a shard carries: none with the state token (the model does not read them)
  const state = u.policy.readsState ? batch.state : null;
  const whole: ShardBatch = { ...batch, rows: idx.length, state, targets };
  const denominators = lossDenominators(
    batch.active,
    idx.length,
    u.buffer.shape.agents,
    ratioWidth(u.policy),
    c,
  );
  const { grads, stats } = minibatchGradient(u.policy, whole, denominators, u.workers, c, u.minShardRows);
  return { stats, gradNorm: u.optimizer.apply(grads, c.maxGradNorm) };
}
