/**
 * jointPolicy: the exact joint action distribution of any registry algorithm's policy on a
 * single-step matrix game, from one teacher-forced pass over all joint actions.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../src/core/algos/algorithmConfig.js';
import type { EvaluateOutput, MarlPolicy } from '../../../../src/core/algos/marl.js';
import { ALGORITHM_NAMES, algorithmNamed } from '../../../../src/core/algos/registry.js';
import { SteerModel } from '../../../../src/core/algos/steer/model.js';
import { bimatrixOf, conditionalPolicy, jointPolicy } from '../../../../src/core/analysis/index.js';
import { MatrixGame } from '../../../../src/core/envs/matrix/index.js';
import * as tf from '../../../../src/core/nn/tf.js';
import { Rng } from '../../../../src/core/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ENV = 'matrix:different_order';
const GAME = new MatrixGame('different_order');
const MIXING = bimatrixOf(GAME.game);
/** The matrix game's reset observation and state: zeros (docs/spec/steer.md §c.1). */
const AT = { obs: new Float32Array(2), state: new Float32Array(2) };

/** Algorithms whose follower does not see the leader's action: its answer rows are all equal. */
const SIMULTANEOUS = new Set(['mappo', 'happo', 'steer-itb-only']);

/** `algo`'s policy for Mixing with generic random weights, so every part of the network matters. */
function randomPolicy(algo: string, seed: number): MarlPolicy {
  const algorithm = algorithmNamed(algo);
  const config = resolveAlgorithmConfig(ENV, { algo, seed });
  const policy = algorithm.makePolicy(algorithm.networkConfig(GAME, config), seed);
  const rng = Rng.fromSeed(seed + 100);
  for (const [name, v] of policy.model.params.entries()) {
    const scale = v.shape.length === 2 && name.endsWith('.weight') ? 1.5 / Math.sqrt(v.shape[0]!) : 0.5;
    const centre = name.endsWith('.gamma') ? 1 : 0;
    const data = Float32Array.from({ length: v.size }, () => centre + scale * rng.normal());
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
  return policy;
}

/** [log π₀(a₀), log π(a₁ | …)] of one joint action, evaluated alone. */
function logProbsOf(policy: MarlPolicy, a0: number, a1: number): [number, number] {
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(AT.obs, [1, 2, 1]),
      policy.readsState ? tf.tensor(AT.state, [1, 2]) : null,
      tf.tensor([[a0, a1]], [1, 2], 'int32'),
      null,
    );
    const [l0, l1] = out.logProbs.dataSync();
    return [l0!, l1!];
  });
}

const sum = (values: readonly number[]) => values.reduce((s, x) => s + x, 0);
const spread = (rows: readonly (readonly number[])[], a1: number) =>
  Math.max(...rows.map((row) => row[a1]!)) - Math.min(...rows.map((row) => row[a1]!));

describe('jointPolicy', () => {
  it.each(ALGORITHM_NAMES)(
    '%s: P(a₀, a₁) is π₀(a₀)·π₁(a₁ | a₀) of each joint action evaluated alone',
    (algo) => {
      const policy = randomPolicy(algo, 3);
      const before = tf.memory().numTensors;
      const p = jointPolicy(policy, MIXING, AT, [0, 0]);
      expect(tf.memory().numTensors).toBe(before); // every tensor of the pass is freed
      expect(sum(p.joint.flat())).toBeCloseTo(1, 5);
      for (let a0 = 0; a0 < 3; a0++) {
        for (let a1 = 0; a1 < 3; a1++) {
          const [l0, l1] = logProbsOf(policy, a0, a1);
          expect(p.joint[a0]![a1]).toBeCloseTo(Math.exp(l0) * Math.exp(l1), 6);
          expect(p.answers[a0]![a1]).toBeCloseTo(Math.exp(l1), 6);
        }
        expect(p.leader[a0]).toBeCloseTo(sum(p.joint[a0]!), 6);
        expect(sum(p.answers[a0]!)).toBeCloseTo(1, 5);
      }
      p.follower.forEach((q, a1) => {
        expect(q).toBeCloseTo(sum(p.joint.map((row) => row[a1]!)), 6);
      });
      for (const agent of [0, 1] as const) {
        const expected = sum(p.joint.flatMap((row, a0) => row.map((q, a1) => q * MIXING[agent][a0]![a1]!)));
        expect(p.expectedPayoffs[agent]).toBeCloseTo(expected, 6);
      }
      expect(p.targetProbability).toBe(p.joint[0]![0]);
      // the follower's answer depends on the leader's action exactly when the algorithm conditions on it
      const largest = Math.max(...[0, 1, 2].map((a1) => spread(p.answers, a1)));
      if (SIMULTANEOUS.has(algo)) expect(largest).toBeLessThan(1e-6);
      else expect(largest).toBeGreaterThan(1e-3);
      policy.model.dispose();
    },
  );

  it("equals STEER's conditional policy: leader times the answer to each leader action", () => {
    const policy = randomPolicy('steer', 5);
    const model = policy.model as SteerModel;
    expect(model).toBeInstanceOf(SteerModel);
    const p = jointPolicy(policy, MIXING, AT);
    const c = conditionalPolicy(model, AT.obs);
    expect(p.targetProbability).toBeNull();
    for (let a0 = 0; a0 < 3; a0++) {
      expect(p.leader[a0]).toBeCloseTo(c.leader[a0]!, 6);
      for (let a1 = 0; a1 < 3; a1++) {
        expect(p.joint[a0]![a1]).toBeCloseTo(c.leader[a0]! * c.follower[a0]![a1]!, 6);
      }
    }
    model.dispose();
  });

  it('refuses a policy whose leader sees its follower, and shapes that do not fit', () => {
    const steer = randomPolicy('steer', 7);
    // agent 0's log-probability taken from agent 1's action: not a leader-first policy
    const peeking: MarlPolicy = {
      model: steer.model,
      actionWidth: 1,
      continuousRatio: 'perDimension',
      readsState: false,
      act: () => {
        throw new Error('not used');
      },
      evaluate: (obs, state, actions, avail): EvaluateOutput => {
        const out = steer.evaluate(obs, state, actions, avail);
        const swapped = tf.reverse(out.logProbs, 1);
        return { ...out, logProbs: swapped };
      },
    };
    expect(() => jointPolicy(peeking, MIXING, AT)).toThrow(/the leader must not see its follower's action/);
    const twoByTwo = bimatrixOf(new MatrixGame('prison').game);
    expect(() => jointPolicy(steer, twoByTwo, AT)).toThrow(
      /the policy has 3 actions per agent, the game is 2×2/,
    );
    expect(() => jointPolicy(steer, MIXING, { ...AT, obs: new Float32Array(3) })).toThrow(
      /expected 2 observation values, got 3/,
    );
    expect(() => jointPolicy(steer, MIXING, AT, [0, 3])).toThrow(/target: expected two actions in 0..2/);
    steer.model.dispose();
  });
});
