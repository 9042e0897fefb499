/**
 * The Multi-Agent Transformer network (MAT; Wen et al., NeurIPS 2022, "Multi-Agent Reinforcement
 * Learning is a Sequence Modeling Problem", arXiv 2205.14953, the architecture of its Figure 2), as
 * its authors' code builds it (PKU-MARL/Multi-Agent-Transformer,
 * mat/algorithms/mat/algorithm/ma_transformer.py). Agents are in priority order; agent 0 decides
 * first. docs/algos/mat.md describes it.
 *
 *   encoder  x   = LN(GELU(Linear(LN(obs))))                                          [B, n, D]
 *            rep = L post-norm blocks, unmasked:  x ← LN1(x + Attn(x)); x ← LN2(x + MLP(x))
 *            V_j = critic head(rep_j)                      the values: encoder output only  [B, n]
 *   decoder  s   = [start, a_0, …, a_{n−2}]  (shifted actions; the start token marks position 0)
 *            y   = LN(GELU(actionEncoder(s)))                                            [B, n, D]
 *            L post-norm blocks, causal:  y ← LN1(y + SelfAttn(y));
 *                                         y ← LN2(rep + CrossAttn(query rep, keys/values y));
 *                                         y ← LN3(y + MLP(y))
 *            logits_j (or Gaussian mean_j) = actor head(y_j)
 *
 * Under the causal masks decoder position j sees the start token and a_0..a_{j−1} only, and its
 * query is agent j's encoder representation, which has attended to every agent's observation. The
 * critic never sees an action. Modules the reference declares but never runs with its defaults
 * (the encoder's state encoder, fed a zero placeholder; the decoder's observation encoder, used
 * only by its `dec_actor` variant) are omitted; docs/algos/mat.md lists them.
 */

import type { ActionSpace } from '../../envs/types.js';
import { GAIN_ACTIVATE, GAIN_SMALL, orthogonal } from '../../nn/init.js';
import { attention, causalMask, gelu, layerNorm, linear, ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';

/** Network shape (ma_transformer.py › MultiAgentTransformer; mat/config.py for the defaults). */
export interface MatModelConfig extends NetworkConfig {
  /** Always "mat": a checkpoint of another algorithm's network is refused by this field's name. */
  network: 'mat';
  /** Number of agents n (the length of the priority order). */
  numAgents: number;
  /** Observation length per agent O. */
  obsDim: number;
  /** Global state length S: kept for the rollout buffer; MAT never reads the state. */
  stateDim: number;
  /** Discrete (logits) or continuous (Gaussian mean) actions. */
  actionSpace: ActionSpace;
  /** Embedding width D (`n_embd`, default 64), shared by encoder and decoder. */
  embedDim: number;
  /** Attention heads H (`n_head`, default 1); D must be divisible by H. */
  numHeads: number;
  /** Blocks L in the encoder and, separately, in the decoder (`n_block`, default 1). */
  numBlocks: number;
}

/** What the encoder gives: per-agent representations and per-agent values. */
export interface MatEncoding {
  /** rep [B, n, D]: the decoder's cross-attention queries. */
  rep: tf.Tensor;
  /** Values in normalised space [B, n], computed from `rep` alone. */
  values: tf.Tensor;
}

export class MatModel implements MarlNetwork {
  readonly params = new ParamStore();
  readonly actionDim: number;
  /** Width of one shifted-action row: A + 1 (start flag, then one-hot) discrete; A continuous. */
  readonly shiftedWidth: number;
  private readonly masks: tf.Tensor[] = [];

  constructor(
    readonly config: MatModelConfig,
    seed: number,
  ) {
    const { embedDim: d, numHeads, numAgents, obsDim, actionSpace, numBlocks } = config;
    if (d % numHeads !== 0)
      throw new Error(`MatModel: embedDim ${d} is not divisible by numHeads ${numHeads}`);
    if (numAgents < 1 || obsDim < 1) throw new Error('MatModel: need numAgents ≥ 1 and obsDim ≥ 1');
    const discrete = actionSpace.kind === 'discrete';
    this.actionDim = discrete ? actionSpace.n : actionSpace.dim;
    this.shiftedWidth = discrete ? this.actionDim + 1 : this.actionDim;
    const root = Rng.fromSeed(seed);
    // every Linear: orthogonal × gain, zero bias; √2 before a GELU, else 0.01 (ma_transformer.py › init_)
    const lin = (name: string, inDim: number, outDim: number, gain: number, bias = true) => {
      this.params.add(`${name}.weight`, [inDim, outDim], orthogonal(inDim, outDim, gain, root.fork(name)));
      if (bias) this.params.add(`${name}.bias`, [outDim], new Float32Array(outDim));
    };
    const ln = (name: string, dim: number) => {
      this.params.add(`${name}.gamma`, [dim], new Float32Array(dim).fill(1));
      this.params.add(`${name}.beta`, [dim], new Float32Array(dim));
    };
    const attn = (name: string) => {
      for (const part of ['key', 'query', 'value', 'proj']) lin(`${name}.${part}`, d, d, GAIN_SMALL);
    };
    const mlp = (name: string) => {
      lin(`${name}.fc1`, d, d, GAIN_ACTIVATE); // 1×D wide, as the reference's blocks
      lin(`${name}.fc2`, d, d, GAIN_SMALL);
    };
    const head = (name: string, out: number) => {
      lin(`${name}.fc1`, d, d, GAIN_ACTIVATE);
      ln(`${name}.ln`, d);
      lin(`${name}.fc2`, d, out, GAIN_SMALL);
    };

    // --- encoder (Encoder, EncodeBlock) ---
    ln('encoder.obsEncoder.ln', obsDim);
    lin('encoder.obsEncoder.linear', obsDim, d, GAIN_ACTIVATE);
    ln('encoder.ln', d);
    for (let l = 0; l < numBlocks; l++) {
      attn(`encoder.blocks.${l}.attn`);
      ln(`encoder.blocks.${l}.ln1`, d);
      mlp(`encoder.blocks.${l}.mlp`);
      ln(`encoder.blocks.${l}.ln2`, d);
    }
    head('encoder.valueHead', 1);
    // --- decoder (Decoder, DecodeBlock): discrete action encoder has no bias ---
    lin('decoder.actionEncoder', this.shiftedWidth, d, GAIN_ACTIVATE, !discrete);
    ln('decoder.ln', d);
    for (let l = 0; l < numBlocks; l++) {
      attn(`decoder.blocks.${l}.selfAttn`);
      ln(`decoder.blocks.${l}.ln1`, d);
      attn(`decoder.blocks.${l}.crossAttn`);
      ln(`decoder.blocks.${l}.ln2`, d);
      mlp(`decoder.blocks.${l}.mlp`);
      ln(`decoder.blocks.${l}.ln3`, d);
    }
    head('decoder.actorHead', this.actionDim);
    // ρ, initialised to 1; std = 0.5·sigmoid(ρ) (Decoder.log_std, transformer_act.py)
    if (!discrete)
      this.params.add('decoder.logStd', [this.actionDim], new Float32Array(this.actionDim).fill(1));
    for (let t = 1; t <= numAgents; t++) this.masks.push(tf.keep(causalMask(t)));
  }

  private w(name: string): tf.Variable {
    return this.params.get(name);
  }

  private linearNamed(x: tf.Tensor, name: string, bias = true): tf.Tensor {
    return linear(x, this.w(`${name}.weight`), bias ? this.w(`${name}.bias`) : undefined);
  }

  private layerNormNamed(x: tf.Tensor, name: string): tf.Tensor {
    return layerNorm(x, this.w(`${name}.gamma`), this.w(`${name}.beta`));
  }

  /** Attention with queries from `query`, keys and values from `source` (both [B, T, D]). */
  private attend(query: tf.Tensor, source: tf.Tensor, name: string, mask: tf.Tensor | null): tf.Tensor {
    const k = this.linearNamed(source, `${name}.key`);
    const q = this.linearNamed(query, `${name}.query`);
    const v = this.linearNamed(source, `${name}.value`);
    return this.linearNamed(attention(q, k, v, this.config.numHeads, mask), `${name}.proj`);
  }

  private mlp(x: tf.Tensor, name: string): tf.Tensor {
    return this.linearNamed(gelu(this.linearNamed(x, `${name}.fc1`)), `${name}.fc2`);
  }

  private head(x: tf.Tensor, name: string): tf.Tensor {
    const h = this.layerNormNamed(gelu(this.linearNamed(x, `${name}.fc1`)), `${name}.ln`);
    return this.linearNamed(h, `${name}.fc2`);
  }

  /**
   * The encoder: unmasked attention over all agents' observation embeddings, then the per-agent
   * values from its output (Encoder.forward). obs [B, n, O] → rep [B, n, D], values [B, n].
   */
  encode(obs: tf.Tensor): MatEncoding {
    const embedded = gelu(
      this.linearNamed(this.layerNormNamed(obs, 'encoder.obsEncoder.ln'), 'encoder.obsEncoder.linear'),
    ); // [B, n, D]
    let x = this.layerNormNamed(embedded, 'encoder.ln');
    for (let l = 0; l < this.config.numBlocks; l++) {
      const name = `encoder.blocks.${l}`;
      x = this.layerNormNamed(tf.add(x, this.attend(x, x, `${name}.attn`, null)), `${name}.ln1`);
      x = this.layerNormNamed(tf.add(x, this.mlp(x, `${name}.mlp`)), `${name}.ln2`);
    }
    return { rep: x, values: tf.squeeze(this.head(x, 'encoder.valueHead'), [2]) };
  }

  /**
   * The decoder for the first t agents (Decoder.forward). rep [B, n, D] from `encode`; shifted
   * [B, t, shiftedWidth]: row 0 the start token, row k agent k−1's action (`shiftedActions`).
   * → logits (discrete, unmasked) or Gaussian means (continuous) [B, t, A].
   */
  decode(rep: tf.Tensor, shifted: tf.Tensor, t: number): tf.Tensor {
    const b = rep.shape[0]!;
    const continuous = this.config.actionSpace.kind === 'continuous';
    const queries = t === rep.shape[1] ? rep : tf.slice(rep, [0, 0, 0], [b, t, this.config.embedDim]);
    const mask = this.masks[t - 1]!;
    let y = this.layerNormNamed(
      gelu(this.linearNamed(shifted, 'decoder.actionEncoder', continuous)),
      'decoder.ln',
    );
    for (let l = 0; l < this.config.numBlocks; l++) {
      const name = `decoder.blocks.${l}`;
      y = this.layerNormNamed(tf.add(y, this.attend(y, y, `${name}.selfAttn`, mask)), `${name}.ln1`);
      // the residual stream restarts from the encoder's representation: query rep_j, keys/values y
      y = this.layerNormNamed(
        tf.add(queries, this.attend(queries, y, `${name}.crossAttn`, mask)),
        `${name}.ln2`,
      );
      y = this.layerNormNamed(tf.add(y, this.mlp(y, `${name}.mlp`)), `${name}.ln3`);
    }
    return this.head(y, 'decoder.actorHead'); // [B, t, A]
  }

  /** std = 0.5·sigmoid(ρ), one per action dimension (transformer_act.py). Continuous models only. */
  actionStd(): tf.Tensor {
    return tf.mul(tf.sigmoid(this.w('decoder.logStd')), 0.5);
  }

  /**
   * The decoder's input for stored joint actions (transformer_act.py › *_parallel_act):
   * discrete actions [B, n] int32 → [B, n, A+1] with row 0 = (1, 0…0), row k = (0, onehot(a_{k−1}));
   * continuous [B, n, A] → [B, n, A] with row 0 = 0, row k = a_{k−1}.
   */
  shiftedActions(actions: tf.Tensor): tf.Tensor {
    const b = actions.shape[0]!;
    const n = this.config.numAgents;
    const a = this.actionDim;
    const discrete = this.config.actionSpace.kind === 'discrete';
    const width = this.shiftedWidth;
    const start = discrete ? oneHotFloat(tf.zeros([b, 1], 'int32'), width) : tf.zeros([b, 1, width]); // [B, 1, W]
    if (n === 1) return start;
    const leaders = discrete
      ? oneHotFloat(tf.slice(actions, [0, 0], [b, n - 1]), a) // [B, n−1, A]
      : tf.slice(actions, [0, 0, 0], [b, n - 1, a]);
    const rows = discrete ? tf.concat([tf.zeros([b, n - 1, 1]), leaders], 2) : leaders; // [B, n−1, W]
    return tf.concat([start, rows], 1); // [B, n, W]
  }

  /** Number of scalar parameters (docs/algos/mat.md derives it from the reference's modules). */
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

/**
 * Float one-hot rows [..., depth] for integer indices. Made as int32 and cast: TF.js's wasm backend
 * (4.22) ignores `oneHot`'s dtype argument and writes the int32 bit pattern of 1 (1.4e-45 as float32).
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.cast(tf.oneHot(tf.cast(indices, 'int32'), depth), 'float32');
}
