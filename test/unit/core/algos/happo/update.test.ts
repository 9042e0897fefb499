/**
 * What makes HAPPO HAPPO (docs/algos/happo.md): agent m's surrogate is weighted by the product of the
 * new/old ratios of the agents updated before it in this update (the factor), each actor's
 * parameters are its own (an agent's turn moves its actor and nothing else), and the agents are
 * visited in a fresh random order each update, drawn from the seeded generator.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../../../src/core/algos/config.js';
import { HappoNetwork, HappoPolicy, runHappoUpdate } from '../../../../../src/core/algos/happo/index.js';
import { type AgentBatch, actorGradient } from '../../../../../src/core/algos/happo/losses.js';
import { agentLogProbs, agentRows, happoAdvantages } from '../../../../../src/core/algos/happo/update.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { changed, maxAbsDiff, syntheticContext, weights } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the factor: agent m’s advantage × the ratios of the agents updated before it', () => {
  it('weights each joint sample’s term of the actor gradient (a hand-checked case where it must matter)', () => {
    // agent 1 of 2, constant observations (matrix-game-like): both rows share one softmax π; the
    // rows took actions 0 and 1 with advantage +1 each; at ratio 1 and without entropy the gradient
    // of the loss with respect to the output bias is −(1/2)·Σ_i f_i·(onehot(a_i) − π)
    const policy = new HappoPolicy(
      new HappoNetwork(
        {
          numAgents: 2,
          obsDim: 1,
          stateDim: 2,
          actionSpace: { kind: 'discrete', n: 3 },
          embedDim: 4,
          numBlocks: 1,
        },
        5,
      ),
    );
    tf.tidy(() => policy.model.params.get('actor.1.out.bias').assign(tf.tensor([0.3, -0.2, 0.1])));
    const c = resolveTrainConfig('matrix:penalty0', { algo: 'happo', entropyCoef: 0 });
    const rows: AgentBatch = {
      rows: 2,
      obs: new Float32Array(2),
      actions: Float32Array.from([0, 1]),
      avail: null,
      oldLogProbs: new Float32Array(2),
      advantages: Float32Array.from([1, 1]),
      factor: new Float32Array(2).fill(1),
      active: Float32Array.from([1, 1]),
    };
    rows.oldLogProbs = agentLogProbs(policy, 1, rows); // ratio 1: the loss is taken at the old policy
    const pi = tf.tidy(() => tf.softmax(policy.model.actor(1, tf.zeros([1, 1]))).dataSync());
    const biasGrad = (factor: number[]) => {
      const { grads } = actorGradient(policy, 1, { ...rows, factor: Float32Array.from(factor) }, c);
      return Array.from(grads.subarray(grads.length - 3)); // actor.1.out.bias is the group's last parameter
    };
    const expected = (f: number[]) =>
      [0, 1, 2].map((k) => -0.5 * f.reduce((s, fi, i) => s + fi * ((k === i ? 1 : 0) - pi[k]!), 0));
    const weighted = biasGrad([2, 0.5]);
    const unit = biasGrad([1, 1]);
    expect(maxAbsDiff(weighted, expected([2, 0.5]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(unit, expected([1, 1]))).toBeLessThan(1e-6);
    // not a rescaling: the factor turns the step towards the row it weights up (action 0)
    const cosine =
      weighted.reduce((s, x, k) => s + x * unit[k]!, 0) / Math.hypot(...weighted) / Math.hypot(...unit);
    expect(cosine).toBeLessThan(0.9);
    expect(weighted[0]!).toBeLessThan(weighted[1]!); // descent raises logit 0 more than logit 1
    policy.model.dispose();
  });

  it('after each agent’s turn equals the product of exp(new − old log-prob) of the agents updated so far', () => {
    const u = syntheticContext({ agents: 3, seed: 2 });
    const { advantages } = happoAdvantages(u);
    const rollout = (j: number) => agentRows(u.buffer, j, advantages).oldLogProbs;
    const expected = new Float64Array(u.buffer.shape.steps * u.buffer.shape.envs).fill(1);
    const factors: Float32Array[] = [];
    runHappoUpdate(u, {
      afterAgent: (agent, factor) => {
        // the agents not yet updated still have their rollout weights: "old" = the rollout's log-prob
        const now = agentLogProbs(u.policy, agent, agentRows(u.buffer, agent, advantages));
        const old = rollout(agent);
        for (let i = 0; i < expected.length; i++) expected[i] = expected[i]! * Math.exp(now[i]! - old[i]!);
        expect(maxAbsDiff(factor, expected)).toBeLessThan(1e-4);
        factors.push(factor);
      },
    });
    expect(factors).toHaveLength(3);
    // the first update moved the first agent's policy: the factor is not 1, and differs between samples
    const spread = Math.max(...factors[0]!) - Math.min(...factors[0]!);
    expect(spread).toBeGreaterThan(1e-3);
    u.policy.model.dispose();
  });

  it('changes the second agent’s update: with the factor forced to 1 its weights end elsewhere', () => {
    const run = (unitFactor: boolean) => {
      const u = syntheticContext({ agents: 2, seed: 3 });
      const snapshots: Map<string, number[]>[] = [];
      const order: number[] = [];
      runHappoUpdate(u, {
        unitFactor,
        afterAgent: (agent) => {
          order.push(agent);
          snapshots.push(weights(u.policy.model));
        },
      });
      u.policy.model.dispose();
      return { snapshots, order };
    };
    const happo = run(false);
    const unit = run(true);
    expect(unit.order).toEqual(happo.order); // same seed, same visiting order
    const [first, second] = happo.order as [number, number];
    // the first agent sees factor 1 either way: identical weights after its turn
    expect(changed(happo.snapshots[0]!, unit.snapshots[0]!)).toEqual([]);
    // the second agent's actor moves differently, and only its actor
    const differ = changed(happo.snapshots[1]!, unit.snapshots[1]!);
    expect(differ.length).toBeGreaterThan(0);
    expect(differ.every((name) => name.startsWith(`actor.${second}.`))).toBe(true);
    expect(first).not.toBe(second);
  });
});

describe('each agent’s actor is its own', () => {
  it('an agent’s turn changes its own actor and leaves the other actors and the critic as they were', () => {
    const u = syntheticContext({ agents: 3, seed: 4 });
    const { advantages } = happoAdvantages(u);
    const rows = [0, 1, 2].map((j) => agentRows(u.buffer, j, advantages));
    const policyOf = () => rows.map((r, j) => agentLogProbs(u.policy, j, r)); // each agent's π(a|o)
    let last = weights(u.policy.model);
    let lastPolicy = policyOf();
    const turns: { agent: number; moved: string[]; policyMoved: number[] }[] = [];
    runHappoUpdate(u, {
      afterAgent: (agent) => {
        const now = weights(u.policy.model);
        const nowPolicy = policyOf();
        const policyMoved = nowPolicy.map((lp, j) => maxAbsDiff(lp, lastPolicy[j]!));
        turns.push({ agent, moved: changed(last, now), policyMoved });
        last = now;
        lastPolicy = nowPolicy;
      },
    });
    expect(turns.map((t) => t.agent).sort()).toEqual([0, 1, 2]);
    for (const { agent, moved, policyMoved } of turns) {
      expect(moved.length).toBeGreaterThan(0);
      expect(moved.filter((name) => !name.startsWith(`actor.${agent}.`))).toEqual([]);
      // in behaviour too: the agent's own action probabilities moved, the others' stayed exactly
      policyMoved.forEach((d, j) => {
        if (j === agent) expect(d).toBeGreaterThan(1e-4);
        else expect(d).toBe(0);
      });
    }
    // the critic moves after the actors, and nothing else then
    const critic = changed(last, weights(u.policy.model));
    expect(critic.length).toBeGreaterThan(0);
    expect(critic.every((name) => name.startsWith('critic.'))).toBe(true);
    u.policy.model.dispose();
  });

  it('the trainer’s Adam holds every group’s moments afterwards and counts ppoEpochs × numMinibatches steps', () => {
    const u = syntheticContext({ agents: 2, seed: 5 });
    runHappoUpdate(u);
    expect(u.optimizer.step).toBe(u.config.ppoEpochs * u.config.numMinibatches);
    const { m } = u.optimizer.moments();
    u.policy.model.params.entries().forEach(([name], i) => {
      expect(
        m[i]!.some((x) => x !== 0),
        name,
      ).toBe(true);
    });
    u.policy.model.dispose();
  });
});

describe('each actor is trained on its own agent’s rows, whatever the priority order', () => {
  it('with changing priorities and the order given to act(), every agent’s rollout log-probs are its own actor’s', () => {
    const u = syntheticContext({ agents: 3, seed: 6, priorities: 'shuffled', passOrder: true, masked: true });
    const { advantages } = happoAdvantages(u);
    for (let j = 0; j < 3; j++) {
      const rows = agentRows(u.buffer, j, advantages);
      expect(maxAbsDiff(agentLogProbs(u.policy, j, rows), rows.oldLogProbs)).toBeLessThan(1e-4);
    }
    expect(() => runHappoUpdate(u)).not.toThrow();
    u.policy.model.dispose();
  });

  it('refuses a rollout with changing priorities when act() was never given the agent order', () => {
    const u = syntheticContext({ agents: 3, seed: 6, priorities: 'shuffled' });
    expect(() => runHappoUpdate(u)).toThrow(/decided in the order \[.*\], but act\(\) was never told/);
    u.policy.model.dispose();
  });
});

describe('the visiting order', () => {
  /** The orders of `updates` successive updates of one context. */
  function orders(seed: number, updates: number): string[] {
    const u = syntheticContext({ agents: 3, seed, config: { ppoEpochs: 1, numMinibatches: 1 } });
    const out: string[] = [];
    for (let k = 0; k < updates; k++) {
      const m = runHappoUpdate(u);
      out.push([0, 1, 2].map((p) => m[`happo/order/${p}`]).join(','));
    }
    u.policy.model.dispose();
    return out;
  }

  it('is a fresh random permutation each update, and the same seed gives the same orders', () => {
    const a = orders(7, 6);
    for (const order of a) expect(order.split(',').sort()).toEqual(['0', '1', '2']);
    expect(new Set(a).size).toBeGreaterThan(1); // it changes between updates
    expect(orders(7, 6)).toEqual(a); // seeded
    expect(orders(8, 6)).not.toEqual(a); // and depends on the seed
  });
});
