/**
 * HAPPO's losses against the one PPO loss of the trainer (src/core/algos/ppo/gradientShards.ts):
 * with the factor at 1, an actor's gradient is the plain PPO gradient of the joint loss restricted
 * to that actor (times n: the joint loss averages over n agents' rows, an actor's over its own);
 * with a factor f it is the PPO gradient on the advantages f·A (the paper's M = factor × A); and
 * the critic's gradient is the PPO gradient restricted to the critic. Weights are randomised first
 * so that ratios differ from 1 and some rows are clipped: every branch of the surrogate is used.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentBatch,
  actorGradient,
  criticGradient,
} from '../../../../../src/core/algos/happo/losses.js';
import { agentRows, happoAdvantages } from '../../../../../src/core/algos/happo/update.js';
import {
  lossDenominators,
  type ShardBatch,
  shardGradients,
} from '../../../../../src/core/algos/ppo/gradientShards.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { maxAbsDiff, randomizeWeights, syntheticContext } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const AGENTS = 3;

/**
 * A rollout of 3 agents acted by a fresh policy, then the policy's weights randomised (so the
 * ratios are far from 1), the whole rollout as one PPO minibatch, and each agent's own rows.
 */
function setup(masked: boolean) {
  const u = syntheticContext({ agents: AGENTS, seed: 11, masked, steps: 8, envs: 4 });
  randomizeWeights(u.policy.model, 12);
  const { advantages, returns } = happoAdvantages(u);
  const rows = u.buffer.shape.steps * u.buffer.shape.envs;
  const idx = Int32Array.from({ length: rows }, (_, i) => i);
  const batch = u.buffer.gather(idx, idx, advantages, returns);
  // identity priorities: the gathered rows are in agent order, like the critic's and the actors'
  const shard: ShardBatch = { ...batch, rows, targets: batch.returns };
  const agents = Array.from({ length: AGENTS }, (_, j) => agentRows(u.buffer, j, advantages));
  return { u, shard, state: batch.state, agents };
}

/** The plain PPO loss's gradient of every parameter, by name. */
function ppoGradients(s: ReturnType<typeof setup>, shard: ShardBatch): Map<string, Float32Array> {
  const { policy, config } = s.u;
  const params = policy.model.params.list();
  const d = lossDenominators(shard.active, shard.rows, AGENTS, policy.actionWidth, config);
  const out = new Map<string, Float32Array>();
  tf.tidy(() => {
    const { grads, stats } = shardGradients(policy, params, shard, d, config);
    stats.dispose(); // kept past variableGrads' scope by shardGradients
    params.forEach((p, k) => {
      out.set(p.name, grads[k]!.dataSync() as Float32Array);
    });
  });
  return out;
}

/** The named gradients of `vars` concatenated in their order. */
function concat(named: Map<string, Float32Array>, vars: tf.Variable[], scale = 1): Float32Array {
  const parts = vars.map((v) => Array.from(named.get(v.name)!, (x) => x * scale));
  return Float32Array.from(parts.flat());
}

/** Largest |x| of an array (the tolerances below are relative to it). */
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

describe('HAPPO actor loss = the PPO loss, one agent at a time', () => {
  it.each([
    ['all actions available', false],
    ['masked actions', true],
  ] as const)('%s: factor 1 gives the joint PPO gradient of that actor × n, for every agent', (_, masked) => {
    const s = setup(masked);
    const ppo = ppoGradients(s, s.shard);
    for (let j = 0; j < AGENTS; j++) {
      const happo = actorGradient(s.u.policy, j, s.agents[j]!, s.u.config);
      const expected = concat(ppo, s.u.policy.model.actorParams(j), AGENTS);
      expect(maxAbs(expected)).toBeGreaterThan(1e-3); // a gradient worth comparing
      expect(maxAbsDiff(happo.grads, expected)).toBeLessThan(1e-5 * Math.max(1, maxAbs(expected)));
      // and some rows are clipped: the equality covers both branches of the surrogate
      expect(happo.stats[3]!).toBeGreaterThan(0); // clipFraction
    }
    s.u.policy.model.dispose();
  });

  it('a factor f gives the PPO gradient on the advantages f·A (the paper’s M), not the unweighted one', () => {
    const s = setup(false);
    const rng = Rng.fromSeed(13);
    const rows = s.shard.rows;
    const factor = Float32Array.from({ length: rows }, () => Math.exp(0.8 * rng.normal()));
    const j = 1;
    const weighted: AgentBatch = { ...s.agents[j]!, factor };
    const happo = actorGradient(s.u.policy, j, weighted, s.u.config);
    // PPO with agent j's advantages of joint sample i multiplied by factor[i]
    const scaled = Float32Array.from(s.shard.advantages, (a, k) =>
      k % AGENTS === j ? a * factor[Math.floor(k / AGENTS)]! : a,
    );
    const ppo = ppoGradients(s, { ...s.shard, advantages: scaled });
    const expected = concat(ppo, s.u.policy.model.actorParams(j), AGENTS);
    expect(maxAbsDiff(happo.grads, expected)).toBeLessThan(1e-5 * Math.max(1, maxAbs(expected)));
    const unweighted = concat(ppoGradients(s, s.shard), s.u.policy.model.actorParams(j), AGENTS);
    expect(maxAbsDiff(happo.grads, unweighted)).toBeGreaterThan(1e-2 * maxAbs(unweighted));
    s.u.policy.model.dispose();
  });
});

describe('HAPPO critic loss = the PPO value loss', () => {
  it('its gradient is the joint PPO gradient restricted to the critic (clipped Huber on V_j(s))', () => {
    const s = setup(false);
    const { shard } = s;
    const happo = criticGradient(
      s.u.policy,
      {
        rows: shard.rows,
        state: s.state,
        oldValues: shard.values,
        targets: shard.targets,
        active: shard.active,
      },
      s.u.config,
    );
    const expected = concat(ppoGradients(s, shard), s.u.policy.model.criticParams());
    expect(maxAbs(expected)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(happo.grads, expected)).toBeLessThan(1e-5 * Math.max(1, maxAbs(expected)));
    s.u.policy.model.dispose();
  });
});
