/**
 * The continuous-action rules settled in docs/algos/README.md ("Continuous actions"), one test per
 * rule and algorithm, each failing if its rule changes:
 * - the Gaussian's std: exp(ρ) with ρ₀ = 0 for MAPPO (on-policy's DiagGaussian), 0.5·sigmoid(ρ)
 *   with ρ₀ = 1 for every other algorithm (the STEER reference, HARL, MAT);
 * - the PPO ratio: one per row of summed log-probabilities for MAPPO and HAPPO (on-policy, HARL),
 *   one per action dimension for STEER, its ablations, MAT and STEP (the STEER reference, MAT), and
 *   with it how the entropy is reduced (summed over the dimensions per row, or the reference's mean).
 * Measured through the policies and the losses the trainer runs, on `cont:target`.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../src/core/algos/config.js';
import { type AgentBatch, actorGradient } from '../../../../src/core/algos/happo/losses.js';
import { HappoPolicy } from '../../../../src/core/algos/happo/policy.js';
import type { MarlPolicy } from '../../../../src/core/algos/marl.js';
import {
  lossDenominators,
  ratioWidth,
  type ShardBatch,
  shardGradients,
} from '../../../../src/core/algos/ppo/gradientShards.js';
import { algorithmNamed } from '../../../../src/core/algos/registry.js';
import { makeEnv } from '../../../../src/core/envs/registry.js';
import * as tf from '../../../../src/core/nn/tf.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ENV = 'cont:target';
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Each algorithm's Gaussian: parameter names of ρ, std as a function of ρ, ρ₀, and its ratio rule. */
const RULES = [
  { algo: 'steer', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'steer-itb-mlp', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'steer-otb-gru', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'steer-itb-only', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'steer-otb-only', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'mat', rho: ['decoder.logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'step', rho: ['logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perDimension' },
  { algo: 'mappo', rho: ['actor.logStd'], std: 'exp', rho0: 0, ratio: 'perRow' },
  { algo: 'happo', rho: ['actor.0.logStd', 'actor.1.logStd'], std: 'halfSigmoid', rho0: 1, ratio: 'perRow' },
] as const;

type Rule = (typeof RULES)[number];

/** std as the rule defines it from ρ. */
function stdOf(rule: Rule, rho: number): number {
  return rule.std === 'exp' ? Math.exp(rho) : 0.5 / (1 + Math.exp(-rho));
}

/** A fresh policy of `algo` for cont:target, and its training config (policy masks off: plain means). */
function setup(algo: string): { policy: MarlPolicy; config: TrainConfig } {
  const config = { ...resolveAlgorithmConfig(ENV, { algo }), usePolicyActiveMasks: false };
  const algorithm = algorithmNamed(algo);
  const policy = algorithm.makePolicy(algorithm.networkConfig(makeEnv(ENV), config), 3);
  return { policy, config };
}

const ROWS = 4;
const AGENTS = 2;
const DIMS = 2;
/** Per-dimension log-ratios new − old: each outside the clip range 0.8–1.2, their sum inside it. */
const LOG_RATIO = [0.3, -0.25];
/** Advantages [B, n], both signs. */
const ADVANTAGES = Float32Array.of(1, -0.5, 0.8, -1.2, -0.3, 0.6, 1.5, -0.9);

/** cont:target's observation and state tiled over ROWS, and stored actions near the aims. */
function batchInputs() {
  const start = makeEnv(ENV).reset();
  const tile = (x: Float32Array) =>
    Float32Array.from({ length: ROWS * x.length }, (_, i) => x[i % x.length]!);
  const actions = Float32Array.from({ length: ROWS * AGENTS * DIMS }, (_, i) => Math.sin(1.7 * i) * 0.6);
  return { obs: tile(start.obs), state: tile(start.state), actions };
}

/** The policy's current per-dimension log-probabilities of `actions` [B, n, A] and entropy [B, n, A]. */
function currentLogProbs(policy: MarlPolicy, inputs: ReturnType<typeof batchInputs>) {
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(inputs.obs, [ROWS, AGENTS, DIMS]),
      policy.readsState ? tf.tensor(inputs.state, [ROWS, AGENTS * DIMS]) : null,
      tf.tensor(inputs.actions, [ROWS, AGENTS, DIMS]),
      null,
    );
    return {
      logProbs: out.logProbs.dataSync() as Float32Array,
      entropy: out.entropy.dataSync() as Float32Array,
    };
  });
}

/** −mean over rows of the clipped surrogate, per dimension or on the row's summed log-ratio. */
function expectedPolicyLoss(ratio: Rule['ratio'], advantages: ArrayLike<number>, clip: number): number {
  const surrogate = (r: number, a: number) => Math.min(r * a, Math.min(Math.max(r, 1 - clip), 1 + clip) * a);
  let sum = 0;
  for (let row = 0; row < advantages.length; row++) {
    const a = advantages[row]!;
    if (ratio === 'perRow') sum += surrogate(Math.exp(LOG_RATIO[0]! + LOG_RATIO[1]!), a);
    else for (const logRatio of LOG_RATIO) sum += surrogate(Math.exp(logRatio), a);
  }
  return -sum / advantages.length;
}

/** The policy loss and entropy statistics of the loss the trainer runs for this policy. */
function lossStats(policy: MarlPolicy, config: TrainConfig): { policy: number; entropy: number } {
  const inputs = batchInputs();
  const current = currentLogProbs(policy, inputs);
  // old log-probabilities such that new − old = LOG_RATIO in every row's dimensions
  const old = Float32Array.from(current.logProbs, (lp, i) => lp - LOG_RATIO[i % DIMS]!);
  if (policy instanceof HappoPolicy) {
    // HAPPO's own actor loss, agent 1's rows (factor 1): what its sequential update steps on
    const pick = (x: Float32Array, width: number) =>
      Float32Array.from(
        { length: ROWS * width },
        (_, i) => x[(Math.floor(i / width) * AGENTS + 1) * width + (i % width)]!,
      );
    const batch: AgentBatch = {
      rows: ROWS,
      obs: pick(inputs.obs, DIMS),
      actions: pick(inputs.actions, DIMS),
      avail: null,
      oldLogProbs: pick(old, DIMS),
      advantages: pick(ADVANTAGES, 1),
      factor: new Float32Array(ROWS).fill(1),
      active: new Float32Array(ROWS).fill(1),
    };
    const { stats } = actorGradient(policy, 1, batch, config);
    return { policy: stats[0]!, entropy: stats[1]! };
  }
  const shard: ShardBatch = {
    rows: ROWS,
    obs: inputs.obs,
    state: policy.readsState ? inputs.state : null,
    actions: inputs.actions,
    avail: null,
    advantages: ADVANTAGES,
    logProbs: old,
    values: new Float32Array(ROWS * AGENTS),
    targets: new Float32Array(ROWS * AGENTS),
    active: new Float32Array(ROWS * AGENTS).fill(1),
  };
  const d = lossDenominators(shard.active, ROWS, AGENTS, ratioWidth(policy), config);
  return tf.tidy(() => {
    const { stats } = shardGradients(policy, policy.model.params.list(), shard, d, config);
    const values = stats.dataSync();
    stats.dispose(); // kept past variableGrads' scope by shardGradients
    return { policy: values[0]!, entropy: values[2]! };
  });
}

describe('continuous actions: each algorithm’s Gaussian std (docs/algos/README.md)', () => {
  it.each(RULES)('$algo: std = $std(ρ), ρ starting at its rule’s ρ₀', (rule) => {
    const { policy } = setup(rule.algo);
    const inputs = batchInputs();
    for (const name of rule.rho) {
      expect(Array.from(policy.model.params.get(name).dataSync())).toEqual([rule.rho0, rule.rho0]);
    }
    // the std the policy's evaluation uses, read back from its per-dimension entropy log σ + ½ + log √(2π)
    const stdFromEntropy = () =>
      Array.from(currentLogProbs(policy, inputs).entropy, (h) => Math.exp(h - 0.5 - LOG_SQRT_2PI));
    const initial = stdOf(rule, rule.rho0);
    for (const s of stdFromEntropy()) expect(s).toBeCloseTo(initial, 5);
    // ρ moved: the std follows the rule in each dimension, for every agent
    const rho = [-1.5, 0.7];
    const moved = tf.tensor1d(rho);
    for (const name of rule.rho) policy.model.params.get(name).assign(moved);
    moved.dispose();
    stdFromEntropy().forEach((s, i) => {
      expect(s).toBeCloseTo(stdOf(rule, rho[i % DIMS]!), 5);
    });
    policy.model.dispose();
  });

  it('MAPPO starts at std 1 and the others at 0.5·sigmoid(1) ≈ 0.366', () => {
    expect(stdOf(RULES.find((r) => r.algo === 'mappo')!, 0)).toBe(1);
    expect(stdOf(RULES[0], 1)).toBeCloseTo(0.3655, 4);
  });
});

describe('continuous actions: each algorithm’s PPO ratio (docs/algos/README.md)', () => {
  it.each(RULES)('$algo: ratio $ratio', (rule) => {
    const { policy, config } = setup(rule.algo);
    expect(policy.continuousRatio).toBe(rule.ratio);
    const stats = lossStats(policy, config);
    const advantages = policy instanceof HappoPolicy ? [-0.5, -1.2, 0.6, -0.9] : ADVANTAGES; // agent 1's rows
    const other = rule.ratio === 'perRow' ? 'perDimension' : 'perRow';
    expect(stats.policy).toBeCloseTo(expectedPolicyLoss(rule.ratio, advantages, config.clip), 5);
    // the two rules differ here: the clip binds every dimension's ratio and no row's joint one
    expect(Math.abs(stats.policy - expectedPolicyLoss(other, advantages, config.clip))).toBeGreaterThan(0.05);
    policy.model.dispose();
  });

  it.each(RULES)(
    '$algo: entropy reduced as its ratio (summed over dimensions per row, or the mean)',
    (rule) => {
      const { policy, config } = setup(rule.algo);
      const perDimension = Array.from(currentLogProbs(policy, batchInputs()).entropy.subarray(0, DIMS));
      const sum = perDimension[0]! + perDimension[1]!;
      // with the policy active masks off: on-policy and HARL average the rows' sums over dimensions;
      // the STEER reference and MAT average every entry (docs/spec/steer.md §b.7)
      expect(lossStats(policy, config).entropy).toBeCloseTo(rule.ratio === 'perRow' ? sum : sum / DIMS, 5);
      policy.model.dispose();
    },
  );
});
