/**
 * HAPPO policy: simultaneous, decentralised acting (each agent samples from its own actor given its
 * own observation, nobody sees another's action) and the per-agent evaluation the sequential update
 * needs (Kuba et al., ICLR 2022; HARL's StochasticPolicy, harl/models/policy_models/stochastic_policy.py).
 *
 * Agent identity. The trainer hands a policy each step's agents in priority order (src/core/algos/marl.ts),
 * but HAPPO's actors belong to agents, not to positions: the actor of the agent at position p is
 * `actor.<order[p]>`, where `order` maps positions to env agent indices. `act` and `evaluate` take that
 * map as an optional extra (`HappoPolicyInput.order`, `evaluate(…, order)`); without it they assume the
 * identity, which is what every env gives under its default priority rule (matrix games; HORM with
 * 'index'). The PPO interface cannot pass it yet: docs/algos/happo.md ("Agent identity") says what
 * it needs, and the update refuses a rollout whose priorities were not the identity unless `act` was
 * given the map (`hasSeenAgentOrder`).
 */
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';
import type { ActOutput, ContinuousRatio, EvaluateOutput, MarlPolicy, PolicyInput } from '../marl.js';
import { MASKED_LOGIT } from '../steer/policy.js';
import type { HappoNetwork } from './network.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** PolicyInput plus the env agent index at each priority position. */
export interface HappoPolicyInput extends PolicyInput {
  /** [B, n]: entry p of a row is the env agent deciding p-th; null or absent = the identity. */
  order?: Int32Array | null;
}

/** One agent's teacher-forced evaluation. */
export interface AgentEvaluation {
  /** [B, width]: one column (discrete) or one per action dimension (continuous). */
  logProbs: tf.Tensor;
  /** [B, width] */
  entropy: tf.Tensor;
}

export class HappoPolicy implements MarlPolicy {
  /** True once `act` was given an agent order: the update then trusts any priority order. */
  hasSeenAgentOrder = false;

  /**
   * One PPO ratio per agent row, the product over the action dimensions (HARL's
   * `action_aggregation: prod`, harl/algorithms/actors/happo.py); happo/losses.ts applies it.
   */
  readonly continuousRatio: ContinuousRatio = 'perRow';

  constructor(readonly model: HappoNetwork) {}

  /** The critic reads the global state, always (HAPPO's V(s) is centralised). */
  get readsState(): boolean {
    return true;
  }

  /** Values per row: 1 for discrete actions (an index), A for continuous ones. */
  get actionWidth(): number {
    return this.model.config.actionSpace.kind === 'discrete' ? 1 : this.model.actionDim;
  }

  /**
   * A joint action for every environment: agent j's actor on agent j's observation, all agents at
   * once (simultaneous execution). Rows of `input` and of the output are in priority order; values
   * are V_{order[p]}(s) for position p. `greedy` takes the argmax (or the mean).
   */
  act(input: HappoPolicyInput, greedy: boolean, rng: Rng): ActOutput {
    const { batch: b } = input;
    const { numAgents: n, obsDim: o, stateDim } = this.model.config;
    const a = this.model.actionDim;
    const w = this.actionWidth;
    if (!input.state) throw new Error('HappoPolicy.act: the centralised critic needs the global state');
    if (input.order) this.hasSeenAgentOrder = true;
    const order = input.order ?? identityOrder(b, n);
    const position = positionsOf(order, b, n);
    const out: ActOutput = {
      actions: new Float32Array(b * n * w),
      logProbs: new Float32Array(b * n * w),
      values: new Float32Array(b * n),
    };
    // --- the critic: every agent's value from the one state, written at each agent's position ---
    const state = input.state;
    const v = readTidy(() => this.model.critic(tf.tensor(state, [b, stateDim]))); // [B, n], agent order
    for (let e = 0; e < b; e++) {
      for (let p = 0; p < n; p++) out.values[e * n + p] = v[e * n + order[e * n + p]!]!;
    }
    // --- each actor on its own agent's observation ---
    const obs = new Float32Array(b * o);
    for (let j = 0; j < n; j++) {
      for (let e = 0; e < b; e++) {
        const row = e * n + position[e * n + j]!;
        obs.set(input.obs.subarray(row * o, (row + 1) * o), e * o);
      }
      const head = readTidy(() => this.model.actor(j, tf.tensor(obs, [b, o]))); // [B, A]
      const std = w === 1 ? null : readTidy(() => this.model.actionStd(j));
      for (let e = 0; e < b; e++) {
        const row = e * n + position[e * n + j]!;
        if (std === null) chooseDiscrete(head, e * a, a, row, input.avail, greedy, rng, out);
        else chooseContinuous(head, e * a, std, row, greedy, rng, out);
      }
    }
    return out;
  }

  /**
   * Agent j's log-probabilities and entropy of stored actions, on its own actor only (what the
   * sequential update differentiates). obs [B, O]; actions [B] int32 (discrete) or [B, A];
   * avail [B, A] bool or null. Call inside `tf.tidy` / a gradient function.
   */
  agentEvaluate(agent: number, obs: tf.Tensor, actions: tf.Tensor, avail: tf.Tensor | null): AgentEvaluation {
    const head = this.model.actor(agent, obs); // [B, A]
    if (this.model.config.actionSpace.kind === 'discrete') {
      const logits = avail ? tf.where(avail, head, tf.fill(head.shape, MASKED_LOGIT)) : head;
      const logpAll = tf.logSoftmax(logits); // [B, A]
      const oneHot = tf.oneHot(tf.cast(actions, 'int32'), this.model.actionDim); // [B, A]
      return {
        logProbs: tf.sum(tf.mul(logpAll, oneHot), 1, true), // [B, 1]
        entropy: tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 1, true)), // [B, 1]
      };
    }
    const std = this.model.actionStd(agent); // [A]
    const logStd = tf.log(std);
    const z = tf.div(tf.sub(actions, head), std);
    return {
      logProbs: tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), LOG_SQRT_2PI), // [B, A]
      entropy: tf.broadcastTo(tf.add(logStd, 0.5 + LOG_SQRT_2PI), head.shape),
    };
  }

  /**
   * Teacher-forced log-probabilities, entropy and values of stored joint actions, rows in priority
   * order (the MarlPolicy contract); `order` [B, n] maps positions to agents (identity when null).
   * obs [B, n, O]; state [B, S]; actions [B, n] int32 or [B, n, A]; avail [B, n, A] bool or null.
   */
  evaluate(
    obs: tf.Tensor,
    state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
    order: Int32Array | null = null,
  ): EvaluateOutput {
    if (!state) throw new Error('HappoPolicy.evaluate: the centralised critic needs the global state');
    const b = obs.shape[0]!;
    const { numAgents: n, obsDim: o } = this.model.config;
    const a = this.model.actionDim;
    const w = this.actionWidth;
    const ord = order ?? identityOrder(b, n);
    const position = positionsOf(ord, b, n);
    const flatObs = tf.reshape(obs, [b * n, o]);
    const flatActions = tf.reshape(actions, w === 1 ? [b * n] : [b * n, a]);
    const flatAvail = avail ? tf.reshape(avail, [b * n, a]) : null;
    const logProbs: tf.Tensor[] = [];
    const entropy: tf.Tensor[] = [];
    for (let j = 0; j < n; j++) {
      // agent j's row of every env
      const rows = tf.tensor1d(
        Int32Array.from({ length: b }, (_, e) => e * n + position[e * n + j]!),
        'int32',
      );
      const pick = (t: tf.Tensor) => tf.gather(t, rows);
      const r = this.agentEvaluate(j, pick(flatObs), pick(flatActions), flatAvail ? pick(flatAvail) : null);
      logProbs.push(r.logProbs);
      entropy.push(r.entropy);
    }
    // agent-major [n·B, w] back to [B, n, w] in priority order: row (e, p) is agent ord[e, p]'s row e
    const back = tf.tensor1d(
      Int32Array.from({ length: b * n }, (_, i) => ord[i]! * b + Math.floor(i / n)),
      'int32',
    );
    const reorder = (parts: tf.Tensor[]) => tf.reshape(tf.gather(tf.concat(parts, 0), back), [b, n, w]);
    const agentValues = tf.reshape(this.model.critic(state), [b * n]); // agent order
    const valueRows = tf.tensor1d(
      Int32Array.from({ length: b * n }, (_, i) => Math.floor(i / n) * n + ord[i]!),
      'int32',
    );
    return {
      logProbs: reorder(logProbs),
      entropy: reorder(entropy),
      values: tf.reshape(tf.gather(agentValues, valueRows), [b, n]),
    };
  }
}

/** [B, n] identity orders: position p is agent p in every row. */
export function identityOrder(b: number, n: number): Int32Array {
  return Int32Array.from({ length: b * n }, (_, i) => i % n);
}

/**
 * The inverse of `order` row by row: entry (e, j) is the position of agent j in row e. Refuses a
 * row that is not a permutation of 0..n−1, naming it.
 */
export function positionsOf(order: Int32Array, b: number, n: number): Int32Array {
  if (order.length !== b * n)
    throw new Error(`HappoPolicy: order has ${order.length} entries, expected ${b * n}`);
  const position = new Int32Array(b * n).fill(-1);
  for (let e = 0; e < b; e++) {
    for (let p = 0; p < n; p++) {
      const agent = order[e * n + p]!;
      if (agent < 0 || agent >= n || position[e * n + agent] !== -1) {
        throw new Error(
          `HappoPolicy: order row ${e} [${Array.from(order.subarray(e * n, (e + 1) * n))}] is not a permutation of 0..${n - 1}`,
        );
      }
      position[e * n + agent] = p;
    }
  }
  return position;
}

/** Argmax or a seeded draw from the masked logits at `head[offset …]`, stored at output row `row`. */
function chooseDiscrete(
  head: Float32Array,
  offset: number,
  a: number,
  row: number,
  avail: Uint8Array | null,
  greedy: boolean,
  rng: Rng,
  out: ActOutput,
): void {
  if (avail) for (let k = 0; k < a; k++) if (!avail[row * a + k]) head[offset + k] = MASKED_LOGIT;
  let best = 0;
  let max = -Infinity;
  for (let k = 0; k < a; k++) {
    if (head[offset + k]! > max) {
      max = head[offset + k]!;
      best = k;
    }
  }
  let sum = 0;
  for (let k = 0; k < a; k++) sum += Math.exp(head[offset + k]! - max);
  const choice = greedy ? best : rng.categoricalFromLogits(head, offset, a);
  out.actions[row] = choice;
  out.logProbs[row] = head[offset + choice]! - max - Math.log(sum);
}

/** The mean or a seeded Gaussian draw around `head[offset …]`, stored at output row `row`. */
function chooseContinuous(
  head: Float32Array,
  offset: number,
  std: Float32Array,
  row: number,
  greedy: boolean,
  rng: Rng,
  out: ActOutput,
): void {
  const a = std.length;
  for (let k = 0; k < a; k++) {
    const mean = head[offset + k]!;
    const s = std[k]!;
    const x = greedy ? mean : mean + s * rng.normal();
    out.actions[row * a + k] = x;
    out.logProbs[row * a + k] = -((x - mean) ** 2) / (2 * s * s) - Math.log(s) - LOG_SQRT_2PI;
  }
}
