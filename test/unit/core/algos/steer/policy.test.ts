/**
 * STEER policy (docs/spec/steer.md §a.5–a.7): teacher-forced causality (check §g.1), sampling versus
 * teacher forcing (check §g.2), availability masks, greedy acting and tensor hygiene.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SteerModel } from '../../../../../src/core/algos/steer/model.js';
import { MASKED_LOGIT, type PolicyInput, SteerPolicy } from '../../../../../src/core/algos/steer/policy.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { agentSlice, gaussian, maxAbsDiff, oneHotRows, randomizeWeights, smallModel } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONTINUOUS: ActionSpace = { kind: 'continuous', dim: 2, low: -1, high: 1 };
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

interface Evaluated {
  logProbs: Float32Array;
  entropy: Float32Array;
  values: Float32Array;
}

/** policy.evaluate on flat inputs; actions [B, n] indices or [B, n, A] raw vectors. */
function evaluate(policy: SteerPolicy, input: PolicyInput, actions: ArrayLike<number>): Evaluated {
  const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = policy.model.config;
  const a = policy.model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(input.obs, [b, n, o]),
      input.state ? tf.tensor(input.state, [b, s]) : null,
      actionSpace.kind === 'discrete'
        ? tf.tensor(Array.from(actions), [b, n], 'int32')
        : tf.tensor(Float32Array.from(actions), [b, n, a]),
      input.avail ? tf.cast(tf.tensor(input.avail, [b, n, a], 'int32'), 'bool') : null,
    );
    return {
      logProbs: out.logProbs.dataSync() as Float32Array,
      entropy: out.entropy.dataSync() as Float32Array,
      values: out.values.dataSync() as Float32Array,
    };
  });
}

/** Random observations (and states when the model encodes them) for `batch` environments. */
function randomInput(
  model: SteerModel,
  batch: number,
  rng: Rng,
  avail: Uint8Array | null = null,
): PolicyInput {
  const { numAgents: n, obsDim: o, stateDim: s, useStateToken } = model.config;
  return {
    batch,
    obs: gaussian(batch * n * o, rng),
    state: useStateToken ? null : gaussian(batch * s, rng),
    avail,
  };
}

/** A random availability mask [B, n, A] with at least one available action per row. */
function randomAvail(batch: number, n: number, a: number, rng: Rng): Uint8Array {
  const avail = new Uint8Array(batch * n * a);
  for (let row = 0; row < batch * n; row++) {
    for (let k = 0; k < a; k++) avail[row * a + k] = rng.uniform() < 0.6 ? 1 : 0;
    avail[row * a + rng.int(a)] = 1;
  }
  return avail;
}

describe('teacher-forced causality (docs/spec/steer.md §a.4, check §g.1)', () => {
  it('discrete: changing agent j leaves log-probs of 0..j−1 and entropies/values of 0..j unchanged; later agents change', () => {
    const n = 4;
    const a = 3;
    const b = 5;
    const model = smallModel({ numAgents: n, actionSpace: { kind: 'discrete', n: a } });
    randomizeWeights(model, 21);
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(1);
    const input = randomInput(model, b, rng);
    const actions = Array.from({ length: b * n }, () => rng.int(a));
    const base = evaluate(policy, input, actions);
    for (let j = 0; j < n; j++) {
      // agent j's distribution does not depend on a_j: its probabilities over a_j sum to 1
      const probSum = new Array(b).fill(0);
      for (let shift = 0; shift < a; shift++) {
        const changed = actions.map((x, i) => (i % n === j ? (x + shift) % a : x));
        const out = evaluate(policy, input, changed);
        for (let row = 0; row < b; row++) {
          probSum[row] += Math.exp(out.logProbs[row * n + j]!);
          for (let agent = 0; agent < j; agent++) {
            expect(out.logProbs[row * n + agent]).toBe(base.logProbs[row * n + agent]);
          }
          for (let agent = 0; agent <= j; agent++) {
            expect(out.entropy[row * n + agent]).toBe(base.entropy[row * n + agent]);
            expect(out.values[row * n + agent]).toBe(base.values[row * n + agent]);
          }
          if (shift > 0 && j < n - 1) {
            let later = 0;
            for (let agent = j + 1; agent < n; agent++) {
              later = Math.max(
                later,
                Math.abs(out.logProbs[row * n + agent]! - base.logProbs[row * n + agent]!),
                Math.abs(out.values[row * n + agent]! - base.values[row * n + agent]!),
              );
            }
            expect(later, `row ${row}: no agent after ${j} reacted`).toBeGreaterThan(1e-6);
          }
        }
      }
      for (const p of probSum) expect(p).toBeCloseTo(1, 5);
    }
    model.dispose();
  });

  it('continuous: changing agent j leaves values of 0..j and log-probs of 0..j−1 unchanged; later agents change', () => {
    const n = 3;
    const b = 4;
    const model = smallModel({ numAgents: n, actionSpace: CONTINUOUS });
    randomizeWeights(model, 22);
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(2);
    const input = randomInput(model, b, rng);
    const actions = gaussian(b * n * 2, rng);
    const base = evaluate(policy, input, actions);
    for (let j = 0; j < n; j++) {
      const changed = Float32Array.from(actions);
      for (let row = 0; row < b; row++) changed[(row * n + j) * 2]! += 0.5;
      const out = evaluate(policy, input, changed);
      for (let row = 0; row < b; row++) {
        for (let agent = 0; agent < j; agent++) {
          expect(agentSlice(out.logProbs, row, agent, n, 2)).toEqual(
            agentSlice(base.logProbs, row, agent, n, 2),
          );
        }
        for (let agent = 0; agent <= j; agent++) {
          expect(out.values[row * n + agent]).toBe(base.values[row * n + agent]);
        }
        // agent j's own second dimension was not moved and its mean did not move: same log-prob
        expect(out.logProbs[(row * n + j) * 2 + 1]).toBe(base.logProbs[(row * n + j) * 2 + 1]);
        if (j < n - 1) {
          let later = 0;
          for (let agent = j + 1; agent < n; agent++) {
            later = Math.max(
              later,
              maxAbsDiff(
                agentSlice(out.logProbs, row, agent, n, 2),
                agentSlice(base.logProbs, row, agent, n, 2),
              ),
              Math.abs(out.values[row * n + agent]! - base.values[row * n + agent]!),
            );
          }
          expect(later).toBeGreaterThan(1e-6);
        }
      }
    }
    model.dispose();
  });

  it('continuous: log-probs are the per-dimension Normal density with std 0.5·sigmoid(ρ) and the entropy is its closed form', () => {
    const n = 2;
    const b = 3;
    const model = smallModel({ numAgents: n, actionSpace: CONTINUOUS });
    randomizeWeights(model, 23);
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(3);
    const input = randomInput(model, b, rng);
    const actions = gaussian(b * n * 2, rng);
    const out = evaluate(policy, input, actions);
    const { means, std } = tf.tidy(() => {
      const encoded = model.encode(tf.tensor(input.obs, [b, n, 5]), null);
      const leaders = tf.slice(tf.tensor(actions, [b, n, 2]), [0, 0, 0], [b, n - 1, 2]);
      return {
        means: model.decode(encoded, leaders, n).actor.dataSync() as Float32Array,
        std: Array.from(model.actionStd().dataSync()),
      };
    });
    const rho = Array.from(model.params.get('logStd').dataSync());
    rho.forEach((r, k) => {
      expect(std[k]).toBeCloseTo(0.5 / (1 + Math.exp(-r)), 6);
    });
    for (let i = 0; i < b * n * 2; i++) {
      const s = std[i % 2]!;
      const expected = -((actions[i]! - means[i]!) ** 2) / (2 * s * s) - Math.log(s) - LOG_SQRT_2PI;
      expect(out.logProbs[i]).toBeCloseTo(expected, 4);
      expect(out.entropy[i]).toBeCloseTo(0.5 + LOG_SQRT_2PI + Math.log(s), 5);
    }
    model.dispose();
  });
});

describe('sampling equals teacher forcing (docs/spec/steer.md §a.6, check §g.2)', () => {
  it.each([
    ['state token', true],
    ['state encoder', false],
  ])(
    'discrete with an availability mask (%s): act log-probs and values equal evaluate on the sampled joint action',
    (_label, useStateToken) => {
      const n = 3;
      const a = 3;
      const b = 64;
      const model = smallModel({ numAgents: n, useStateToken });
      randomizeWeights(model, 31);
      const policy = new SteerPolicy(model);
      const rng = Rng.fromSeed(4);
      const input = randomInput(model, b, rng, randomAvail(b, n, a, rng));
      const out = policy.act(input, false, Rng.fromSeed(99));
      expect(out.actions).toHaveLength(b * n);
      expect(out.logProbs).toHaveLength(b * n);
      expect(out.values).toHaveLength(b * n);
      const ev = evaluate(policy, input, out.actions);
      expect(maxAbsDiff(out.logProbs, ev.logProbs)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.values, ev.values)).toBeLessThan(1e-4);
      for (let row = 0; row < b * n; row++) expect(input.avail![row * a + out.actions[row]!]).toBe(1);
      // a sampled joint action is a non-trivial test only if the leaders' choices vary
      expect(new Set(Array.from({ length: b }, (_, e) => out.actions[e * n]!)).size).toBeGreaterThan(1);
      model.dispose();
    },
  );

  it.each([
    ['state token', true],
    ['state encoder', false],
  ])(
    'continuous (%s): act log-probs (per dimension) and values equal evaluate on the sampled joint action',
    (_label, useStateToken) => {
      const n = 3;
      const b = 32;
      const model = smallModel({ numAgents: n, actionSpace: CONTINUOUS, useStateToken });
      randomizeWeights(model, 32);
      const policy = new SteerPolicy(model);
      expect(policy.actionWidth).toBe(2);
      const rng = Rng.fromSeed(5);
      const input = randomInput(model, b, rng);
      const out = policy.act(input, false, Rng.fromSeed(98));
      expect(out.actions).toHaveLength(b * n * 2);
      expect(out.logProbs).toHaveLength(b * n * 2);
      const ev = evaluate(policy, input, out.actions);
      expect(maxAbsDiff(out.logProbs, ev.logProbs)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.values, ev.values)).toBeLessThan(1e-4);
      model.dispose();
    },
  );

  it('the same generator state gives the same joint actions; a different one gives different actions', () => {
    const model = smallModel({ numAgents: 3 });
    const policy = new SteerPolicy(model);
    const input = randomInput(model, 50, Rng.fromSeed(6));
    const a1 = policy.act(input, false, Rng.fromSeed(7)).actions;
    const a2 = policy.act(input, false, Rng.fromSeed(7)).actions;
    const a3 = policy.act(input, false, Rng.fromSeed(8)).actions;
    expect(a2).toEqual(a1);
    expect(a3).not.toEqual(a1);
    model.dispose();
  });
});

describe('availability masks (docs/spec/steer.md §a.5)', () => {
  it('never samples a masked action over many draws, and samples every available one', () => {
    const n = 3;
    const a = 3;
    const b = 200;
    const model = smallModel({ numAgents: n });
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(9);
    // fixed patterns per agent: agent 0 may not take action 1, agent 1 only action 2, agent 2 anything
    const pattern = [
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 1],
    ];
    const avail = new Uint8Array(b * n * a);
    for (let e = 0; e < b; e++) for (let j = 0; j < n; j++) avail.set(pattern[j]!, (e * n + j) * a);
    const input = randomInput(model, b, rng, avail);
    const seen = pattern.map(() => new Array(a).fill(0));
    const sampler = Rng.fromSeed(10);
    for (let draw = 0; draw < 10; draw++) {
      const out = policy.act(input, false, sampler);
      for (let e = 0; e < b; e++) for (let j = 0; j < n; j++) seen[j]![out.actions[e * n + j]!] += 1;
      // the log-prob of the only available action is log 1 = 0
      for (let e = 0; e < b; e++) expect(out.logProbs[e * n + 1]).toBeCloseTo(0, 6);
    }
    seen.forEach((counts, j) => {
      counts.forEach((c, k) => {
        if (pattern[j]![k]) expect(c, `agent ${j} action ${k}`).toBeGreaterThan(0);
        else expect(c, `agent ${j} masked action ${k}`).toBe(0);
      });
    });
    model.dispose();
  });

  it('teacher-forced log-probs and entropies ignore the masked actions (−1e10 logits)', () => {
    const n = 2;
    const a = 3;
    const model = smallModel({ numAgents: n });
    randomizeWeights(model, 33);
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(11);
    const avail = Uint8Array.from([1, 1, 0, 0, 1, 0]); // agent 0: {0, 1}; agent 1: {1}
    const input = randomInput(model, 1, rng, avail);
    const ev = evaluate(policy, input, [1, 1]);
    const logits = tf.tidy(() => {
      const encoded = model.encode(tf.tensor(input.obs, [1, n, 5]), null);
      return model
        .decode(encoded, tf.tensor(oneHotRows([1], a), [1, 1, a]), n)
        .actor.dataSync() as Float32Array;
    });
    const l0 = logits[0]!;
    const l1 = logits[1]!;
    const p1 = Math.exp(l1) / (Math.exp(l0) + Math.exp(l1));
    expect(ev.logProbs[0]).toBeCloseTo(Math.log(p1), 5);
    expect(ev.entropy[0]).toBeCloseTo(-(p1 * Math.log(p1) + (1 - p1) * Math.log(1 - p1)), 5);
    expect(ev.logProbs[1]).toBeCloseTo(0, 6);
    expect(ev.entropy[1]).toBeCloseTo(0, 6);
    expect(Number.isFinite(ev.entropy[1]!)).toBe(true);
    expect(MASKED_LOGIT).toBe(-1e10);
    model.dispose();
  });
});

describe('greedy acting (docs/spec/steer.md §a.5)', () => {
  it('discrete: takes the most probable available action of each agent given the chosen leaders', () => {
    const n = 3;
    const a = 3;
    const b = 40;
    const model = smallModel({ numAgents: n });
    randomizeWeights(model, 34);
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(12);
    const input = randomInput(model, b, rng, randomAvail(b, n, a, rng));
    const out = policy.act(input, true, Rng.fromSeed(1));
    // greedy does not depend on the generator
    expect(policy.act(input, true, Rng.fromSeed(2)).actions).toEqual(out.actions);
    const ev = evaluate(policy, input, out.actions);
    expect(maxAbsDiff(out.logProbs, ev.logProbs)).toBeLessThan(1e-4);
    // the chosen action is at least as likely as every other available one: switching agent j to any
    // other available action cannot raise its own log-prob
    for (let j = 0; j < n; j++) {
      for (let shift = 1; shift < a; shift++) {
        const other = Array.from(out.actions, (x, i) => (i % n === j ? (x + shift) % a : x));
        const alt = evaluate(policy, input, other);
        for (let e = 0; e < b; e++) {
          if (input.avail![(e * n + j) * a + other[e * n + j]!]) {
            expect(alt.logProbs[e * n + j]).toBeLessThanOrEqual(out.logProbs[e * n + j]! + 1e-6);
          }
        }
      }
    }
    model.dispose();
  });

  it('continuous: returns the Gaussian means, whose log-density is −log σ − ½·log 2π per dimension', () => {
    const n = 3;
    const b = 5;
    const model = smallModel({ numAgents: n, actionSpace: CONTINUOUS });
    randomizeWeights(model, 35);
    const policy = new SteerPolicy(model);
    const input = randomInput(model, b, Rng.fromSeed(13));
    const out = policy.act(input, true, Rng.fromSeed(1));
    const { means, std } = tf.tidy(() => {
      const encoded = model.encode(tf.tensor(input.obs, [b, n, 5]), null);
      const leaders = tf.slice(tf.tensor(out.actions, [b, n, 2]), [0, 0, 0], [b, n - 1, 2]);
      return {
        means: model.decode(encoded, leaders, n).actor.dataSync() as Float32Array,
        std: Array.from(model.actionStd().dataSync()),
      };
    });
    expect(maxAbsDiff(out.actions, means)).toBeLessThan(1e-5);
    out.logProbs.forEach((lp, i) => {
      expect(lp).toBeCloseTo(-Math.log(std[i % 2]!) - LOG_SQRT_2PI, 5);
    });
    model.dispose();
  });
});

describe('tensor hygiene', () => {
  it('discrete act and evaluate-in-tidy leave tf.memory().numTensors unchanged', () => {
    const model = smallModel({ numAgents: 3 });
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(14);
    const input = randomInput(model, 8, rng, randomAvail(8, 3, 3, rng));
    const first = policy.act(input, false, rng);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const out = policy.act(input, i % 2 === 0, rng);
      evaluate(policy, input, out.actions);
    }
    evaluate(policy, input, first.actions);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  // policy.ts `act`: `this.model.actionStd().dataSync()` runs outside tf.tidy, so the sigmoid and
  // mul tensors of actionStd() are never disposed: two tensors leak per continuous act() call.
  it('continuous act leaves tf.memory().numTensors unchanged', () => {
    const model = smallModel({ numAgents: 3, actionSpace: CONTINUOUS });
    const policy = new SteerPolicy(model);
    const rng = Rng.fromSeed(15);
    const input = randomInput(model, 8, rng);
    policy.act(input, false, rng);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) policy.act(input, false, rng);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('one-pass enumeration of leader actions', () => {
  it.each([
    [2, 3],
    [3, 2],
  ])('gives the same actions, log-probs and values as sequential passes (%i agents × %i actions)', (n, a) => {
    const model = smallModel({ numAgents: n, obsDim: 4, actionSpace: { kind: 'discrete', n: a } });
    randomizeWeights(model, 5);
    const batch = 16;
    const input: PolicyInput = {
      batch,
      obs: gaussian(batch * n * 4, Rng.fromSeed(9)),
      state: null,
      avail: null,
    };
    const enumerated = new SteerPolicy(model);
    const sequential = new SteerPolicy(model);
    sequential.maxEnumeratedCombos = 0;
    const x = enumerated.act(input, false, Rng.fromSeed(3));
    const y = sequential.act(input, false, Rng.fromSeed(3));
    expect(Array.from(x.actions)).toEqual(Array.from(y.actions));
    expect(maxAbsDiff(x.logProbs, y.logProbs)).toBeLessThan(1e-5);
    expect(maxAbsDiff(x.values, y.values)).toBeLessThan(1e-5);
    // the draw really varied: not every env chose the same joint action
    expect(
      new Set(Array.from({ length: batch }, (_, e) => x.actions.slice(e * n, e * n + n).join())).size,
    ).toBeGreaterThan(1);
    model.dispose();
  });
});
