/**
 * Data-parallel PPO gradients (docs/spec/steer.md §b.6–b.8): a minibatch of joint samples is cut into
 * `gradientShards` contiguous shards (fewer when a shard would get under MIN_SHARD_ROWS samples), each shard's loss is written as a sum divided by the whole
 * minibatch's denominators, so the shard gradients add up to the whole-minibatch gradient (up to
 * float rounding). Advantage normalisation, the value normaliser, the gradient-norm clip and Adam
 * stay with the PPO update (ppoUpdate.ts); a shard needs only its rows, the weights and these
 * denominators.
 *
 * The numbers depend on the shard count alone, never on where a shard is computed:
 * `minibatchGradient` computes shards on this thread, or hands some to `GradientWorkers` (threads,
 * each with its own tfjs backend and a copy of the weights; src/main/train/gradientWorkers.ts), and
 * adds the shard gradients in shard order either way.
 */
import * as tf from '../../nn/tf.js';
import { shardCount, type TrainConfig } from '../config.js';
import type { MarlPolicy, NetworkConfig } from '../marl.js';
import { huberLoss, mseLoss } from './losses.js';

/** One shard of a minibatch, in priority order, as plain arrays (can cross a thread boundary). */
export interface ShardBatch {
  /** Joint samples B in the shard. */
  rows: number;
  /** [B, n, O] */
  obs: Float32Array;
  /** [B, S], or null with the state token. */
  state: Float32Array | null;
  /** [B, n, width]: action indices (discrete) or raw vectors. */
  actions: Float32Array;
  /** [B, n, A] 1 = available, or null for all available. */
  avail: Uint8Array | null;
  /** Normalised advantages [B, n]. */
  advantages: Float32Array;
  /** Rollout log-probabilities [B, n, width]. */
  logProbs: Float32Array;
  /** Rollout values (normalised space) [B, n]. */
  values: Float32Array;
  /** Value targets (normalised space when the value normaliser is on) [B, n]. */
  targets: Float32Array;
  /** Active masks [B, n]. */
  active: Float32Array;
}

/** Whole-minibatch divisors that turn each loss term's shard sum into its share of the mean. */
export interface LossDenominators {
  /** Policy loss and entropy rows: Σ active (masked) or B·n. */
  policy: number;
  /** Entropy entries: Σ active (masked) or B·n·width (width: `ratioWidth`). */
  entropy: number;
  /** Value loss rows: Σ active (masked) or B·n. */
  value: number;
  /** approxKl and clipFraction entries: B·n·width (width: `ratioWidth`). */
  entries: number;
}

/** The loss settings a shard needs (static over a run). */
export type ShardLossConfig = Pick<
  TrainConfig,
  | 'clip'
  | 'entropyCoef'
  | 'valueLossCoef'
  | 'valueLoss'
  | 'huberDelta'
  | 'quirkAsymmetricHuber'
  | 'useClippedValueLoss'
  | 'usePolicyActiveMasks'
  | 'useValueActiveMasks'
>;

/** Order of a shard's loss statistics (each already divided by the whole minibatch's denominators). */
export const SHARD_STAT_KEYS = ['policy', 'value', 'entropy', 'approxKl', 'clipFraction', 'total'] as const;

/** A shard computed elsewhere: gradients of all parameters concatenated in parameter order, and stats. */
export interface ShardResult {
  grads: Float32Array;
  stats: Float32Array;
}

/** A shard to compute elsewhere. */
export interface ShardTask {
  shard: ShardBatch;
  denominators: LossDenominators;
}

/**
 * Helper threads that compute shards while the trainer computes its own (synchronously: `collect`
 * blocks), so `Trainer.iterate()` stays a plain call. Platform-free contract; the Node pool
 * is src/main/train/gradientWorkers.ts.
 */
export interface GradientWorkers {
  /** Helper threads (each takes one shard per minibatch). */
  readonly size: number;
  /** Starts tasks[i] on helper i (tasks.length ≤ size) with these weights (parameter order, flat). */
  post(tasks: readonly ShardTask[], weights: Float32Array): void;
  /** Blocks until every posted task has its result; results in task order. Throws a helper's error. */
  collect(): ShardResult[];
  /** Stops the helpers. */
  dispose(): void;
}

// The fewest joint samples of a shard and the shard count: in config.ts, whose bounds use them.
export { MIN_SHARD_ROWS, shardCount } from '../config.js';

/**
 * Log-probabilities per row that the PPO loss takes a ratio of: the policy's action width, except 1
 * for a continuous policy whose rule is one ratio per row (MarlPolicy.continuousRatio). The loss
 * denominators of the entropy and of approxKl and clipFraction count these entries.
 */
export function ratioWidth(policy: MarlPolicy): number {
  return policy.continuousRatio === 'perRow' ? 1 : policy.actionWidth;
}

/** Boundaries of `count` contiguous shards of `rows` joint samples: shard s is [b[s], b[s+1]). */
export function shardBounds(rows: number, count: number): number[] {
  const c = Math.max(1, Math.min(count, rows));
  return Array.from({ length: c + 1 }, (_, s) => Math.floor((s * rows) / c));
}

/** The loss denominators of a whole minibatch of `rows` joint samples with these active masks. */
export function lossDenominators(
  active: Float32Array,
  rows: number,
  n: number,
  width: number,
  c: ShardLossConfig,
): LossDenominators {
  let activeSum = 0;
  for (let i = 0; i < active.length; i++) activeSum += active[i]!;
  const masked = Math.max(activeSum, 1e-8);
  return {
    policy: c.usePolicyActiveMasks ? masked : rows * n,
    entropy: c.usePolicyActiveMasks ? masked : rows * n * width,
    value: c.useValueActiveMasks ? masked : rows * n,
    entries: rows * n * width,
  };
}

/** Rows [from, to) of a gathered minibatch as a shard (copies, so the shard can be transferred). */
export function sliceShard(whole: ShardBatch, from: number, to: number, m: NetworkConfig): ShardBatch {
  const n = m.numAgents;
  const per = (arr: Float32Array, width: number) => arr.slice(from * width, to * width);
  const a = m.actionSpace.kind === 'discrete' ? m.actionSpace.n : m.actionSpace.dim;
  const w = m.actionSpace.kind === 'discrete' ? 1 : a;
  return {
    rows: to - from,
    obs: per(whole.obs, n * m.obsDim),
    state: whole.state ? per(whole.state, m.stateDim) : null,
    actions: per(whole.actions, n * w),
    avail: whole.avail ? whole.avail.slice(from * n * a, to * n * a) : null,
    advantages: per(whole.advantages, n),
    logProbs: per(whole.logProbs, n * w),
    values: per(whole.values, n),
    targets: per(whole.targets, n),
    active: per(whole.active, n),
  };
}

/**
 * Gradients of one shard's share of the PPO loss (§b.7) with respect to `params`, and its stats
 * [SHARD_STAT_KEYS]. Call inside `tf.tidy`; the returned tensors belong to that scope.
 */
export function shardGradients(
  policy: MarlPolicy,
  params: tf.Variable[],
  shard: ShardBatch,
  d: LossDenominators,
  c: ShardLossConfig,
): { grads: tf.Tensor[]; stats: tf.Tensor } {
  const m = policy.model.config;
  const b = shard.rows;
  const n = m.numAgents;
  const a = policy.model.actionDim;
  const w = policy.actionWidth;
  const discrete = m.actionSpace.kind === 'discrete';
  const obs = tf.tensor(shard.obs, [b, n, m.obsDim]);
  const state = policy.readsState && shard.state ? tf.tensor(shard.state, [b, m.stateDim]) : null;
  const actions = discrete ? tf.tensor(shard.actions, [b, n], 'int32') : tf.tensor(shard.actions, [b, n, w]);
  const avail = shard.avail ? tf.cast(tf.tensor(shard.avail, [b, n, a], 'int32'), 'bool') : null;
  const adv = tf.tensor(shard.advantages, [b, n, 1]);
  // one ratio per row for a continuous 'perRow' policy: the joint Gaussian's log-probability and
  // entropy are the sums over the dimensions (on-policy's FixedNormal, HARL's 'prod' aggregation)
  const ratioPerRow = !discrete && policy.continuousRatio === 'perRow';
  const perDimensionOldLogp = tf.tensor(shard.logProbs, [b, n, w]);
  const oldLogp = ratioPerRow ? tf.sum(perDimensionOldLogp, 2, true) : perDimensionOldLogp; // [B, n, 1 | w]
  const oldValues = tf.tensor(shard.values, [b, n]);
  const target = tf.tensor(shard.targets, [b, n]);
  const act = tf.tensor(shard.active, [b, n]);
  let kept: tf.Tensor | null = null;
  const { grads } = tf.variableGrads(() => {
    const evaluated = policy.evaluate(obs, state, actions, avail);
    const out = ratioPerRow
      ? {
          ...evaluated,
          logProbs: tf.sum(evaluated.logProbs, 2, true), // [B, n, 1]
          entropy: tf.sum(evaluated.entropy, 2, true), // [B, n, 1]
        }
      : evaluated;
    // policy loss: clipped surrogate, summed over the ratio's entries, masked mean over rows (§b.7)
    const ratio = tf.exp(tf.sub(out.logProbs, oldLogp));
    const surr1 = tf.mul(ratio, adv);
    const surr2 = tf.mul(tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip), adv);
    const perRow = tf.sum(tf.minimum(surr1, surr2), 2); // [B, n]
    const policyLoss = tf.neg(
      tf.div(tf.sum(c.usePolicyActiveMasks ? tf.mul(perRow, act) : perRow), d.policy),
    );
    const entropy = tf.div(
      tf.sum(c.usePolicyActiveMasks ? tf.mul(out.entropy, tf.expandDims(act, 2)) : out.entropy),
      d.entropy,
    );
    // value loss: clipped, Huber or MSE, on normalised targets (§b.7)
    const loss = (e: tf.Tensor) =>
      c.valueLoss === 'huber' ? huberLoss(e, c.huberDelta, !c.quirkAsymmetricHuber) : mseLoss(e);
    let perValue = loss(tf.sub(target, out.values));
    if (c.useClippedValueLoss) {
      const clipped = tf.add(oldValues, tf.clipByValue(tf.sub(out.values, oldValues), -c.clip, c.clip));
      perValue = tf.maximum(perValue, loss(tf.sub(target, clipped)));
    }
    const valueLoss = tf.div(tf.sum(c.useValueActiveMasks ? tf.mul(perValue, act) : perValue), d.value);
    const total = tf.add(
      tf.sub(policyLoss, tf.mul(entropy, c.entropyCoef)),
      tf.mul(valueLoss, c.valueLossCoef),
    ) as tf.Scalar;
    const logRatio = tf.sub(out.logProbs, oldLogp);
    const approxKl = tf.div(tf.sum(tf.sub(tf.sub(ratio, 1), logRatio)), d.entries); // k3 estimator
    const clipFraction = tf.div(
      tf.sum(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clip), 'float32')),
      d.entries,
    );
    kept = tf.keep(tf.stack([policyLoss, valueLoss, entropy, approxKl, clipFraction, total]));
    return total;
  }, params);
  // kept past variableGrads' own scope on purpose; the caller's tidy releases it
  return { grads: params.map((p) => grads[p.name]!), stats: kept! };
}

/**
 * One shard's gradients and stats as flat arrays (shardGradients, flattened), with every tensor it
 * made freed: what the trainer adds up, whichever thread computed the shard.
 */
export function computeShard(
  policy: MarlPolicy,
  params: tf.Variable[],
  shard: ShardBatch,
  d: LossDenominators,
  c: ShardLossConfig,
): ShardResult {
  let result: ShardResult | null = null;
  // the tidy returns nothing: returning the arrays would make TF.js walk every element for tensors
  tf.tidy(() => {
    const { grads, stats } = shardGradients(policy, params, shard, d, c);
    result = { grads: flattenTensors(grads), stats: stats.dataSync() as Float32Array };
    stats.dispose(); // kept past variableGrads' scope by shardGradients
  });
  return result!;
}

/**
 * The gradient of a whole minibatch (§b.6–b.7), flat in parameter order, and its stats
 * [SHARD_STAT_KEYS]: its shards' (computed here and by the helper threads, if any), added in shard
 * order. `minShardRows` is the trainer's (MIN_SHARD_ROWS unless a test lowers it).
 */
export function minibatchGradient(
  policy: MarlPolicy,
  whole: ShardBatch,
  denominators: LossDenominators,
  workers: GradientWorkers | null,
  c: ShardLossConfig & Pick<TrainConfig, 'gradientShards'>,
  minShardRows: number,
): ShardResult {
  const params = policy.model.params.list();
  const bounds = shardBounds(whole.rows, shardCount(whole.rows, c.gradientShards, minShardRows));
  const shards = bounds
    .slice(1)
    .map((to, s) => (bounds.length === 2 ? whole : sliceShard(whole, bounds[s]!, to, policy.model.config)));
  // --- helpers take shards 1..size, this thread shard 0 and any beyond the helpers ---
  const remote = workers ? shards.slice(1, 1 + workers.size) : [];
  if (workers && remote.length > 0) {
    workers.post(
      remote.map((shard) => ({ shard, denominators })),
      flattenTensors(params),
    );
  }
  const stats = new Float32Array(SHARD_STAT_KEYS.length);
  // this thread's shards first (the helpers work meanwhile), then every shard's gradients added
  // in shard order as flat arrays, the same float32 sums wherever a shard was computed
  const local = new Map<number, ShardResult>();
  shards.forEach((shard, s) => {
    if (s === 0 || s > remote.length) {
      local.set(s, computeShard(policy, params, shard, denominators, c));
    }
  });
  const results = remote.length > 0 ? workers!.collect() : [];
  let sum: Float32Array | null = null;
  for (let s = 0; s < shards.length; s++) {
    const shard = local.get(s) ?? results[s - 1]!;
    for (let k = 0; k < SHARD_STAT_KEYS.length; k++) stats[k] = stats[k]! + shard.stats[k]!;
    if (sum === null) sum = shard.grads;
    else for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + shard.grads[i]!;
  }
  return { grads: sum!, stats };
}

/** Gradients concatenated in parameter order: what a helper thread sends back. */
export function flattenTensors(tensors: readonly tf.Tensor[]): Float32Array {
  const size = tensors.reduce((s, t) => s + t.size, 0);
  const out = new Float32Array(size);
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/** The inverse of flattenTensors for tensors shaped like `like` (new tensors; the caller disposes). */
export function unflattenTensors(flat: Float32Array, like: readonly tf.Tensor[]): tf.Tensor[] {
  let offset = 0;
  const total = like.reduce((s, t) => s + t.size, 0);
  if (flat.length !== total) {
    throw new Error(`unflattenTensors: ${flat.length} values for ${like.length} tensors of ${total} values`);
  }
  return like.map((t) => {
    const part = tf.tensor(flat.subarray(offset, offset + t.size), t.shape, 'float32');
    offset += t.size;
    return part;
  });
}
