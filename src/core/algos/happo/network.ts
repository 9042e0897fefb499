/**
 * The HAPPO network (Kuba et al., ICLR 2022; public code PKU-MARL/HARL): one MLP actor per agent,
 * with no parameter shared between agents, and one centralised critic on the global state.
 *
 *   actor j : obs_j [B, O] → LayerNorm → (Linear → ReLU → LayerNorm) × (1 + L) → Linear → logits | means [B, A]
 *   critic  : state [B, S] → LayerNorm → (Linear → ReLU → LayerNorm) × (1 + L) → Linear → V_0..V_{n−1} [B, n]
 *
 * L is the training config's numBlocks, so an MLP has 1 + numBlocks hidden layers, as MAPPO's
 * (mappo/network.ts): the presets' numBlocks 1 gives two hidden layers of 64, HARL's default
 * `hidden_sizes` [128, 128] in depth (the width is embedDim's 64, as for every algorithm here).
 *
 * The MLP follows HARL's `MLPBase` (harl/models/base/mlp.py): feature normalisation of the input,
 * then per hidden layer a linear layer (orthogonal, gain √2 = calculate_gain('relu'), zero bias),
 * ReLU and LayerNorm. The actor's output layer has gain 0.01 (HARL's `gain` model setting, used by
 * `Categorical` and `DiagGaussian` in harl/models/base/distributions.py); the critic's has gain 1
 * (`VNet.v_out`, harl/models/value_function_models/v_net.py). Continuous actions: a Gaussian whose
 * std = 0.5·sigmoid(ρ) per dimension, ρ a learned state-independent vector starting at 1 (HARL's
 * `DiagGaussian` with std_x_coef 1 and std_y_coef 0.5), one ρ per agent.
 *
 * The critic gives one value per agent, V_j(s), indexed by the env's agent index (not the priority
 * position): rewards here are private, so each agent's return needs its own estimate (docs/algos/happo.md,
 * "Critic"). Parameter names are stable: `actor.<j>.…` for agent j, `critic.…` for the critic.
 */

import type { ActionSpace } from '../../envs/types.js';
import { GAIN_ACTIVATE, GAIN_SMALL, orthogonal } from '../../nn/init.js';
import { layerNorm, linear, ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';

/** Network shape (plain JSON: checkpoints store it and a resume compares it field by field). */
export interface HappoNetworkConfig extends NetworkConfig {
  /** Agents n: one actor each, and n critic outputs. */
  numAgents: number;
  /** Observation length O per agent (the actor's input). */
  obsDim: number;
  /** Global state length S (the critic's input). */
  stateDim: number;
  /** Discrete (logits) or continuous (Gaussian mean) actions. */
  actionSpace: ActionSpace;
  /** Width of every hidden layer (HARL `hidden_sizes` entries); the training config's embedDim. */
  embedDim: number;
  /** The training config's numBlocks: each MLP has 1 + numBlocks hidden layers (len(HARL `hidden_sizes`)). */
  numBlocks: number;
}

/** Gain of the critic's output layer: HARL's `init` default of 1 (VNet.v_out). */
const GAIN_VALUE = 1;

/** The parameter-name prefix of agent j's actor. */
export function actorPrefix(agent: number): string {
  return `actor.${agent}.`;
}

/** The parameter-name prefix of the critic. */
export const CRITIC_PREFIX = 'critic.';

export class HappoNetwork implements MarlNetwork {
  readonly params = new ParamStore();
  readonly actionDim: number;

  constructor(
    readonly config: HappoNetworkConfig,
    seed: number,
  ) {
    const { numAgents: n, obsDim, stateDim, actionSpace, embedDim, numBlocks } = config;
    if (n < 1 || obsDim < 1 || stateDim < 1) {
      throw new Error(
        `HappoNetwork: need numAgents, obsDim and stateDim ≥ 1, received ${n}, ${obsDim}, ${stateDim}`,
      );
    }
    if (embedDim < 1 || numBlocks < 1) {
      throw new Error(`HappoNetwork: need embedDim and numBlocks ≥ 1, received ${embedDim}, ${numBlocks}`);
    }
    this.actionDim = actionSpace.kind === 'discrete' ? actionSpace.n : actionSpace.dim;
    const root = Rng.fromSeed(seed);
    // --- one actor per agent, each from its own random streams (HARL builds one network per agent) ---
    for (let j = 0; j < n; j++) {
      const name = `actor.${j}`;
      this.addMlp(name, obsDim, this.actionDim, GAIN_SMALL, root);
      if (actionSpace.kind === 'continuous') {
        this.params.add(`${name}.logStd`, [this.actionDim], new Float32Array(this.actionDim).fill(1));
      }
    }
    // --- the centralised critic: V_j(s) for every agent j ---
    this.addMlp('critic', stateDim, n, GAIN_VALUE, root);
  }

  /** Input norm, 1 + `numBlocks` hidden layers and an output layer of gain `outGain`, named under `name`. */
  private addMlp(name: string, inDim: number, outDim: number, outGain: number, root: Rng): void {
    const d = this.config.embedDim;
    const p = this.params;
    const lin = (layer: string, from: number, to: number, gain: number) => {
      p.add(`${layer}.weight`, [from, to], orthogonal(from, to, gain, root.fork(layer)));
      p.add(`${layer}.bias`, [to], new Float32Array(to));
    };
    const norm = (layer: string, width: number) => {
      p.add(`${layer}.gamma`, [width], new Float32Array(width).fill(1));
      p.add(`${layer}.beta`, [width], new Float32Array(width));
    };
    norm(`${name}.inputNorm`, inDim); // use_feature_normalization
    for (let l = 0; l <= this.config.numBlocks; l++) {
      lin(`${name}.hidden.${l}.linear`, l === 0 ? inDim : d, d, GAIN_ACTIVATE);
      norm(`${name}.hidden.${l}.norm`, d);
    }
    lin(`${name}.out`, d, outDim, outGain);
  }

  private w(name: string): tf.Variable {
    return this.params.get(name);
  }

  /** The MLP called `name` on x [B, in] → [B, out]. */
  private mlp(x: tf.Tensor, name: string): tf.Tensor {
    let h = layerNorm(x, this.w(`${name}.inputNorm.gamma`), this.w(`${name}.inputNorm.beta`));
    for (let l = 0; l <= this.config.numBlocks; l++) {
      const layer = `${name}.hidden.${l}`;
      const z = tf.relu(linear(h, this.w(`${layer}.linear.weight`), this.w(`${layer}.linear.bias`))); // [B, D]
      h = layerNorm(z, this.w(`${layer}.norm.gamma`), this.w(`${layer}.norm.beta`));
    }
    return linear(h, this.w(`${name}.out.weight`), this.w(`${name}.out.bias`));
  }

  /** Agent j's actor: obs [B, O] → logits (discrete) or Gaussian means (continuous) [B, A]. */
  actor(agent: number, obs: tf.Tensor): tf.Tensor {
    this.checkAgent(agent);
    return this.mlp(obs, `actor.${agent}`);
  }

  /** Agent j's std = 0.5·sigmoid(ρ_j), [A]. Continuous models only. */
  actionStd(agent: number): tf.Tensor {
    this.checkAgent(agent);
    return tf.mul(tf.sigmoid(this.w(`actor.${agent}.logStd`)), 0.5);
  }

  /** The critic: state [B, S] → every agent's value V_j(s) in normalised space, [B, n], agent order. */
  critic(state: tf.Tensor): tf.Tensor {
    return this.mlp(state, 'critic');
  }

  /** The parameters of agent j's actor (its own and nobody else's), in parameter order. */
  actorParams(agent: number): tf.Variable[] {
    this.checkAgent(agent);
    return this.group(actorPrefix(agent));
  }

  /** The critic's parameters, in parameter order. */
  criticParams(): tf.Variable[] {
    return this.group(CRITIC_PREFIX);
  }

  private group(prefix: string): tf.Variable[] {
    return this.params
      .entries()
      .filter(([name]) => name.startsWith(prefix))
      .map(([, v]) => v);
  }

  private checkAgent(agent: number): void {
    if (!Number.isInteger(agent) || agent < 0 || agent >= this.config.numAgents) {
      throw new Error(`HappoNetwork: agent ${agent} is not in 0..${this.config.numAgents - 1}`);
    }
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.params.count();
  }

  /** Free every parameter. */
  dispose(): void {
    this.params.dispose();
  }
}
