/**
 * The STEER network (docs/spec/steer.md §a): one transformer for all agents, actor and critic together.
 *
 *   tokens  = [state token | state encoding, obsEncoder(obs_0), …, obsEncoder(obs_{n−1})]   [B, n+1, D]
 *   ITB     = unmasked blocks over tokens → s0 (state representation), r_j (agent j)       [B, n+1, D]
 *   Z       = [s0, actEnc(a_0), …, actEnc(a_{n−2})] + P                                    [B, n, D]
 *   OTB     = causal blocks over Z: position j sees s0 and a_0..a_{j−1}
 *   h_j     = seqLn(u + outMlp(u)), u = OTB(Z)_j + r_j
 *   heads   = actor (logits or Gaussian mean) and critic (value) on each h_j
 *
 * Follows the reference code, not the paper, where they differ (§a.12). Departures that do not
 * change any number: the OTB input drops the last action token (its output is discarded and, being
 * last under a causal mask, it influences nothing — §a.4); the ITB runs once per step (§e.8).
 * Unused reference modules (obs_proj, Steer.ln, the unused encoder) are omitted (§a.2).
 */

import type { ActionSpace } from '../../envs/types.js';
import { GAIN_ACTIVATE, GAIN_SMALL, normal, orthogonal } from '../../nn/init.js';
import { attention, causalMask, gelu, layerNorm, linear, ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';

/** Network shape and options (docs/spec/steer.md §a.2, §b.10). */
export interface SteerModelConfig extends NetworkConfig {
  /** Number of agents n (the length of the priority order). */
  numAgents: number;
  /** Observation length per agent O. */
  obsDim: number;
  /** Global state length S (used only when useStateToken is false). */
  stateDim: number;
  /** Discrete (logits) or continuous (Gaussian mean) actions. */
  actionSpace: ActionSpace;
  /** Embedding width D (n_embd). */
  embedDim: number;
  /** Attention heads H (n_head); D must be divisible by H. */
  numHeads: number;
  /** Blocks L in each of ITB and OTB (n_block). */
  numBlocks: number;
  /** Learnable state token (add_state_token) instead of encoding agent 0's copy of the state. */
  useStateToken: boolean;
  /**
   * Gain of the action encoder's orthogonal init; the reference uses √2 (§a.2 row 6). Larger values
   * make the leaders' actions stand out against the N(0, 1) position embedding from the start, which
   * docs/results/table1.md shows decides the Penalty games. Not a reference knob.
   */
  actionEncoderGain?: number;
}

/** Defaults of docs/spec/steer.md §b.10 with the matrix/highway scripts' state token (§b.11). */
export const DEFAULT_MODEL_OPTIONS = {
  embedDim: 64,
  numHeads: 1,
  numBlocks: 1,
  useStateToken: true,
} as const;

/** Output of the trunk + heads for the first t agents in priority order. */
export interface SteerHeads {
  /** Discrete: masked-free logits [B, t, A]; continuous: Gaussian means [B, t, A]. */
  actor: tf.Tensor;
  /** Values in normalised space [B, t]. */
  values: tf.Tensor;
}

/**
 * Extension points for variants of this network (src/core/algos/steer-ablations): `addInner` /
 * `inner` build and run the ITB, `addOuter` / `outer` the action encoder, position embedding and
 * OTB. The hooks run inside this constructor, so a subclass must not rely on its own instance fields
 * in them (they are initialised only after `super` returns).
 */
export class SteerModel implements MarlNetwork {
  readonly params = new ParamStore();
  readonly actionDim: number;
  private readonly masks: tf.Tensor[] = [];
  /** Every parameter's initial values fork this stream by name, in registration order. */
  protected readonly initRng: Rng;

  constructor(
    readonly config: SteerModelConfig,
    seed: number,
  ) {
    const { embedDim: d, numHeads, numAgents, obsDim, stateDim, actionSpace } = config;
    if (d % numHeads !== 0)
      throw new Error(`SteerModel: embedDim ${d} is not divisible by numHeads ${numHeads}`);
    if (numAgents < 1 || obsDim < 1) throw new Error(`SteerModel: need numAgents ≥ 1 and obsDim ≥ 1`);
    if (!config.useStateToken && stateDim < 1)
      throw new Error('SteerModel: state encoder needs stateDim ≥ 1');
    this.actionDim = actionSpace.kind === 'discrete' ? actionSpace.n : actionSpace.dim;
    const a = this.actionDim;
    this.initRng = Rng.fromSeed(seed);
    const p = this.params;

    // --- encoders (§a.2 rows 1–2) ---
    this.addLayerNorm('obsEncoder.ln', obsDim);
    this.addLinear('obsEncoder.linear', obsDim, d, GAIN_ACTIVATE);
    if (config.useStateToken) {
      p.add('stateToken', [1, d], normal(d, 0, 0.02, this.initRng.fork('stateToken')));
    } else {
      this.addLayerNorm('stateEncoder.ln', stateDim);
      this.addLinear('stateEncoder.linear', stateDim, d, GAIN_ACTIVATE);
    }
    // --- ITB (§a.2 row 4) ---
    this.addInner();
    // --- action encoder, position embedding and OTB (§a.2 rows 6–8) ---
    this.addOuter();
    // --- output MLP, final norm, heads (§a.2 rows 10–13) ---
    this.addLayerNorm('outProj.ln', d);
    this.addLinear('outProj.fc1', d, d, GAIN_ACTIVATE);
    this.addLinear('outProj.fc2', d, d, GAIN_SMALL);
    this.addLayerNorm('seqLn', d);
    for (const [head, out] of [
      ['actorHead', a],
      ['criticHead', 1],
    ] as const) {
      this.addLinear(`${head}.fc1`, d, d, GAIN_ACTIVATE);
      this.addLayerNorm(`${head}.ln`, d);
      this.addLinear(`${head}.fc2`, d, out, GAIN_SMALL);
    }
    if (actionSpace.kind === 'continuous') p.add('logStd', [a], new Float32Array(a).fill(1)); // §a.2 row 14
    for (let t = 1; t <= numAgents; t++) this.masks.push(tf.keep(causalMask(t)));
  }

  /** ITB parameters (§a.2 row 4): L unmasked blocks. */
  protected addInner(): void {
    for (let l = 0; l < this.config.numBlocks; l++) this.addBlock(`itb.${l}`);
  }

  /** Action encoder, position embedding and OTB parameters (§a.2 rows 6–8). */
  protected addOuter(): void {
    const { embedDim: d, numAgents, numBlocks } = this.config;
    this.addActionEncoder();
    this.params.add(
      'positionEmbedding',
      [numAgents + 1, d],
      normal((numAgents + 1) * d, 0, 1, this.initRng.fork('positionEmbedding')),
    );
    for (let l = 0; l < numBlocks; l++) this.addBlock(`otb.${l}`);
  }

  /** Action encoder (§a.2 row 6): no bias for one-hot discrete actions. */
  protected addActionEncoder(): void {
    const { embedDim: d, actionSpace, actionEncoderGain } = this.config;
    this.addLinear(
      'actionEncoder',
      this.actionDim,
      d,
      actionEncoderGain ?? GAIN_ACTIVATE,
      actionSpace.kind === 'continuous',
    );
  }

  /** An orthogonal [in, out] weight scaled by `gain` and, optionally, a zero bias (§a.2). */
  protected addLinear(name: string, inDim: number, outDim: number, gain: number, bias = true): void {
    const p = this.params;
    p.add(`${name}.weight`, [inDim, outDim], orthogonal(inDim, outDim, gain, this.initRng.fork(name)));
    if (bias) p.add(`${name}.bias`, [outDim], new Float32Array(outDim));
  }

  /** A LayerNorm's γ = 1 and β = 0 (PyTorch's defaults, §a.2). */
  protected addLayerNorm(name: string, dim: number): void {
    this.params.add(`${name}.gamma`, [dim], new Float32Array(dim).fill(1));
    this.params.add(`${name}.beta`, [dim], new Float32Array(dim));
  }

  /** One transformer block's parameters (§a.3). */
  protected addBlock(name: string): void {
    const d = this.config.embedDim;
    this.addLayerNorm(`${name}.ln1`, d);
    // key, query, value: separate D×D layers of gain 0.01 (one fused [D, 3D] matmul would need a
    // split along the last axis, which TF.js's wasm backend copies slowly)
    this.addLinear(`${name}.attn.key`, d, d, GAIN_SMALL);
    this.addLinear(`${name}.attn.query`, d, d, GAIN_SMALL);
    this.addLinear(`${name}.attn.value`, d, d, GAIN_SMALL);
    this.addLinear(`${name}.attn.proj`, d, d, GAIN_SMALL);
    this.addLayerNorm(`${name}.ln2`, d);
    this.addLinear(`${name}.mlp.fc1`, d, d, GAIN_ACTIVATE);
    this.addLinear(`${name}.mlp.fc2`, d, d, GAIN_SMALL);
  }

  protected w(name: string): tf.Variable {
    return this.params.get(name);
  }

  protected linearNamed(x: tf.Tensor, name: string, bias = true): tf.Tensor {
    return linear(x, this.w(`${name}.weight`), bias ? this.w(`${name}.bias`) : undefined);
  }

  protected layerNormNamed(x: tf.Tensor, name: string): tf.Tensor {
    return layerNorm(x, this.w(`${name}.gamma`), this.w(`${name}.beta`));
  }

  /** Pre-norm transformer block (§a.3); `mask` null for the ITB, causal for the OTB. */
  protected block(x: tf.Tensor, name: string, mask: tf.Tensor | null): tf.Tensor {
    const normed = this.layerNormNamed(x, `${name}.ln1`);
    const k = this.linearNamed(normed, `${name}.attn.key`); // [B, T, D]
    const q = this.linearNamed(normed, `${name}.attn.query`);
    const v = this.linearNamed(normed, `${name}.attn.value`);
    const attended = attention(q, k, v, this.config.numHeads, mask);
    const x1 = tf.add(x, this.linearNamed(attended, `${name}.attn.proj`));
    const hidden = gelu(this.linearNamed(this.layerNormNamed(x1, `${name}.ln2`), `${name}.mlp.fc1`));
    return tf.add(x1, this.linearNamed(hidden, `${name}.mlp.fc2`));
  }

  /**
   * Inner transformer block over [first token, obs tokens] (§a.2 rows 1–5). Does not depend on
   * actions, so acting computes it once per step.
   * obs [B, n, O], state [B, S] (ignored with the state token) → encoded [B, n+1, D].
   */
  encode(obs: tf.Tensor, state: tf.Tensor | null): tf.Tensor {
    const b = obs.shape[0]!;
    const d = this.config.embedDim;
    const obsTokens = gelu(this.linearNamed(this.layerNormNamed(obs, 'obsEncoder.ln'), 'obsEncoder.linear')); // [B, n, D]
    let first: tf.Tensor;
    if (this.config.useStateToken) {
      // a broadcasting add, not broadcastTo: TF.js's Tile gradient costs one slice per batch row
      first = tf.add(tf.zeros([b, 1, d]), tf.reshape(this.w('stateToken'), [1, 1, d]));
    } else {
      if (!state) throw new Error('SteerModel.encode: this model encodes the state, but no state was given');
      const s = gelu(this.linearNamed(this.layerNormNamed(state, 'stateEncoder.ln'), 'stateEncoder.linear')); // [B, D]
      first = tf.reshape(s, [b, 1, d]);
    }
    return this.inner(tf.concat([first, obsTokens], 1)); // [B, n+1, D]
  }

  /** The ITB over the tokens u [B, n+1, D] (§a.2 row 4): L unmasked blocks. */
  protected inner(u: tf.Tensor): tf.Tensor {
    for (let l = 0; l < this.config.numBlocks; l++) u = this.block(u, `itb.${l}`, null);
    return u;
  }

  /**
   * Outer transformer block and heads for the first t agents (§a.2 rows 6–13).
   * encoded [B, n+1, D]; leaderActions [B, t−1, A] (one-hot rows for discrete actions, raw
   * vectors for continuous ones) or null when t = 1 → heads for agents 0..t−1.
   */
  decode(encoded: tf.Tensor, leaderActions: tf.Tensor | null, t: number): SteerHeads {
    const b = encoded.shape[0]!;
    const d = this.config.embedDim;
    const s0 = tf.slice(encoded, [0, 0, 0], [b, 1, d]); // [B, 1, D]
    const z = this.outer(s0, leaderActions, t); // [B, t, D], or null without an OTB
    const reps = tf.slice(encoded, [0, 1, 0], [b, t, d]); // r_0..r_{t−1}
    return this.readout(z ? tf.add(z, reps) : reps);
  }

  /** [s0, actEnc(a_0), …, actEnc(a_{t−2})] (§a.2 rows 6–7, before P): s0 [B, 1, D] → [B, t, D]. */
  protected leaderSequence(s0: tf.Tensor, leaderActions: tf.Tensor | null, t: number): tf.Tensor {
    if (t === 1) return s0;
    if (!leaderActions) throw new Error(`SteerModel.decode: t = ${t} needs the actions of ${t - 1} leaders`);
    const g = gelu(
      this.linearNamed(leaderActions, 'actionEncoder', this.config.actionSpace.kind === 'continuous'),
    );
    return tf.concat([s0, g], 1); // [B, t, D]
  }

  /** The OTB (§a.2 rows 7–8): position j sees s0 and a_0..a_{j−1} → Z' [B, t, D]. */
  protected outer(s0: tf.Tensor, leaderActions: tf.Tensor | null, t: number): tf.Tensor | null {
    const d = this.config.embedDim;
    let z = this.leaderSequence(s0, leaderActions, t);
    z = tf.add(z, tf.slice(this.w('positionEmbedding'), [0, 0], [t, d]));
    for (let l = 0; l < this.config.numBlocks; l++) z = this.block(z, `otb.${l}`, this.masks[t - 1]!);
    return z;
  }

  /** Residual output MLP, final norm and heads (§a.2 rows 10–13): u [B, t, D] → heads. */
  protected readout(u: tf.Tensor): SteerHeads {
    const mlp = this.linearNamed(
      gelu(this.linearNamed(this.layerNormNamed(u, 'outProj.ln'), 'outProj.fc1')),
      'outProj.fc2',
    );
    const h = this.layerNormNamed(tf.add(u, mlp), 'seqLn'); // [B, t, D]
    return { actor: this.head(h, 'actorHead'), values: tf.squeeze(this.head(h, 'criticHead'), [2]) };
  }

  /** Heads of the last position only: for autoregressive acting (pass i needs agent i alone). */
  decodeLast(encoded: tf.Tensor, leaderActions: tf.Tensor | null, t: number): SteerHeads {
    const full = this.decode(encoded, leaderActions, t);
    const b = encoded.shape[0]!;
    return {
      actor: tf.reshape(tf.slice(full.actor, [0, t - 1, 0], [b, 1, this.actionDim]), [b, this.actionDim]),
      values: tf.reshape(tf.slice(full.values, [0, t - 1], [b, 1]), [b]),
    };
  }

  protected head(h: tf.Tensor, name: string): tf.Tensor {
    const x = this.layerNormNamed(gelu(this.linearNamed(h, `${name}.fc1`)), `${name}.ln`);
    return this.linearNamed(x, `${name}.fc2`);
  }

  /** std = 0.5·sigmoid(ρ), one per action dimension (§a.5). Continuous models only. */
  actionStd(): tf.Tensor {
    return tf.mul(tf.sigmoid(this.w('logStd')), 0.5);
  }

  /** Number of scalar parameters (docs/spec/steer.md §a.9 "parameters actually used"). */
  parameterCount(): number {
    return this.params.count();
  }

  /** Free all tensors of the model. */
  dispose(): void {
    this.params.dispose();
    for (const m of this.masks) m.dispose();
    this.masks.length = 0;
  }
}
