/**
 * MAT policy (docs/algos/mat.md): autoregressive acting equals teacher-forced evaluation of the
 * sampled joint action (so PPO's first ratio is 1), the values are the encoder's whatever is
 * sampled, availability masks, greedy acting, the state is never read, seeding and tensor hygiene.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatPolicy } from '../../../../../src/core/algos/mat/index.js';
import { MASKED_LOGIT } from '../../../../../src/core/algos/steer/policy.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  agentSlice,
  CONTINUOUS,
  decoderOutputs,
  evaluateFlat,
  maxAbsDiff,
  randomAvail,
  randomInput,
  randomPolicy,
  smallModel,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

describe('acting autoregressively equals teacher forcing on the sampled actions', () => {
  it('discrete with availability masks: log-probs and values match evaluate; no unavailable action is sampled', () => {
    const policy = randomPolicy({ numAgents: 4, actionSpace: { kind: 'discrete', n: 5 } });
    const rng = Rng.fromSeed(21);
    const b = 32;
    const input = randomInput(policy.model, b, rng, randomAvail(b, 4, 5, rng));
    const acted = policy.act(input, false, Rng.fromSeed(5));
    for (let row = 0; row < b * 4; row++)
      expect(input.avail![row * 5 + acted.actions[row]!], `row ${row}`).toBe(1);
    const evaluated = evaluateFlat(policy, input, acted.actions);
    expect(maxAbsDiff(acted.logProbs, evaluated.logProbs)).toBeLessThan(1e-5);
    expect(maxAbsDiff(acted.values, evaluated.values)).toBeLessThan(1e-6);
    // the samples are not all the same: the test is not passing on a degenerate policy
    expect(new Set(acted.actions).size).toBe(5);
    // and some followers' log-probs differ from what they would be under other leader actions
    const others = Float32Array.from(acted.actions, (x, i) => (i % 4 === 3 ? x : (x + 1) % 5));
    const shiftedLeaders = evaluateFlat(policy, { ...input, avail: null }, others);
    const unmasked = evaluateFlat(policy, { ...input, avail: null }, acted.actions);
    expect(
      maxAbsDiff(agentSlice(shiftedLeaders.entropy, 0, 3, 4, 1), agentSlice(unmasked.entropy, 0, 3, 4, 1)),
    ).toBeGreaterThan(1e-4);
    policy.model.dispose();
  });

  it('continuous: per-dimension log-probs and values match evaluate; entropy is log σ + ½ + ½·log 2π per dimension', () => {
    const policy = randomPolicy({ numAgents: 3, actionSpace: CONTINUOUS });
    const rng = Rng.fromSeed(4);
    const b = 16;
    const input = randomInput(policy.model, b, rng);
    const acted = policy.act(input, false, Rng.fromSeed(9));
    expect(acted.actions.length).toBe(b * 3 * 2);
    expect(acted.logProbs.length).toBe(b * 3 * 2);
    const evaluated = evaluateFlat(policy, input, acted.actions);
    expect(maxAbsDiff(acted.logProbs, evaluated.logProbs)).toBeLessThan(1e-4);
    expect(maxAbsDiff(acted.values, evaluated.values)).toBeLessThan(1e-6);
    const std = tf.tidy(() => Array.from(policy.model.actionStd().dataSync()));
    for (let i = 0; i < evaluated.entropy.length; i++) {
      expect(evaluated.entropy[i]).toBeCloseTo(Math.log(std[i % 2]!) + 0.5 + LOG_SQRT_2PI, 5);
    }
    policy.model.dispose();
  });

  it('greedy discrete acting takes each agent’s argmax given its leaders’ greedy actions; greedy continuous acting returns the means', () => {
    const policy = randomPolicy({ numAgents: 3, actionSpace: { kind: 'discrete', n: 4 } });
    const rng = Rng.fromSeed(13);
    const b = 8;
    const input = randomInput(policy.model, b, rng, randomAvail(b, 3, 4, rng));
    const acted = policy.act(input, true, Rng.fromSeed(1));
    const logits = decoderOutputs(policy.model, input.obs, b, acted.actions);
    for (let row = 0; row < b * 3; row++) {
      const masked = Array.from({ length: 4 }, (_, k) =>
        input.avail![row * 4 + k] ? logits[row * 4 + k]! : MASKED_LOGIT,
      );
      expect(acted.actions[row], `row ${row}`).toBe(masked.indexOf(Math.max(...masked)));
    }
    policy.model.dispose();

    const gaussianPolicy = randomPolicy({ numAgents: 3, actionSpace: CONTINUOUS });
    const cInput = randomInput(gaussianPolicy.model, b, rng);
    const means = gaussianPolicy.act(cInput, true, Rng.fromSeed(1));
    const teacherForced = decoderOutputs(gaussianPolicy.model, cInput.obs, b, means.actions);
    expect(maxAbsDiff(means.actions, teacherForced)).toBeLessThan(1e-5);
    gaussianPolicy.model.dispose();
  });
});

describe('values and inputs', () => {
  it('act’s values are the encoder’s: the same whatever actions are sampled, and equal to greedy acting’s', () => {
    const policy = randomPolicy();
    const input = randomInput(policy.model, 10, Rng.fromSeed(6));
    const one = policy.act(input, false, Rng.fromSeed(1));
    const two = policy.act(input, false, Rng.fromSeed(2));
    const greedy = policy.act(input, true, Rng.fromSeed(3));
    expect(Array.from(two.actions)).not.toEqual(Array.from(one.actions));
    expect(Array.from(two.values)).toEqual(Array.from(one.values));
    expect(Array.from(greedy.values)).toEqual(Array.from(one.values));
    policy.model.dispose();
  });

  it('the state is never read (readsState false; any state, or none, gives the same outputs)', () => {
    const policy = randomPolicy();
    expect(policy.readsState).toBe(false);
    const input = randomInput(policy.model, 6, Rng.fromSeed(7));
    const withState = policy.act(input, false, Rng.fromSeed(1));
    const without = policy.act({ ...input, state: null }, false, Rng.fromSeed(1));
    expect(without).toEqual(withState);
    const evalWith = evaluateFlat(policy, input, withState.actions);
    const evalWithout = evaluateFlat(policy, { ...input, state: null }, withState.actions);
    expect(evalWithout).toEqual(evalWith);
    policy.model.dispose();
  });

  it('is seeded: the same rng state gives the same actions; actionWidth is 1 (discrete) or A (continuous)', () => {
    const policy = randomPolicy();
    const input = randomInput(policy.model, 12, Rng.fromSeed(8));
    expect(policy.act(input, false, Rng.fromSeed(4))).toEqual(policy.act(input, false, Rng.fromSeed(4)));
    expect(policy.actionWidth).toBe(1);
    policy.model.dispose();
    const continuous = new MatPolicy(smallModel({ actionSpace: CONTINUOUS }));
    expect(continuous.actionWidth).toBe(2);
    continuous.model.dispose();
  });

  it('act and evaluate leave tf.memory().numTensors unchanged', () => {
    for (const space of [{ kind: 'discrete', n: 3 } as const, CONTINUOUS]) {
      const policy = randomPolicy({ actionSpace: space });
      const input = randomInput(policy.model, 5, Rng.fromSeed(2));
      const acted = policy.act(input, false, Rng.fromSeed(1)); // warm-up
      const before = tf.memory().numTensors;
      policy.act(input, false, Rng.fromSeed(1));
      policy.act(input, true, Rng.fromSeed(1));
      evaluateFlat(policy, input, acted.actions);
      expect(tf.memory().numTensors, space.kind).toBe(before);
      policy.model.dispose();
    }
  });
});
