/**
 * STEP policy (docs/algos/step.md): agents act one level after another in each step's priority
 * order, level j's MLP generated from [j, a_0..a_{j−1}] by the shared hypernetwork; evaluation is
 * teacher-forced over the stored joint action, all levels in one pass. The paper trains
 * asymmetrically and executes symmetrically (its abstract); we read the latter as every agent
 * running the same shared network over the common state, so each can work out (or receive) its
 * superiors' decisions (docs/spec/steer.md §d). One act() call plays all levels with one generator,
 * which gives the joint action every agent would compute with the same draws.
 */
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import type { Rng } from '../../rng.js';
import type { ActOutput, ContinuousRatio, EvaluateOutput, MarlPolicy, PolicyInput } from '../marl.js';
import type { StepModel } from './model.js';

/** Logit of unavailable actions: STEER's MASKED_LOGIT (docs/spec/steer.md §a.5), large and finite. */
export const MASKED_LOGIT = -1e10;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export class StepPolicy implements MarlPolicy {
  /**
   * One PPO ratio per action dimension, as STEER's (docs/spec/steer.md §b.7): STEP has no public
   * code, and its authors' STEER reference takes the ratio this way (docs/algos/step.md).
   */
  readonly continuousRatio: ContinuousRatio = 'perDimension';

  constructor(readonly model: StepModel) {}

  /** Every level reads the common global state (docs/spec/steer.md §d), so the trainer must hand it over. */
  get readsState(): boolean {
    return true;
  }

  /** Values per row: 1 for discrete actions (an index), A for continuous ones. */
  get actionWidth(): number {
    return this.model.config.actionSpace.kind === 'discrete' ? 1 : this.model.actionDim;
  }

  /**
   * A joint action for every environment, level by level: pass i builds agent i's condition from
   * the actions its superiors just chose, runs the hypernetwork and its generated MLP, and chooses
   * (argmax or mean when `greedy`, else a draw from `rng`). Values are V_i(s, a_{<i}).
   */
  act(input: PolicyInput, greedy: boolean, rng: Rng): ActOutput {
    const { batch: b } = input;
    const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = this.model.config;
    if (!input.state)
      throw new Error('StepPolicy.act: every level reads the global state, but none was given');
    const a = this.model.actionDim;
    const c = this.model.conditionDim;
    const inDim = this.model.inputDim;
    const discrete = actionSpace.kind === 'discrete';
    const std = discrete ? null : readTidy(() => this.model.actionStd());
    const w = this.actionWidth;
    const out: ActOutput = {
      actions: new Float32Array(b * n * w),
      logProbs: new Float32Array(b * n * w),
      values: new Float32Array(b * n),
    };
    // leaders' slots [B, (n−1)·A], filled as the levels choose; row i reads the first i of them
    const slots = new Float32Array(b * Math.max(n - 1, 1) * a);
    const x = new Float32Array(b * inDim);
    const cond = new Float32Array(b * c);
    for (let i = 0; i < n; i++) {
      for (let e = 0; e < b; e++) {
        x.set(input.obs.subarray((e * n + i) * o, (e * n + i + 1) * o), e * inDim);
        x.set(input.state.subarray(e * s, (e + 1) * s), e * inDim + o);
        cond.fill(0, e * c, (e + 1) * c);
        cond[e * c + i] = 1;
        if (i > 0) cond.set(slots.subarray(e * (n - 1) * a, (e * (n - 1) + i) * a), e * c + n);
      }
      const [actorOut, valueOut] = tf.tidy(() => {
        const heads = this.model.heads(tf.tensor(x, [b, inDim]), tf.tensor(cond, [b, c]));
        return [heads.actor, heads.values];
      });
      const logits = actorOut!.dataSync() as Float32Array; // [B, A]
      const vals = valueOut!.dataSync() as Float32Array; // [B]
      actorOut!.dispose();
      valueOut!.dispose();
      for (let e = 0; e < b; e++) {
        const row = e * n + i;
        out.values[row] = vals[e]!;
        const slot = i < n - 1 ? (e * (n - 1) + i) * a : -1; // where followers will read this choice
        if (discrete) {
          const choice = chooseDiscrete(logits, e * a, a, input.avail, row, greedy, rng, out);
          if (slot >= 0) slots[slot + choice] = 1;
        } else {
          chooseContinuous(logits, e * a, a, std!, row, greedy, rng, out);
          if (slot >= 0) slots.set(out.actions.subarray(row * a, (row + 1) * a), slot);
        }
      }
    }
    return out;
  }

  /**
   * Teacher-forced pass over stored joint actions: every level's condition from the stored actions
   * of its superiors, then one pass for all B·n rows. Call inside `tf.tidy` / a gradient function.
   * obs [B, n, O]; state [B, S]; actions [B, n] int32 (discrete) or [B, n, A] float; avail [B, n, A] bool or null.
   */
  evaluate(
    obs: tf.Tensor,
    state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
  ): EvaluateOutput {
    if (!state)
      throw new Error('StepPolicy.evaluate: every level reads the global state, but none was given');
    const b = obs.shape[0]!;
    const n = this.model.config.numAgents;
    const a = this.model.actionDim;
    const discrete = this.model.config.actionSpace.kind === 'discrete';
    const rows = tf.reshape(actions, discrete ? [b, n] : [b, n, a]);
    const vectors = discrete ? tf.oneHot(tf.cast(rows, 'int32'), a) : rows; // [B, n, A]
    const leaders = n > 1 ? tf.slice(vectors, [0, 0, 0], [b, n - 1, a]) : null;
    const conditions = tf.reshape(this.model.conditionsFrom(leaders, b), [b * n, this.model.conditionDim]);
    const x = tf.reshape(this.model.inputs(obs, state), [b * n, this.model.inputDim]);
    const heads = this.model.heads(x, conditions);
    const actor = tf.reshape(heads.actor, [b, n, a]);
    const values = tf.reshape(heads.values, [b, n]);
    if (discrete) {
      const logits = avail ? tf.where(avail, actor, tf.fill(actor.shape, MASKED_LOGIT)) : actor;
      const logpAll = tf.logSoftmax(logits); // [B, n, A]
      const logProbs = tf.sum(tf.mul(logpAll, vectors), 2, true); // [B, n, 1]
      const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 2, true)); // [B, n, 1]
      return { logProbs, entropy, values };
    }
    const std = this.model.actionStd(); // [A]
    const logStd = tf.log(std);
    const z = tf.div(tf.sub(rows, actor), std);
    const logProbs = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), LOG_SQRT_2PI); // [B, n, A]
    const entropy = tf.broadcastTo(tf.add(logStd, 0.5 + LOG_SQRT_2PI), [b, n, a]);
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

/** Chooses row `row`'s discrete action from its logits at `logits[offset .. offset+A)` (masked in place). */
function chooseDiscrete(
  logits: Float32Array,
  offset: number,
  a: number,
  avail: Uint8Array | null,
  row: number,
  greedy: boolean,
  rng: Rng,
  out: ActOutput,
): number {
  if (avail) {
    for (let k = 0; k < a; k++) if (!avail[row * a + k]) logits[offset + k] = MASKED_LOGIT;
  }
  const choice = greedy ? argmax(logits, offset, a) : rng.categoricalFromLogits(logits, offset, a);
  out.actions[row] = choice;
  out.logProbs[row] = logits[offset + choice]! - logSumExp(logits, offset, a);
  return choice;
}

/** Chooses row `row`'s continuous action from its means at `means[offset .. offset+A)`. */
function chooseContinuous(
  means: Float32Array,
  offset: number,
  a: number,
  std: Float32Array,
  row: number,
  greedy: boolean,
  rng: Rng,
  out: ActOutput,
): void {
  for (let k = 0; k < a; k++) {
    const mean = means[offset + k]!;
    const s = std[k]!;
    const x = greedy ? mean : mean + s * rng.normal();
    out.actions[row * a + k] = x;
    out.logProbs[row * a + k] = -((x - mean) ** 2) / (2 * s * s) - Math.log(s) - LOG_SQRT_2PI;
  }
}
