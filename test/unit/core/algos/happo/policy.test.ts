/**
 * HappoPolicy: simultaneous acting where each agent's own actor reads its own observation whatever
 * its priority position, sampling equal to teacher-forced evaluation, per-agent values from the one
 * state, masking, and tensor hygiene.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { HappoPolicy } from '../../../../../src/core/algos/happo/index.js';
import { identityOrder } from '../../../../../src/core/algos/happo/policy.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { maxAbsDiff, randomizeWeights, smallNetwork } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 6;
const N = 3;
const O = 5;
const S = 7;
const A = 4;

/** Observations in agent order [B, n, O], states [B, S] and a random agent order per row. */
function scene(seed: number) {
  const rng = Rng.fromSeed(seed);
  const agentObs = Float32Array.from({ length: B * N * O }, () => rng.normal());
  const state = Float32Array.from({ length: B * S }, () => rng.normal());
  const order = new Int32Array(B * N);
  for (let e = 0; e < B; e++) order.set(rng.permutation(N), e * N);
  // priority-order rows: position p of row e holds agent order[e, p]'s observation
  const obs = new Float32Array(B * N * O);
  for (let e = 0; e < B; e++) {
    for (let p = 0; p < N; p++) {
      const agent = order[e * N + p]!;
      obs.set(agentObs.subarray((e * N + agent) * O, (e * N + agent + 1) * O), (e * N + p) * O);
    }
  }
  return { agentObs, obs, state, order };
}

function policy(continuous = false): HappoPolicy {
  const net = smallNetwork(
    continuous ? { actionSpace: { kind: 'continuous', dim: 2, low: -1, high: 1 } } : {},
  );
  randomizeWeights(net, 7);
  return new HappoPolicy(net);
}

describe('HappoPolicy acting: each actor sees its own agent', () => {
  it('with the agent order given, position p is acted by actor order[p] on its own observation', () => {
    const pol = policy();
    const { agentObs, obs, state, order } = scene(3);
    const rng = Rng.fromSeed(0);
    const reference = pol.act({ batch: B, obs: agentObs, state, avail: null }, true, rng); // identity
    const ordered = pol.act({ batch: B, obs, state, avail: null, order }, true, rng);
    for (let e = 0; e < B; e++) {
      for (let p = 0; p < N; p++) {
        const agent = order[e * N + p]!;
        expect(ordered.actions[e * N + p]).toBe(reference.actions[e * N + agent]);
        expect(ordered.logProbs[e * N + p]).toBeCloseTo(reference.logProbs[e * N + agent]!, 5);
        expect(ordered.values[e * N + p]).toBeCloseTo(reference.values[e * N + agent]!, 5);
      }
    }
    // the same rows without the order go to the actors of the positions: other numbers
    const positional = pol.act({ batch: B, obs, state, avail: null }, true, rng);
    expect(maxAbsDiff(positional.logProbs, ordered.logProbs)).toBeGreaterThan(1e-3);
    expect(pol.hasSeenAgentOrder).toBe(true);
    pol.model.dispose();
  });

  it('values are V_j(s) of the agent at each position, all from the one state', () => {
    const pol = policy();
    const { obs, state, order } = scene(4);
    const out = pol.act({ batch: B, obs, state, avail: null, order }, false, Rng.fromSeed(1));
    const v = tf.tidy(() => pol.model.critic(tf.tensor(state, [B, S])).dataSync()); // [B, n], agent order
    for (let i = 0; i < B * N; i++) {
      expect(out.values[i]).toBeCloseTo(v[Math.floor(i / N) * N + order[i]!]!, 5);
    }
    pol.model.dispose();
  });

  it('never samples an unavailable action', () => {
    const pol = policy();
    const { obs, state, order } = scene(5);
    const avail = new Uint8Array(B * N * A).fill(1);
    for (let i = 0; i < B * N; i++) avail[i * A + (i % A)] = 0; // one action off per row
    const rng = Rng.fromSeed(2);
    for (let k = 0; k < 20; k++) {
      const out = pol.act({ batch: B, obs, state, avail, order }, k % 2 === 0, rng);
      for (let i = 0; i < B * N; i++) expect(out.actions[i]).not.toBe(i % A);
    }
    pol.model.dispose();
  });

  it('refuses an order that is not a permutation, and acting without the state', () => {
    const pol = policy();
    const { obs, state } = scene(6);
    const order = identityOrder(B, N);
    order[4] = 0; // row 1 becomes [0, 0, 2]
    expect(() => pol.act({ batch: B, obs, state, avail: null, order }, true, Rng.fromSeed(0))).toThrow(
      /order row 1 \[0,0,2\] is not a permutation of 0..2/,
    );
    expect(() => pol.act({ batch: B, obs, state: null, avail: null }, true, Rng.fromSeed(0))).toThrow(
      /needs the global state/,
    );
    pol.model.dispose();
  });
});

describe('HappoPolicy evaluation equals sampling', () => {
  it.each([
    ['discrete, masked', false],
    ['continuous', true],
  ] as const)(
    '%s: teacher-forced log-probs and values of the sampled joint action equal act()’s',
    (_, continuous) => {
      const pol = policy(continuous);
      const { obs, state, order } = scene(8);
      const avail = continuous ? null : new Uint8Array(B * N * A).fill(1);
      if (avail) for (let i = 0; i < B * N; i += 2) avail[i * A + 1] = 0;
      const out = pol.act({ batch: B, obs, state, avail, order }, false, Rng.fromSeed(9));
      const w = pol.actionWidth;
      const [logProbs, vals, entropy] = tf.tidy(() => {
        const r = pol.evaluate(
          tf.tensor(obs, [B, N, O]),
          tf.tensor(state, [B, S]),
          continuous ? tf.tensor(out.actions, [B, N, w]) : tf.tensor(out.actions, [B, N], 'int32'),
          avail ? tf.cast(tf.tensor(avail, [B, N, A], 'int32'), 'bool') : null,
          order,
        );
        return [r.logProbs.dataSync(), r.values.dataSync(), r.entropy.dataSync()];
      });
      expect(maxAbsDiff(logProbs, out.logProbs)).toBeLessThan(1e-4);
      expect(maxAbsDiff(vals, out.values)).toBeLessThan(1e-5);
      expect(entropy.length).toBe(B * N * w);
      pol.model.dispose();
    },
  );

  it('evaluate differentiates into each agent’s own actor only through that agent’s rows', () => {
    const pol = policy();
    const { obs, state, order } = scene(10);
    const actions = Int32Array.from({ length: B * N }, (_, i) => i % A);
    // d/dθ_j of the log-prob at the positions of agent 1 only: actors 0 and 2 get no gradient
    const agent1 = Float32Array.from({ length: B * N }, (_, i) => (order[i] === 1 ? 1 : 0));
    const norms = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const r = pol.evaluate(
          tf.tensor(obs, [B, N, O]),
          tf.tensor(state, [B, S]),
          tf.tensor(actions, [B, N], 'int32'),
          null,
          order,
        );
        return tf.sum(tf.mul(tf.reshape(r.logProbs, [B * N]), tf.tensor(agent1))) as tf.Scalar;
      }, pol.model.params.list());
      return [0, 1, 2].map((j) =>
        pol.model.actorParams(j).reduce((s, v) => s + tf.sum(tf.abs(grads[v.name]!)).dataSync()[0]!, 0),
      );
    });
    expect(norms[0]).toBe(0);
    expect(norms[2]).toBe(0);
    expect(norms[1]).toBeGreaterThan(0);
    pol.model.dispose();
  });
});

describe('HappoPolicy tensor hygiene', () => {
  it('act and evaluate in a tidy leave tf.memory().numTensors unchanged', () => {
    const pol = policy();
    const { obs, state, order } = scene(11);
    const rng = Rng.fromSeed(3);
    pol.act({ batch: B, obs, state, avail: null, order }, false, rng);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 4; k++) pol.act({ batch: B, obs, state, avail: null, order }, k % 2 === 0, rng);
    tf.tidy(() => {
      pol.evaluate(
        tf.tensor(obs, [B, N, O]),
        tf.tensor(state, [B, S]),
        tf.zeros([B, N], 'int32'),
        null,
        order,
      );
    });
    expect(tf.memory().numTensors).toBe(before);
    pol.model.dispose();
  });
});
