/**
 * MAPPO policy (docs/algos/mappo.md): every agent acts at the same time from its own observation
 * through the one shared actor, independently of the others' actions; the centralised critic gives
 * each agent's value from the global state (or all agents' observations, see MappoNetworkConfig's
 * criticInput). The priority order of the rows plays no part beyond the agent id (row i's one-hot),
 * when the network appends one, and the order of the concatenated observations.
 */
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';
import type { ActOutput, ContinuousRatio, EvaluateOutput, MarlPolicy, PolicyInput } from '../marl.js';
import type { MappoNetwork } from './network.js';

/**
 * Logit of unavailable actions: on-policy's Categorical sets them to −1e10 (distributions.py), the
 * same value as STEER's MASKED_LOGIT; large and finite, so p·log p stays finite.
 */
export const MASKED_LOGIT = -1e10;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export class MappoPolicy implements MarlPolicy {
  /**
   * One PPO ratio per agent row, as on-policy: `FixedNormal.log_probs` sums a Gaussian's
   * log-probabilities over the action dimensions and r_mappo.py takes one ratio of them
   * (onpolicy/algorithms/utils/distributions.py, onpolicy/algorithms/r_mappo/r_mappo.py).
   */
  readonly continuousRatio: ContinuousRatio = 'perRow';

  constructor(readonly model: MappoNetwork) {}

  /** Whether the critic reads the global state (criticInput 'state'); otherwise it is given null. */
  get readsState(): boolean {
    return this.model.config.criticInput === 'state';
  }

  /** Values per row: 1 for discrete actions (an index), A for continuous ones. */
  get actionWidth(): number {
    return this.model.config.actionSpace.kind === 'discrete' ? 1 : this.model.actionDim;
  }

  /**
   * Every agent of every environment chooses at once from its own actor output (one pass of the
   * shared actor over [B, n] rows); `greedy` takes the argmax (or the mean), otherwise actions are
   * sampled with `rng`, env by env, agent by agent.
   */
  act(input: PolicyInput, greedy: boolean, rng: Rng): ActOutput {
    const { batch: b } = input;
    const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = this.model.config;
    const a = this.model.actionDim;
    const [actorOut, valueOut] = tf.tidy(() => {
      const obs = tf.tensor(input.obs, [b, n, o]);
      const state = this.readsState && input.state ? tf.tensor(input.state, [b, s]) : null;
      return [this.model.actor(obs), this.model.critic(this.model.centralInput(obs, state))];
    });
    const out = actorOut!.dataSync() as Float32Array; // [B, n, A]
    const values = valueOut!.dataSync() as Float32Array; // [B, n]
    actorOut!.dispose();
    valueOut!.dispose();
    const w = this.actionWidth;
    const actions = new Float32Array(b * n * w);
    const logProbs = new Float32Array(b * n * w);
    if (actionSpace.kind === 'discrete') {
      for (let row = 0; row < b * n; row++) {
        const offset = row * a;
        if (input.avail) {
          for (let k = 0; k < a; k++) if (!input.avail[offset + k]) out[offset + k] = MASKED_LOGIT;
        }
        const choice = greedy ? argmax(out, offset, a) : rng.categoricalFromLogits(out, offset, a);
        actions[row] = choice;
        logProbs[row] = out[offset + choice]! - logSumExp(out, offset, a);
      }
    } else {
      const std = readTidy(() => this.model.actionStd());
      for (let i = 0; i < b * n * a; i++) {
        const sd = std[i % a]!;
        const mean = out[i]!;
        const x = greedy ? mean : mean + sd * rng.normal();
        actions[i] = x;
        logProbs[i] = -((x - mean) ** 2) / (2 * sd * sd) - Math.log(sd) - LOG_SQRT_2PI;
      }
    }
    return { actions, logProbs, values: Float32Array.from(values) };
  }

  /**
   * Log-probabilities, entropy and values of stored joint actions, all agents at once. Each agent's
   * terms come from its own observation and its own action only (no agent reads another's action).
   * obs [B, n, O]; state [B, S] (null when the critic reads the observations); actions [B, n] int32
   * (discrete) or [B, n, A] float; avail [B, n, A] bool or null. Call inside `tf.tidy` / a gradient
   * function.
   */
  evaluate(
    obs: tf.Tensor,
    state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
  ): EvaluateOutput {
    const out = this.model.actor(obs); // [B, n, A]
    const values = this.model.critic(this.model.centralInput(obs, state)); // [B, n]
    const a = this.model.actionDim;
    if (this.model.config.actionSpace.kind === 'discrete') {
      const logits = avail ? tf.where(avail, out, tf.fill(out.shape, MASKED_LOGIT)) : out;
      const oneHot = tf.oneHot(tf.cast(actions, 'int32'), a); // [B, n, A]
      const logpAll = tf.logSoftmax(logits);
      const logProbs = tf.sum(tf.mul(logpAll, oneHot), 2, true); // [B, n, 1]
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 2, true)); // [B, n, 1]
      return { logProbs, entropy, values };
    }
    const logStd = this.model.actionLogStd(); // [A]
    const std = tf.exp(logStd);
    const z = tf.div(tf.sub(actions, out), std);
    const logProbs = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), LOG_SQRT_2PI); // [B, n, A]
    const entropy = tf.broadcastTo(tf.add(logStd, 0.5 + LOG_SQRT_2PI), out.shape); // [B, n, A]
    return { logProbs, entropy, values };
  }
}

function argmax(x: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (x[offset + k]! > x[offset + best]!) best = k;
  return best;
}

function logSumExp(x: ArrayLike<number>, offset: number, n: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, x[offset + k]!);
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(x[offset + k]! - max);
  return max + Math.log(s);
}
