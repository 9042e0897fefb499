/**
 * The STEP network (Zhang, Li, Xu, Li, Fan, IJCAI 2023, arXiv 2304.10351; docs/algos/step.md): an
 * N-level policy built on ONE conditional hypernetwork shared by all agents. The condition of the
 * agent at priority level j is its level and the actions of its superiors a_0..a_{j−1}; from it the
 * hypernetwork generates that level's policy weights, so followers answer the leaders' decisions
 * with their own weights while every parameter stays shared (paper abstract; docs/spec/steer.md §d).
 * No attention anywhere: that, and the generated weights, are what set it apart from STEER.
 *
 *   x_j   = [obs_j, state]                                                  [R, O+S]   (R rows = agents)
 *   e_j   = relu(encoder(LayerNorm(x_j)))                                   [R, D]     shared, not generated
 *   c_j   = [onehot(j) | onehot(a_0) … onehot(a_{j−1}) | 0 …]               [R, n + (n−1)·A]
 *   z_j   = relu(hyper.trunk(c_j))                                          [R, K]     K = hyperDim
 *   θ_j   = base + z_j · fromCondition, for each generated tensor          hidden.l.{weight,bias}, out.{weight,bias}
 *   π_j   = MLP_{θ_j}(e_j): numLayers hidden ReLU layers of width D, then logits (or Gaussian means) [R, A]
 *   V_j   = critic([x_j, c_j])                                              [R]  shared MLP, value of level j
 *
 * Generated tensors are never materialised in the forward pass: h·W(c) with W(c) = base + reshape(z·F)
 * equals h·base + (z ⊗ h)·F', one plain matmul each (`generatedLinear`); `generateWeights` builds them
 * for inspection and tests, which check the two agree. Which layers the paper generates, and all
 * sizes, are not in our sources: we generate every layer after a shared input encoder, because
 * generating an (O+S)×D input layer would cost K·(O+S)·D parameters, millions with HORM's
 * concatenated-observation state (docs/algos/step.md, "Departures").
 */

import type { ActionSpace } from '../../envs/types.js';
import { GAIN_ACTIVATE, GAIN_SMALL, orthogonal } from '../../nn/init.js';
import { layerNorm, linear, ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';

/** Network shape (docs/algos/step.md, "Config knobs"). */
export interface StepModelConfig extends NetworkConfig {
  /** Number of agents n = number of policy levels. */
  numAgents: number;
  /** Observation length per agent O. */
  obsDim: number;
  /** Global state length S: every level reads the common global state (docs/spec/steer.md §d). */
  stateDim: number;
  /** Discrete (logits) or continuous (Gaussian mean) actions. */
  actionSpace: ActionSpace;
  /** Width D of the encoder, of the hypernetwork's hidden layer, of the generated MLP and of the critic (embedDim). */
  embedDim: number;
  /** Hidden layers of each generated policy MLP (numBlocks); the output layer comes on top. */
  numLayers: number;
  /** Width K of the hypernetwork's code z (STEP_HYPER_DIM): each generated tensor costs K times its size. */
  hyperDim: number;
}

/**
 * Width K of the hypernetwork's code z (the paper gives no sizes; our choice). Every generated
 * tensor of size m costs K·m parameters and K·m multiply-adds per row, so a generated D×D hidden
 * layer costs K times an ordinary one. With K = D = 64 the Penalty network had 288,538 parameters
 * (262,144 in one hidden layer's generator) and `steer train --env matrix:penalty0 --algo step
 * --backend cpu --updates 3` took 20 s of CPU against MAPPO's 4 s; K = 8 gives 44,322 parameters
 * and 6 s. The code only has to tell apart the n + (n−1)·A one-hot conditions (5 in a two-agent
 * matrix game).
 */
export const STEP_HYPER_DIM = 8;

/**
 * Gain of the orthogonal init of the hypernetwork's condition-dependent part of the generated
 * hidden layers (the base part gets √2, as an ordinary ReLU layer). 1 makes the leaders' actions
 * move the follower's hidden layer by about a tenth of its base weights at the start; the paper
 * gives no init, so this is our choice.
 */
export const HYPER_HIDDEN_GAIN = 1;

/** One generated tensor: its name in θ, its shape and its init gains (base, condition part). */
interface GeneratedSpec {
  readonly name: string;
  readonly shape: readonly [number] | readonly [number, number];
  readonly baseGain: number;
  readonly conditionGain: number;
}

/** Outputs for R rows (agents of environments). */
export interface StepHeads {
  /** Discrete: unmasked logits [R, A]; continuous: Gaussian means [R, A]. */
  actor: tf.Tensor;
  /** Values in normalised space [R]. */
  values: tf.Tensor;
}

export class StepModel implements MarlNetwork {
  readonly params = new ParamStore();
  readonly actionDim: number;
  /** Length of an agent's policy input [obs_j, state]. */
  readonly inputDim: number;
  /** Length of a condition: level one-hot (n) + the n−1 leader slots of A values each. */
  readonly conditionDim: number;
  /** The tensors of θ_j the hypernetwork generates, in forward order. */
  readonly generated: readonly GeneratedSpec[];

  constructor(
    readonly config: StepModelConfig,
    seed: number,
  ) {
    const { embedDim: d, numAgents: n, obsDim, stateDim, actionSpace, numLayers, hyperDim: k } = config;
    if (n < 1 || obsDim < 1 || stateDim < 1 || d < 1 || numLayers < 1 || k < 1) {
      throw new Error(
        `StepModel: need numAgents, obsDim, stateDim, embedDim, numLayers and hyperDim ≥ 1, got ${n}, ${obsDim}, ${stateDim}, ${d}, ${numLayers}, ${k}`,
      );
    }
    this.actionDim = actionSpace.kind === 'discrete' ? actionSpace.n : actionSpace.dim;
    const a = this.actionDim;
    this.inputDim = obsDim + stateDim;
    this.conditionDim = n + (n - 1) * a;
    const root = Rng.fromSeed(seed);
    const p = this.params;
    const lin = (name: string, inDim: number, outDim: number, gain: number) => {
      p.add(`${name}.weight`, [inDim, outDim], orthogonal(inDim, outDim, gain, root.fork(name)));
      p.add(`${name}.bias`, [outDim], new Float32Array(outDim));
    };
    const ln = (name: string, dim: number) => {
      p.add(`${name}.gamma`, [dim], new Float32Array(dim).fill(1));
      p.add(`${name}.beta`, [dim], new Float32Array(dim));
    };

    // --- shared input encoder (feature normalisation, then one ReLU layer) ---
    ln('inputNorm', this.inputDim);
    lin('encoder', this.inputDim, d, GAIN_ACTIVATE);
    // --- the conditional hypernetwork: trunk over the condition, one head per generated tensor ---
    lin('hyper.trunk', this.conditionDim, k, GAIN_ACTIVATE);
    const specs: GeneratedSpec[] = [];
    for (let l = 0; l < numLayers; l++) {
      specs.push({
        name: `hidden.${l}.weight`,
        shape: [d, d],
        baseGain: GAIN_ACTIVATE,
        conditionGain: HYPER_HIDDEN_GAIN,
      });
      specs.push({ name: `hidden.${l}.bias`, shape: [d], baseGain: 0, conditionGain: HYPER_HIDDEN_GAIN });
    }
    // output layer: small gains so every level starts near the uniform policy (as STEER's heads, §a.2)
    specs.push({ name: 'out.weight', shape: [d, a], baseGain: GAIN_SMALL, conditionGain: GAIN_SMALL });
    specs.push({ name: 'out.bias', shape: [a], baseGain: 0, conditionGain: GAIN_SMALL });
    this.generated = specs;
    for (const g of specs) {
      const size = g.shape.reduce((x, y) => x * y, 1);
      const base =
        g.shape.length === 2 && g.baseGain > 0
          ? orthogonal(g.shape[0], g.shape[1], g.baseGain, root.fork(`hyper.${g.name}.base`))
          : new Float32Array(size);
      p.add(`hyper.${g.name}.base`, [...g.shape], base);
      // row k: what hypernetwork unit k adds to the flattened generated tensor
      p.add(
        `hyper.${g.name}.fromCondition`,
        [k, size],
        orthogonal(k, size, g.conditionGain, root.fork(`hyper.${g.name}.fromCondition`)),
      );
    }
    // --- critic: a shared MLP on [x_j, c_j], the value of level j given its superiors' actions ---
    ln('critic.ln', this.inputDim + this.conditionDim);
    lin('critic.fc1', this.inputDim + this.conditionDim, d, GAIN_ACTIVATE);
    lin('critic.fc2', d, d, GAIN_ACTIVATE);
    lin('critic.out', d, 1, 1);
    // state-independent log-std, std = 0.5·sigmoid(ρ), as STEER (docs/spec/steer.md §a.2 row 14, §a.5)
    if (actionSpace.kind === 'continuous') p.add('logStd', [a], new Float32Array(a).fill(1));
  }

  private w(name: string): tf.Variable {
    return this.params.get(name);
  }

  /** Policy inputs x_j = [obs_j, state]: obs [B, n, O], state [B, S] → [B, n, O+S]. */
  inputs(obs: tf.Tensor, state: tf.Tensor): tf.Tensor {
    const [b, n] = obs.shape as [number, number, number];
    const s = this.config.stateDim;
    // a broadcasting add of zeros copies the state to every agent (cheaper than Tile on wasm)
    const states = tf.add(tf.reshape(state, [b, 1, s]), tf.zeros([1, n, 1])); // [B, n, S]
    return tf.concat([obs, states], 2);
  }

  /** Hypernetwork code z = relu(trunk(c)): conditions [R, C] → [R, K]. */
  hyperFeatures(conditions: tf.Tensor): tf.Tensor {
    return tf.relu(linear(conditions, this.w('hyper.trunk.weight'), this.w('hyper.trunk.bias')));
  }

  /**
   * θ(c) materialised, one set per row: `hidden.l.weight` [R, D, D], `.bias` [R, D], `out.weight`
   * [R, D, A], `out.bias` [R, A]. The forward pass computes the same products without them.
   */
  generateWeights(conditions: tf.Tensor): Record<string, tf.Tensor> {
    const z = this.hyperFeatures(conditions);
    const r = conditions.shape[0]!;
    const out: Record<string, tf.Tensor> = {};
    for (const g of this.generated) {
      const delta = tf.matMul(z, this.w(`hyper.${g.name}.fromCondition`)); // [R, size]
      out[g.name] = tf.add(tf.reshape(delta, [r, ...g.shape]), this.w(`hyper.${g.name}.base`));
    }
    return out;
  }

  /**
   * h · W(c) + b(c) for the generated layer `layer` ("hidden.0", "out"), without building W(c):
   * h·base + (z ⊗ h)·F' + b_base + z·F_b, where F' is `fromCondition` [K, r·c] read as [K·r, c].
   * h [R, r], z [R, K] → [R, c].
   */
  private generatedLinear(h: tf.Tensor, z: tf.Tensor, layer: string): tf.Tensor {
    const [rows, inDim] = h.shape as [number, number];
    const k = z.shape[1]!;
    const base = this.w(`hyper.${layer}.weight.base`);
    const outDim = base.shape[1]!;
    const fw = tf.reshape(this.w(`hyper.${layer}.weight.fromCondition`), [k * inDim, outDim]);
    const outer = tf.reshape(tf.mul(tf.reshape(z, [rows, k, 1]), tf.reshape(h, [rows, 1, inDim])), [
      rows,
      k * inDim,
    ]); // [R, K·r]: entry κ·r + i is z_κ·h_i
    const bias = linear(z, this.w(`hyper.${layer}.bias.fromCondition`), this.w(`hyper.${layer}.bias.base`));
    return tf.add(tf.add(linear(h, base), linear(outer, fw)), bias);
  }

  /** Shared encoder e = relu(encoder(LayerNorm(x))): x [R, O+S] → [R, D]. */
  private encode(x: tf.Tensor): tf.Tensor {
    const normed = layerNorm(x, this.w('inputNorm.gamma'), this.w('inputNorm.beta'));
    return tf.relu(linear(normed, this.w('encoder.weight'), this.w('encoder.bias')));
  }

  /** The generated policy and the critic for R rows: x [R, O+S], conditions [R, C]. */
  heads(x: tf.Tensor, conditions: tf.Tensor): StepHeads {
    const z = this.hyperFeatures(conditions);
    let h = this.encode(x);
    for (let l = 0; l < this.config.numLayers; l++) h = tf.relu(this.generatedLinear(h, z, `hidden.${l}`));
    const actor = this.generatedLinear(h, z, 'out');
    return { actor, values: this.critic(x, conditions) };
  }

  /** V_j(s, a_{<j}) in normalised space: x [R, O+S], conditions [R, C] → [R]. */
  critic(x: tf.Tensor, conditions: tf.Tensor): tf.Tensor {
    const input = layerNorm(
      tf.concat([x, conditions], 1),
      this.w('critic.ln.gamma'),
      this.w('critic.ln.beta'),
    );
    const h1 = tf.relu(linear(input, this.w('critic.fc1.weight'), this.w('critic.fc1.bias')));
    const h2 = tf.relu(linear(h1, this.w('critic.fc2.weight'), this.w('critic.fc2.bias')));
    const v = linear(h2, this.w('critic.out.weight'), this.w('critic.out.bias')); // [R, 1]
    return tf.reshape(v, [x.shape[0]!]);
  }

  /**
   * Every agent's condition from a joint action, teacher-forced: leaders [B, n−1, A] (one-hot rows
   * or raw vectors of agents 0..n−2) → [B, n, C], row j = [onehot(j), leaders 0..j−1, zeros].
   */
  conditionsFrom(leaders: tf.Tensor | null, b: number): tf.Tensor {
    const n = this.config.numAgents;
    const level = tf.add(tf.zeros([b, 1, 1]), tf.reshape(tf.eye(n), [1, n, n])); // [B, n, n]
    if (n === 1 || !leaders) return level;
    const a = this.actionDim;
    const slots = tf.reshape(leaders, [b, 1, (n - 1) * a]);
    return tf.concat([level, tf.mul(slots, leaderSlotMask(n, a))], 2); // [B, n, C]
  }

  /** std = 0.5·sigmoid(ρ), one per action dimension. Continuous models only. */
  actionStd(): tf.Tensor {
    return tf.mul(tf.sigmoid(this.w('logStd')), 0.5);
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.params.count();
  }

  /** Free all tensors of the model. */
  dispose(): void {
    this.params.dispose();
  }
}

/** [1, n, (n−1)·A]: 1 where agent j may see leader slot k (k < j), else 0. */
export function leaderSlotMask(n: number, a: number): tf.Tensor {
  const mask = new Float32Array(n * (n - 1) * a);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) mask.fill(1, (j * (n - 1) + k) * a, (j * (n - 1) + k + 1) * a);
  }
  return tf.tensor(mask, [1, n, (n - 1) * a]);
}
