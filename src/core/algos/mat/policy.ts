/**
 * MAT policy: autoregressive acting over the priority order and teacher-forced evaluation (Wen et
 * al. 2022, the paper's Figure 2; PKU-MARL/Multi-Agent-Transformer,
 * mat/algorithms/utils/transformer_act.py and ma_transformer.py › get_actions, forward). The encoder
 * runs once per step and gives every agent's value; the decoder then chooses agent 0's action from
 * the start token, agent 1's from the start token and a_0, and so on. Inputs and outputs of `act`
 * are flat typed arrays (batch-major, then agent, then feature), as src/core/algos/marl.ts asks.
 */
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';
import type { ActOutput, ContinuousRatio, EvaluateOutput, MarlPolicy, PolicyInput } from '../marl.js';
import { MASKED_LOGIT } from '../steer/policy.js';
import { type MatModel, oneHotFloat } from './model.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export class MatPolicy implements MarlPolicy {
  /** MAT reads the agents' observations only (its code replaces the state by a zero placeholder). */
  readonly readsState = false;

  /**
   * One PPO ratio per action dimension, as MAT's trainer (mat/algorithms/mat/mat_trainer.py takes
   * the ratio of the [rows, A] log-probabilities of transformer_act.py › continuous_parallel_act).
   */
  readonly continuousRatio: ContinuousRatio = 'perDimension';

  constructor(readonly model: MatModel) {}

  /** Values per row: 1 for discrete actions (an index), A for continuous ones. */
  get actionWidth(): number {
    return this.model.config.actionSpace.kind === 'discrete' ? 1 : this.model.actionDim;
  }

  /**
   * A joint action for every environment of the batch (transformer_act.py › *_autoregreesive_act):
   * the encoder once, then one decoder pass per agent in priority order, each fed the actions its
   * leaders just chose. Values come from the encoder, before any action is chosen.
   */
  act(input: PolicyInput, greedy: boolean, rng: Rng): ActOutput {
    const { batch: b } = input;
    const { numAgents: n, obsDim: o } = this.model.config;
    const discrete = this.model.config.actionSpace.kind === 'discrete';
    const w = this.model.shiftedWidth;
    const [rep, valueTensor] = tf.tidy(() => {
      const encoded = this.model.encode(tf.tensor(input.obs, [b, n, o]));
      return [encoded.rep, encoded.values];
    });
    const pass: ActPass = {
      input,
      greedy,
      rng,
      n,
      a: this.model.actionDim,
      w,
      std: discrete ? null : readTidy(() => this.model.actionStd()),
      actions: new Float32Array(b * n * this.actionWidth),
      logProbs: new Float32Array(b * n * this.actionWidth),
      shifted: new Float32Array(b * n * w),
    };
    // the start token: discrete rows carry a flag in column 0; continuous ones are all zeros
    if (discrete) for (let e = 0; e < b; e++) pass.shifted[e * n * w] = 1;
    try {
      for (let i = 0; i < n; i++) this.decodeAgent(pass, rep, i, b);
      return {
        actions: pass.actions,
        logProbs: pass.logProbs,
        values: valueTensor.dataSync() as Float32Array,
      };
    } finally {
      rep.dispose();
      valueTensor.dispose();
    }
  }

  /** Agent i's decoder pass (positions 0..i) and its choice in every env; its action feeds row i+1. */
  private decodeAgent(p: ActPass, rep: tf.Tensor, i: number, b: number): void {
    const { n, a, w } = p;
    const out = readTidy(() => {
      const prefix = tf.slice(tf.tensor(p.shifted, [b, n, w]), [0, 0, 0], [b, i + 1, w]);
      const heads = this.model.decode(rep, prefix, i + 1); // [B, i+1, A]
      return tf.slice(heads, [0, i, 0], [b, 1, a]); // [B, A]
    });
    for (let e = 0; e < b; e++) {
      if (p.std === null) {
        const choice = chooseDiscrete(p, out, e, i);
        if (i + 1 < n) p.shifted[(e * n + i + 1) * w + 1 + choice] = 1;
      } else {
        chooseContinuous(p, out, e, i);
      }
    }
  }

  /**
   * Teacher-forced pass over stored joint actions (ma_transformer.py › forward,
   * transformer_act.py › *_parallel_act): log-probabilities and entropy of every agent given the
   * leaders' stored actions, and the encoder's values. Call inside `tf.tidy` / a gradient function.
   * obs [B, n, O]; state ignored; actions [B, n] int32 (discrete) or [B, n, A] float; avail
   * [B, n, A] bool or null.
   */
  evaluate(
    obs: tf.Tensor,
    _state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
  ): EvaluateOutput {
    const b = obs.shape[0]!;
    const n = this.model.config.numAgents;
    const a = this.model.actionDim;
    const { rep, values } = this.model.encode(obs);
    const out = this.model.decode(rep, this.model.shiftedActions(actions), n); // [B, n, A]
    if (this.model.config.actionSpace.kind === 'discrete') {
      const logits = avail ? tf.where(avail, out, tf.fill(out.shape, MASKED_LOGIT)) : out;
      const logpAll = tf.logSoftmax(logits); // [B, n, A]
      const oneHot = oneHotFloat(actions, a); // [B, n, A]
      const logProbs = tf.sum(tf.mul(logpAll, oneHot), 2, true); // [B, n, 1]
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 2, true)); // [B, n, 1]
      return { logProbs, entropy, values };
    }
    const std = this.model.actionStd(); // [A]
    const logStd = tf.log(std);
    const z = tf.div(tf.sub(actions, out), std);
    const logProbs = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), LOG_SQRT_2PI); // [B, n, A]
    const entropy = tf.broadcastTo(tf.add(logStd, 0.5 + LOG_SQRT_2PI), [b, n, a]);
    return { logProbs, entropy, values };
  }
}

/** One act() call's inputs and outputs, shared by its decoder passes. */
interface ActPass {
  readonly input: PolicyInput;
  readonly greedy: boolean;
  readonly rng: Rng;
  /** Agents, actions (or action dimensions), width of a shifted-action row. */
  readonly n: number;
  readonly a: number;
  readonly w: number;
  /** The Gaussian head's standard deviations (continuous actions), else null. */
  readonly std: Float32Array | null;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  /** The decoder's input [B, n, w]: start token, then each leader's action as it is chosen. */
  readonly shifted: Float32Array;
}

/** Chooses agent i's discrete action in env e from its logits at `out[e·A .. e·A+A)`; masks first. */
function chooseDiscrete(p: ActPass, out: Float32Array, e: number, i: number): number {
  const { n, a, input } = p;
  const row = e * n + i;
  const offset = e * a;
  if (input.avail) {
    for (let k = 0; k < a; k++) if (!input.avail[row * a + k]) out[offset + k] = MASKED_LOGIT;
  }
  let choice = 0;
  if (p.greedy) {
    for (let k = 1; k < a; k++) if (out[offset + k]! > out[offset + choice]!) choice = k;
  } else {
    choice = p.rng.categoricalFromLogits(out, offset, a);
  }
  let max = -Infinity;
  for (let k = 0; k < a; k++) max = Math.max(max, out[offset + k]!);
  let sum = 0;
  for (let k = 0; k < a; k++) sum += Math.exp(out[offset + k]! - max);
  p.actions[row] = choice;
  p.logProbs[row] = out[offset + choice]! - max - Math.log(sum);
  return choice;
}

/** Chooses agent i's continuous action in env e from its means; the sample feeds row i+1. */
function chooseContinuous(p: ActPass, out: Float32Array, e: number, i: number): void {
  const { n, a, w } = p;
  const row = e * n + i;
  for (let k = 0; k < a; k++) {
    const mean = out[e * a + k]!;
    const s = p.std![k]!;
    const x = p.greedy ? mean : mean + s * p.rng.normal();
    p.actions[row * a + k] = x;
    p.logProbs[row * a + k] = -((x - mean) ** 2) / (2 * s * s) - Math.log(s) - LOG_SQRT_2PI;
    if (i + 1 < n) p.shifted[(row + 1) * w + k] = x;
  }
}
