/**
 * MAPPO policy (docs/algos/mappo.md): agents act at the same time and independently (no agent's
 * log-probability, entropy or value depends on another agent's action, and sampled joint actions
 * are independent across agents), sampling equals teacher-forced evaluation, availability masks,
 * the Gaussian head and tensor hygiene.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MASKED_LOGIT } from '../../../../../src/core/algos/mappo/policy.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { actorOutputs, evaluateFlat, gaussian, maxAbsDiff, randomInput, randomPolicy } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONTINUOUS: ActionSpace = { kind: 'continuous', dim: 2, low: -1, high: 1 };

/** Rows of each agent of a flat [B, n, width] array: agent j's entries in batch order. */
function agentColumn(x: ArrayLike<number>, agent: number, b: number, n: number, width: number): number[] {
  const out: number[] = [];
  for (let e = 0; e < b; e++) for (let k = 0; k < width; k++) out.push(x[(e * n + agent) * width + k]!);
  return out;
}

describe('MappoPolicy: simultaneous, independent acting', () => {
  it.each([
    ['discrete', {}],
    ['continuous', { actionSpace: CONTINUOUS }],
  ] as const)(
    "%s: an agent's log-prob, entropy and value ignore every other agent's stored action",
    (_, over) => {
      const policy = randomPolicy(over);
      const rng = Rng.fromSeed(21);
      const [b, n] = [4, 3];
      const width = policy.actionWidth;
      const input = randomInput(policy.model, b, rng);
      const sampled = policy.act(input, false, rng).actions;
      const base = evaluateFlat(policy, input, sampled);
      for (let j = 0; j < n; j++) {
        // keep agent j's actions, redraw everyone else's (leaders and followers alike)
        const other = policy.act(randomInput(policy.model, b, rng), false, rng).actions;
        const mixed = Float32Array.from(other);
        for (let e = 0; e < b; e++) {
          for (let k = 0; k < width; k++) mixed[(e * n + j) * width + k] = sampled[(e * n + j) * width + k]!;
        }
        expect(maxAbsDiff(mixed, sampled)).toBeGreaterThan(0); // the others really changed
        const out = evaluateFlat(policy, input, mixed);
        expect(agentColumn(out.logProbs, j, b, n, width)).toEqual(agentColumn(base.logProbs, j, b, n, width));
        expect(agentColumn(out.entropy, j, b, n, width)).toEqual(agentColumn(base.entropy, j, b, n, width));
        expect(Array.from(out.values)).toEqual(Array.from(base.values));
      }
      policy.model.dispose();
    },
  );

  it("sampled joint actions are independent: agent 1's choice follows its own softmax whatever agent 0 chose", () => {
    // 2 agents × 3 actions, one observation repeated over many envs; a leader-conditioned policy
    // (STEER, MAT) would shift agent 1's frequencies with agent 0's action
    const policy = randomPolicy({
      numAgents: 2,
      obsDim: 3,
      stateDim: 4,
      actionSpace: { kind: 'discrete', n: 3 },
    });
    const rng = Rng.fromSeed(22);
    const b = 6000;
    const one = randomInput(policy.model, 1, rng);
    const obs = new Float32Array(b * 2 * 3);
    const state = new Float32Array(b * 4);
    for (let e = 0; e < b; e++) {
      obs.set(one.obs, e * 6);
      state.set(one.state!, e * 4);
    }
    const { actions } = policy.act({ batch: b, obs, state, avail: null }, false, rng);
    const logits = actorOutputs(policy.model, one.obs, 1); // [1, 2, 3]
    const softmax = (offset: number) => {
      const m = Math.max(logits[offset]!, logits[offset + 1]!, logits[offset + 2]!);
      const p = [0, 1, 2].map((k) => Math.exp(logits[offset + k]! - m));
      const z = p[0]! + p[1]! + p[2]!;
      return p.map((x) => x / z);
    };
    const p1 = softmax(3);
    const counts = [0, 1, 2].map(() => [0, 0, 0]);
    for (let e = 0; e < b; e++) counts[actions[e * 2]!]![actions[e * 2 + 1]!]! += 1;
    let conditioned = 0;
    for (const row of counts) {
      const total = row[0]! + row[1]! + row[2]!;
      if (total < 500) continue; // too few draws of this leader action to compare
      conditioned += 1;
      expect(
        maxAbsDiff(
          row.map((c) => c / total),
          p1,
        ),
      ).toBeLessThan(0.05);
    }
    expect(conditioned).toBeGreaterThanOrEqual(2);
    policy.model.dispose();
  });

  it('greedy acting takes each agent’s argmax of its own logits', () => {
    const policy = randomPolicy();
    const input = randomInput(policy.model, 5, Rng.fromSeed(23));
    const logits = actorOutputs(policy.model, input.obs, 5);
    const { actions } = policy.act(input, true, Rng.fromSeed(0));
    for (let row = 0; row < 15; row++) {
      const r = Array.from(logits.subarray(row * 4, row * 4 + 4));
      expect(actions[row]).toBe(r.indexOf(Math.max(...r)));
    }
    policy.model.dispose();
  });
});

describe('MappoPolicy: acting equals teacher-forced evaluation', () => {
  it('discrete with masks: log-probs and values of act equal evaluate on the sampled actions; masked actions never drawn', () => {
    const policy = randomPolicy();
    const rng = Rng.fromSeed(24);
    const [b, n, a] = [6, 3, 4];
    const avail = new Uint8Array(b * n * a).fill(1);
    for (let row = 0; row < b * n; row++) {
      avail[row * a + (row % a)] = 0; // one unavailable action per agent
      if (row % 2 === 0) avail[row * a + ((row + 1) % a)] = 0; // two for every other agent
    }
    const input = randomInput(policy.model, b, rng, avail);
    for (let trial = 0; trial < 5; trial++) {
      const out = policy.act(input, trial === 0, rng);
      for (let row = 0; row < b * n; row++) expect(avail[row * a + out.actions[row]!]).toBe(1);
      const ev = evaluateFlat(policy, input, out.actions);
      expect(maxAbsDiff(ev.logProbs, out.logProbs)).toBeLessThan(1e-5);
      expect(maxAbsDiff(ev.values, out.values)).toBeLessThan(1e-6);
    }
    // an unavailable action has log-probability about MASKED_LOGIT under evaluate
    const bad = Float32Array.from({ length: b * n }, (_, row) => row % a);
    expect(evaluateFlat(policy, input, bad).logProbs.every((x) => x < MASKED_LOGIT / 2)).toBe(true);
    policy.model.dispose();
  });

  it('continuous: per-dimension Gaussian log-probs with std = exp(log-std); entropy log σ + ½ + log √(2π)', () => {
    const policy = randomPolicy({ actionSpace: CONTINUOUS });
    const rng = Rng.fromSeed(25);
    const input = randomInput(policy.model, 4, rng);
    const out = policy.act(input, false, rng);
    const ev = evaluateFlat(policy, input, out.actions);
    expect(maxAbsDiff(ev.logProbs, out.logProbs)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ev.values, out.values)).toBeLessThan(1e-6);
    const logStd = policy.model.params.get('actor.logStd').dataSync();
    const entropy = Array.from(
      { length: 4 * 3 * 2 },
      (_, i) => logStd[i % 2]! + 0.5 + 0.5 * Math.log(2 * Math.PI),
    );
    expect(maxAbsDiff(ev.entropy, entropy)).toBeLessThan(1e-5);
    // greedy acting returns the means
    const means = actorOutputs(policy.model, input.obs, 4);
    expect(maxAbsDiff(policy.act(input, true, rng).actions, means)).toBe(0);
    policy.model.dispose();
  });
});

describe('MappoPolicy: state and tensors', () => {
  it('reads the global state, and refuses to act without one', () => {
    const policy = randomPolicy();
    expect(policy.readsState).toBe(true);
    const input = randomInput(policy.model, 2, Rng.fromSeed(26));
    expect(() => policy.act({ ...input, state: null }, false, Rng.fromSeed(1))).toThrow(/global state/);
    // values follow the state with the observations fixed, and not the observations with the state fixed
    const moved = { ...input, state: gaussian(2 * 7, Rng.fromSeed(27)) };
    const otherObs = { ...input, obs: gaussian(2 * 3 * 5, Rng.fromSeed(28)) };
    const v = policy.act(input, true, Rng.fromSeed(1)).values;
    expect(maxAbsDiff(policy.act(moved, true, Rng.fromSeed(1)).values, v)).toBeGreaterThan(1e-4);
    expect(Array.from(policy.act(otherObs, true, Rng.fromSeed(1)).values)).toEqual(Array.from(v));
    policy.model.dispose();
  });

  it('act and evaluate leave no tensors behind', () => {
    for (const over of [{}, { actionSpace: CONTINUOUS }]) {
      const policy = randomPolicy(over);
      const rng = Rng.fromSeed(29);
      const input = randomInput(policy.model, 3, rng);
      policy.act(input, false, rng);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const out = policy.act(input, i === 1, rng);
        evaluateFlat(policy, input, out.actions);
      }
      expect(tf.memory().numTensors).toBe(before);
      policy.model.dispose();
    }
  });
});
