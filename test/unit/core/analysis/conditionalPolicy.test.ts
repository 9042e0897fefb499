/** conditionalPolicy: the leader's distribution and the follower's answer to each leader action. */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { SteerPolicy } from '../../../../src/core/algos/steer/policy.js';
import { conditionalPolicy } from '../../../../src/core/analysis/conditionalPolicy.js';
import * as tf from '../../../../src/core/nn/tf.js';
import { Rng } from '../../../../src/core/rng.js';
import { randomizeWeights, smallModel } from '../algos/steer/fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('conditionalPolicy', () => {
  it("gives the leader's distribution and, per leader action, the follower's, as the teacher-forced pass does", () => {
    const model = smallModel({ numAgents: 2, obsDim: 5, useStateToken: true });
    randomizeWeights(model, 3); // distinct answers per leader action
    const rng = Rng.fromSeed(4);
    const obs = Float32Array.from({ length: 10 }, () => rng.normal());
    const p = conditionalPolicy(model, obs);
    expect(p.leader).toHaveLength(3);
    expect(p.follower).toHaveLength(3);
    for (const row of [p.leader, ...p.follower]) expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
    // each row equals exp(log-prob) of the matching joint action in SteerPolicy.evaluate
    const policy = new SteerPolicy(model);
    tf.tidy(() => {
      for (let a0 = 0; a0 < 3; a0++) {
        for (let a1 = 0; a1 < 3; a1++) {
          const out = policy.evaluate(
            tf.tensor(obs, [1, 2, 5]),
            null,
            tf.tensor([[a0, a1]], [1, 2], 'int32'),
            null,
          );
          const [l0, l1] = out.logProbs.dataSync();
          expect(Math.exp(l0!)).toBeCloseTo(p.leader[a0]!, 5);
          expect(Math.exp(l1!)).toBeCloseTo(p.follower[a0]![a1]!, 5);
        }
      }
    });
    expect(p.follower[0]).not.toEqual(p.follower[2]); // the answer depends on the leader's action
    model.dispose();
  });

  it('refuses models it cannot read and observations of the wrong length', () => {
    const three = smallModel({ numAgents: 3, useStateToken: true });
    expect(() => conditionalPolicy(three, new Float32Array(15))).toThrow(/two-agent discrete model/);
    three.dispose();
    const two = smallModel({ numAgents: 2, obsDim: 5, useStateToken: true });
    expect(() => conditionalPolicy(two, new Float32Array(9))).toThrow(
      /expected 10 observation values, got 9/,
    );
    two.dispose();
  });
});
