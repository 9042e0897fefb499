/**
 * What a two-agent discrete STEER policy does in one state: the leader's action distribution and,
 * for every action the leader could take, the follower's distribution given it (the follower's
 * "answer"). Used to watch how a Stackelberg answer forms during training (docs/results/table1-notes.md).
 */
import type { SteerModel } from '../algos/steer/model.js';
import * as tf from '../nn/tf.js';

/** The leader's distribution and the follower's, one row per leader action. */
export interface ConditionalPolicy {
  /** π₀(a₀ | s). */
  readonly leader: number[];
  /** follower[a₀] = π₁(a₁ | s, a₀). */
  readonly follower: number[][];
}

/**
 * Both agents' distributions in the state whose per-agent observations are `obs` ([2 × obsDim],
 * agent 0's first); the model must be discrete with two agents and a state token.
 */
export function conditionalPolicy(model: SteerModel, obs: Float32Array): ConditionalPolicy {
  const { numAgents, obsDim, actionSpace, useStateToken } = model.config;
  if (numAgents !== 2 || actionSpace.kind !== 'discrete' || !useStateToken) {
    throw new Error('conditionalPolicy: needs a two-agent discrete model with a state token');
  }
  if (obs.length !== 2 * obsDim) {
    throw new Error(`conditionalPolicy: expected ${2 * obsDim} observation values, got ${obs.length}`);
  }
  const a = actionSpace.n;
  return tf.tidy(() => {
    // the leader's actions as a batch of a rows: row k asks "what if the leader plays k?"
    const encoded = model.encode(tf.tile(tf.tensor(obs, [1, 2, obsDim]), [a, 1, 1]), null);
    const leaders = tf.reshape(tf.oneHot(tf.range(0, a, 1, 'int32'), a), [a, 1, a]);
    const heads = model.decode(encoded, leaders, 2);
    const probs = tf.softmax(heads.actor).arraySync() as number[][][]; // [a, 2, A]
    return { leader: probs[0]![0]!, follower: probs.map((row) => row[1]!) };
  });
}
