/**
 * STEP policy (docs/algos/step.md): the spatial sequence (a follower's distribution and value depend
 * on its leaders' actions, a leader's never on its followers'), sampling level by level equals the
 * teacher-forced pass, availability masks, greedy acting, determinism and tensor hygiene.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MASKED_LOGIT, type StepPolicy } from '../../../../../src/core/algos/step/policy.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  agentSlice,
  CONTINUOUS,
  evaluateFlat,
  gaussian,
  headsFlat,
  maxAbsDiff,
  randomAvail,
  randomInput,
  randomPolicy,
  smallModel,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A random joint action: [B, n] indices or [B, n, A] vectors. */
function randomJoint(policy: StepPolicy, batch: number, rng: Rng): number[] {
  const { numAgents: n, actionSpace } = policy.model.config;
  if (actionSpace.kind === 'discrete') return Array.from({ length: batch * n }, () => rng.int(actionSpace.n));
  return Array.from(gaussian(batch * n * policy.model.actionDim, rng));
}

describe('the spatial sequence: level j is conditioned on a_0..a_{j−1} only', () => {
  it.each(['discrete', 'continuous'] as const)(
    '%s: changing agent j’s action leaves the policy and value of agents 0..j unchanged and changes agent j+1’s',
    (kind) => {
      const n = 4;
      const policy = randomPolicy({
        numAgents: n,
        ...(kind === 'continuous' ? { actionSpace: CONTINUOUS } : {}),
      });
      const a = policy.model.actionDim;
      const width = kind === 'discrete' ? 1 : a;
      const rng = Rng.fromSeed(3);
      const b = 3;
      const input = randomInput(policy.model, b, rng);
      const joint = randomJoint(policy, b, rng);
      const base = headsFlat(policy.model, input, joint);
      for (let j = 0; j < n; j++) {
        const changed = [...joint];
        for (let e = 0; e < b; e++) {
          for (let k = 0; k < width; k++) {
            const at = (e * n + j) * width + k;
            changed[at] = kind === 'discrete' ? (joint[at]! + 1) % a : joint[at]! + 1.5;
          }
        }
        const out = headsFlat(policy.model, input, changed);
        for (let e = 0; e < b; e++) {
          for (let i = 0; i <= j; i++) {
            expect(agentSlice(out.actor, e, i, n, a)).toEqual(agentSlice(base.actor, e, i, n, a));
            expect(out.values[e * n + i]).toBe(base.values[e * n + i]);
          }
          if (j + 1 < n) {
            const follower = maxAbsDiff(
              agentSlice(out.actor, e, j + 1, n, a),
              agentSlice(base.actor, e, j + 1, n, a),
            );
            expect(follower).toBeGreaterThan(1e-3);
            expect(Math.abs(out.values[e * n + j + 1]! - base.values[e * n + j + 1]!)).toBeGreaterThan(1e-5);
          }
        }
      }
      policy.model.dispose();
    },
  );

  it('straight from its seed, the follower’s logits differ across the leader’s actions and the leader’s do not', () => {
    const model = smallModel({ numAgents: 2 });
    const input = randomInput(model, 1, Rng.fromSeed(8));
    const rows = [0, 1, 2, 3].map((leader) => headsFlat(model, input, [leader, 0]).actor);
    for (const r of rows.slice(1)) {
      expect(r.subarray(0, 4)).toEqual(rows[0]!.subarray(0, 4));
      expect(maxAbsDiff(r.subarray(4), rows[0]!.subarray(4))).toBeGreaterThan(1e-5);
    }
    model.dispose();
  });
});

describe('acting level by level', () => {
  it.each(['discrete', 'continuous'] as const)(
    '%s: the log-probabilities and values of sampled actions equal the teacher-forced pass over them',
    (kind) => {
      const policy = randomPolicy(kind === 'continuous' ? { actionSpace: CONTINUOUS } : {});
      const { numAgents: n } = policy.model.config;
      const a = policy.model.actionDim;
      const rng = Rng.fromSeed(4);
      const b = 6;
      const avail = kind === 'discrete' ? randomAvail(b, n, a, rng) : null;
      const input = randomInput(policy.model, b, rng, avail);
      const out = policy.act(input, false, Rng.fromSeed(9));
      const evaluated = evaluateFlat(policy, input, out.actions);
      expect(maxAbsDiff(out.logProbs, evaluated.logProbs)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.values, evaluated.values)).toBeLessThan(1e-5);
      policy.model.dispose();
    },
  );

  it('never samples an unavailable action; masked actions get log-probability ≈ MASKED_LOGIT', () => {
    const policy = randomPolicy();
    const { numAgents: n } = policy.model.config;
    const a = policy.model.actionDim;
    const rng = Rng.fromSeed(5);
    const b = 50;
    const avail = randomAvail(b, n, a, rng);
    const input = randomInput(policy.model, b, rng, avail);
    const sampler = Rng.fromSeed(6);
    for (let round = 0; round < 4; round++) {
      const out = policy.act(input, false, sampler);
      for (let row = 0; row < b * n; row++) expect(avail[row * a + out.actions[row]!]).toBe(1);
    }
    // one masked action per row, evaluated: its log-probability is about MASKED_LOGIT
    const masked = Array.from({ length: b * n }, (_, row) => {
      for (let k = 0; k < a; k++) if (!avail[row * a + k]) return k;
      return -1;
    });
    const rows = masked.map((k, row) => (k >= 0 ? k : row % a));
    const evaluated = evaluateFlat(policy, input, rows);
    masked.forEach((k, row) => {
      if (k >= 0) expect(evaluated.logProbs[row]!).toBeLessThan(MASKED_LOGIT / 2);
    });
    policy.model.dispose();
  });

  it('greedy acting takes each level’s masked argmax given the leaders’ greedy actions', () => {
    const policy = randomPolicy();
    const { numAgents: n } = policy.model.config;
    const a = policy.model.actionDim;
    const rng = Rng.fromSeed(7);
    const b = 5;
    const avail = randomAvail(b, n, a, rng);
    const input = randomInput(policy.model, b, rng, avail);
    const out = policy.act(input, true, Rng.fromSeed(1));
    const logits = headsFlat(policy.model, input, out.actions).actor;
    for (let row = 0; row < b * n; row++) {
      let best = -1;
      for (let k = 0; k < a; k++) {
        if (avail[row * a + k] && (best < 0 || logits[row * a + k]! > logits[row * a + best]!)) best = k;
      }
      expect(out.actions[row]).toBe(best);
    }
    // continuous: the means, chained through the levels
    const cont = randomPolicy({ actionSpace: CONTINUOUS });
    const contInput = randomInput(cont.model, b, rng);
    const means = cont.act(contInput, true, Rng.fromSeed(1));
    expect(maxAbsDiff(headsFlat(cont.model, contInput, means.actions).actor, means.actions)).toBeLessThan(
      1e-5,
    );
    policy.model.dispose();
    cont.model.dispose();
  });

  it('is a function of the generator: the same Rng state gives the same joint action, another seed another', () => {
    const policy = randomPolicy();
    const input = randomInput(policy.model, 16, Rng.fromSeed(2));
    const first = policy.act(input, false, Rng.fromSeed(10));
    expect(policy.act(input, false, Rng.fromSeed(10))).toEqual(first);
    expect(policy.act(input, false, Rng.fromSeed(11)).actions).not.toEqual(first.actions);
    policy.model.dispose();
  });

  it('reads the global state and refuses to act without it', () => {
    const policy = randomPolicy();
    expect(policy.readsState).toBe(true);
    const input = { ...randomInput(policy.model, 2, Rng.fromSeed(1)), state: null };
    expect(() => policy.act(input, false, Rng.fromSeed(1))).toThrow(/global state/);
    policy.model.dispose();
  });

  it('act and evaluate leave tf.memory().numTensors unchanged', () => {
    const policy = randomPolicy({ actionSpace: CONTINUOUS });
    const input = randomInput(policy.model, 4, Rng.fromSeed(3));
    const before = tf.memory().numTensors;
    const out = policy.act(input, false, Rng.fromSeed(4));
    evaluateFlat(policy, input, out.actions);
    expect(tf.memory().numTensors).toBe(before);
    policy.model.dispose();
  });
});
