/**
 * STEER policy: autoregressive acting over the priority order and teacher-forced evaluation
 * (docs/spec/steer.md §a.5–a.8). Agents are indexed by priority: agent 0 leads everyone, agent j sees
 * the actions of agents 0..j−1. Inputs and outputs of `act` are flat typed arrays (batch-major,
 * then agent, then feature) so the rollout loop does not allocate tensors it must track.
 */
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';
import type { ActOutput, ContinuousRatio, EvaluateOutput, MarlPolicy, PolicyInput } from '../marl.js';
import type { SteerModel } from './model.js';

/** Logit given to unavailable actions: large and finite so p·log p stays finite (§a.5). */
export const MASKED_LOGIT = -1e10;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export type { ActOutput, EvaluateOutput, PolicyInput } from '../marl.js';

export class SteerPolicy implements MarlPolicy {
  /**
   * Discrete acting evaluates all A^(n−1) leader-action combinations in one batched pass when there
   * are at most this many (e.g. 2 agents × 3 actions → 3); otherwise it runs n sequential passes.
   * Both give the same numbers; one wide pass beats n narrow ones when TF.js's per-op cost dominates.
   */
  static readonly MAX_ENUMERATED_COMBOS = 9;

  /** Enumeration limit of this policy (0 forces the sequential passes). */
  maxEnumeratedCombos = SteerPolicy.MAX_ENUMERATED_COMBOS;

  /**
   * One PPO ratio per action dimension, as the STEER reference (docs/spec/steer.md §a.5, §b.7);
   * the ablations share this policy and so the rule.
   */
  readonly continuousRatio: ContinuousRatio = 'perDimension';

  constructor(readonly model: SteerModel) {}

  /** Whether acting and evaluation read the global state (not with the learnable state token). */
  get readsState(): boolean {
    return !this.model.config.useStateToken;
  }

  /** Values per row: 1 for discrete actions (an index), A for continuous ones. */
  get actionWidth(): number {
    return this.model.config.actionSpace.kind === 'discrete' ? 1 : this.model.actionDim;
  }

  /**
   * Choose a joint action for every environment of the batch, one agent after another in priority
   * order (§a.6). The ITB runs once; each pass re-runs only the OTB and heads. `greedy` takes the
   * argmax (or the mean); otherwise actions are sampled with `rng`.
   */
  act(input: PolicyInput, greedy: boolean, rng: Rng): ActOutput {
    const { batch: b } = input;
    const { numAgents: n, obsDim: o, stateDim } = this.model.config;
    const a = this.model.actionDim;
    const discrete = this.model.config.actionSpace.kind === 'discrete';
    const encoded = tf.tidy(() => {
      const obs = tf.tensor(input.obs, [b, n, o]);
      const state =
        input.state && !this.model.config.useStateToken ? tf.tensor(input.state, [b, stateDim]) : null;
      return this.model.encode(obs, state);
    });
    const pass: ActPass = {
      input,
      greedy,
      rng,
      b,
      n,
      a,
      encoded,
      std: discrete ? null : readTidy(() => this.model.actionStd()),
      actions: new Float32Array(b * n * this.actionWidth),
      logProbs: new Float32Array(b * n * this.actionWidth),
      values: new Float32Array(b * n),
      // leader actions fed to the OTB: one-hot rows (discrete) or raw vectors, [B, n−1, A]
      leaders: new Float32Array(b * Math.max(n - 1, 1) * a),
    };
    try {
      const combos = discrete && n > 1 ? a ** (n - 1) : 0;
      if (combos > 0 && combos <= this.maxEnumeratedCombos) this.actAllCombinations(pass, combos);
      else this.actInTurn(pass);
    } finally {
      encoded.dispose();
    }
    return { actions: pass.actions, logProbs: pass.logProbs, values: pass.values };
  }

  /** One decoder pass for all leader-action combinations (exact: position i sees only a_0..a_{i−1}). */
  private actAllCombinations(p: ActPass, combos: number): void {
    const { b, n, a } = p;
    const [actorOut, valueOut] = tf.tidy(() => {
      // [C·B, n+1, D], combination-major: a broadcasting add of zeros, which the wasm backend
      // runs far faster than its Tile kernel (an exact copy: x + 0 = x)
      const [, tokens, d] = p.encoded.shape as [number, number, number];
      const tiled = tf.reshape(
        tf.add(tf.reshape(p.encoded, [1, b, tokens, d]), tf.zeros([combos, 1, 1, 1])),
        [combos * b, tokens, d],
      );
      const heads = this.model.decode(
        tiled,
        tf.tensor(enumerateLeaders(combos, b, n, a), [combos * b, n - 1, a]),
        n,
      );
      return [heads.actor, heads.values];
    });
    const out = actorOut.dataSync() as Float32Array; // [C·B, n, A]
    const vals = valueOut.dataSync() as Float32Array; // [C·B, n]
    actorOut.dispose();
    valueOut.dispose();
    // same loop order (agent outer, env inner) and so the same random draws as the sequential path
    for (let i = 0; i < n; i++) {
      for (let e = 0; e < b; e++) {
        let combo = 0; // leaders' chosen actions as base-A digits; digits from i on are 0
        for (let j = i - 1; j >= 0; j--) combo = combo * a + p.actions[e * n + j]!;
        const row = combo * b + e;
        p.values[e * n + i] = vals[row * n + i]!;
        chooseDiscrete(p, out, (row * n + i) * a, e, i);
      }
    }
  }

  /** One decoder pass per agent position, each given the actions its leaders just chose. */
  private actInTurn(p: ActPass): void {
    const { b, n, a } = p;
    const discrete = p.std === null;
    for (let i = 0; i < n; i++) {
      const [actorOut, valueOut] = tf.tidy(() => {
        const prefix = i > 0 ? tf.slice(tf.tensor(p.leaders, [b, n - 1, a]), [0, 0, 0], [b, i, a]) : null;
        const heads = this.model.decodeLast(p.encoded, prefix, i + 1);
        return [heads.actor, heads.values];
      });
      const out = actorOut.dataSync() as Float32Array; // [B, A]
      const vals = valueOut.dataSync() as Float32Array; // [B]
      actorOut.dispose();
      valueOut.dispose();
      for (let e = 0; e < b; e++) {
        p.values[e * n + i] = vals[e]!;
        if (discrete) {
          const choice = chooseDiscrete(p, out, e * a, e, i);
          if (i < n - 1) p.leaders[(e * (n - 1) + i) * a + choice] = 1;
        } else {
          chooseContinuous(p, out, e, i);
        }
      }
    }
  }

  /**
   * Teacher-forced pass over stored joint actions (§a.7): log-probabilities, entropy and values of
   * all agents at once. Call inside `tf.tidy` / a gradient function.
   * obs [B, n, O]; state [B, S] or null; actions [B, n] int32 (discrete) or [B, n, A] float;
   * avail [B, n, A] bool or null.
   */
  evaluate(
    obs: tf.Tensor,
    state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
  ): EvaluateOutput {
    const b = obs.shape[0]!;
    const n = this.model.config.numAgents;
    const a = this.model.actionDim;
    const encoded = this.model.encode(obs, state);
    if (this.model.config.actionSpace.kind === 'discrete') {
      const oneHot = tf.oneHot(tf.cast(actions, 'int32'), a); // [B, n, A]
      const leaders = n > 1 ? tf.slice(oneHot, [0, 0, 0], [b, n - 1, a]) : null;
      const heads = this.model.decode(encoded, leaders, n);
      const logits = avail
        ? tf.where(avail, heads.actor, tf.fill(heads.actor.shape, MASKED_LOGIT))
        : heads.actor;
      const logpAll = tf.logSoftmax(logits); // [B, n, A]
      const logProbs = tf.sum(tf.mul(logpAll, oneHot), 2, true); // [B, n, 1]
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 2, true)); // [B, n, 1]
      return { logProbs, entropy, values: heads.values };
    }
    const leaders = n > 1 ? tf.slice(actions, [0, 0, 0], [b, n - 1, a]) : null;
    const heads = this.model.decode(encoded, leaders, n);
    const std = this.model.actionStd(); // [A]
    const logStd = tf.log(std);
    const z = tf.div(tf.sub(actions, heads.actor), std);
    const logProbs = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), LOG_SQRT_2PI); // [B, n, A]
    const entropy = tf.broadcastTo(tf.add(logStd, 0.5 + LOG_SQRT_2PI), [b, n, a]);
    return { logProbs, entropy, values: heads.values };
  }
}

/** One-hot leader actions [C·B, n−1, A] for every combination c (base-A digits: agent j's action = digit j). */
function enumerateLeaders(combos: number, b: number, n: number, a: number): Float32Array {
  const out = new Float32Array(combos * b * (n - 1) * a);
  for (let c = 0; c < combos; c++) {
    for (let e = 0; e < b; e++) {
      let rest = c;
      for (let j = 0; j < n - 1; j++) {
        out[((c * b + e) * (n - 1) + j) * a + (rest % a)] = 1;
        rest = Math.floor(rest / a);
      }
    }
  }
  return out;
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

/** One act() call's inputs, outputs and the encoder's tokens, shared by its passes. */
interface ActPass {
  readonly input: PolicyInput;
  readonly greedy: boolean;
  readonly rng: Rng;
  /** Envs, agents, actions (or action dimensions). */
  readonly b: number;
  readonly n: number;
  readonly a: number;
  /** The ITB's output, [B, n+1, D]. */
  readonly encoded: tf.Tensor;
  /** The Gaussian head's standard deviations (continuous actions), else null. */
  readonly std: Float32Array | null;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly leaders: Float32Array;
}

/** Chooses agent i's discrete action in env e from its logits at `out[offset .. offset+A)`. */
function chooseDiscrete(p: ActPass, out: Float32Array, offset: number, e: number, i: number): number {
  const { n, a, input } = p;
  const row = e * n + i;
  if (input.avail) {
    for (let k = 0; k < a; k++) if (!input.avail[row * a + k]) out[offset + k] = MASKED_LOGIT;
  }
  const choice = p.greedy ? argmax(out, offset, a) : p.rng.categoricalFromLogits(out, offset, a);
  p.actions[row] = choice;
  p.logProbs[row] = out[offset + choice]! - logSumExp(out, offset, a);
  return choice;
}

/** Chooses agent i's continuous action in env e from its means at `out[e·A .. e·A+A)`. */
function chooseContinuous(p: ActPass, out: Float32Array, e: number, i: number): void {
  const { n, a } = p;
  const row = e * n + i;
  for (let k = 0; k < a; k++) {
    const mean = out[e * a + k]!;
    const s = p.std![k]!;
    const x = p.greedy ? mean : mean + s * p.rng.normal();
    p.actions[row * a + k] = x;
    p.logProbs[row * a + k] = -((x - mean) ** 2) / (2 * s * s) - Math.log(s) - LOG_SQRT_2PI;
    if (i < n - 1) p.leaders[(e * (n - 1) + i) * a + k] = x;
  }
}
