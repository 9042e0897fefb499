/**
 * The MAPPO network (Yu et al. 2022, "The Surprising Effectiveness of PPO in Cooperative Multi-Agent
 * Games"; docs/algos/mappo.md): one actor MLP shared by every agent, each agent reading only its own
 * observation, and a centralised critic MLP on the global state (or on all agents' observations).
 * Actor and critic share no weights, as the reference code's R_Actor and R_Critic
 * (marlbenchmark/on-policy, r_actor_critic.py).
 *
 *   actor   x_i = [obs_i, onehot(i)]                      [B, n, O (+ n)]
 *           h   = MLP(x_i)                                [B, n, H]
 *           out = Linear(H → A)(h)                        logits or Gaussian means, [B, n, A]
 *   critic  c   = state [B, S], or [obs_0, …, obs_{n−1}] [B, n·O]   (criticInput)
 *           c_i = [c, onehot(i)]                          [B, n, C (+ n)]   (or [B, 1, C] without ids)
 *           V_i = Linear(H → 1)(MLP(c_i))                 [B, n]
 *   MLP     = LayerNorm(input) → (Linear → ReLU → LayerNorm) × (1 + numBlocks)
 *
 * The MLP is the reference's MLPBase (mlp.py): input feature normalisation, a first layer
 * in → H, then layer_N layers H → H, each linear + activation + LayerNorm. The actor never reads
 * another agent's observation or any action: agent i's output is a function of row i alone. The
 * critic reads no action at all.
 */
import type { ActionSpace } from '../../envs/types.js';
import { GAIN_ACTIVATE, orthogonal } from '../../nn/init.js';
import { layerNorm, linear, ParamStore } from '../../nn/layers.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import type { MarlNetwork, NetworkConfig } from '../marl.js';

/** Network shape and options; plain JSON (checkpoints store it). */
export interface MappoNetworkConfig extends NetworkConfig {
  /** Number of agents n (rows of every input). */
  numAgents: number;
  /** Observation length per agent O. */
  obsDim: number;
  /**
   * Global state length S (the env's state, or the concatenated observations when it has none);
   * the critic's input width when criticInput is 'state'.
   */
  stateDim: number;
  /** Discrete (logits) or continuous (Gaussian mean) actions. */
  actionSpace: ActionSpace;
  /** Hidden width H of every actor and critic layer (on-policy hidden_size, default 64). */
  embedDim: number;
  /**
   * Hidden-to-hidden layers after the first (on-policy layer_N, default 1): each MLP has
   * 1 + numBlocks linear layers.
   */
  numBlocks: number;
  /**
   * Append the agent's one-hot id (its row in the policy's input, i.e. its rank in the step's
   * priority order) to the actor's observation and to the critic's input, as on-policy's SMAC option
   * --add_agent_id does for observations and its agent-specific state (--use_state_agent) for the
   * critic. Without it, agents with equal observations play the same distribution and share one value.
   */
  agentIdInput: boolean;
  /**
   * What the centralised critic reads: the global state ('state', the paper's V(s)), or every
   * agent's observation concatenated in priority order ('observations', on-policy's
   * use_obs_instead_of_state). The second is what the training config's useStateToken selects:
   * STEER's state token likewise means the env's state is never read (docs/algos/mappo.md).
   */
  criticInput: 'state' | 'observations';
}

/** ReLU's orthogonal-init gain √2 (on-policy use_ReLU = True, calculate_gain('relu')). */
const GAIN_HIDDEN = GAIN_ACTIVATE;
/** Gain of the actor's output layer (on-policy --gain, default 0.01). */
const GAIN_ACTOR_OUT = 0.01;
/** Gain of the critic's output layer v_out (on-policy init's default gain, 1). */
const GAIN_CRITIC_OUT = 1;

export class MappoNetwork implements MarlNetwork {
  readonly params = new ParamStore();
  readonly actionDim: number;
  /** One-hot ids [1, n, n] (row i is agent i's id), or null without ids. */
  private readonly ids: tf.Tensor | null;

  constructor(
    readonly config: MappoNetworkConfig,
    seed: number,
  ) {
    const { numAgents: n, obsDim, stateDim, actionSpace, embedDim: h, numBlocks } = config;
    if (n < 1 || obsDim < 1 || stateDim < 1 || h < 1 || numBlocks < 0) {
      throw new Error(
        `MappoNetwork: need numAgents, obsDim, stateDim, embedDim ≥ 1 and numBlocks ≥ 0, got ${n}, ${obsDim}, ${stateDim}, ${h}, ${numBlocks}`,
      );
    }
    this.actionDim = actionSpace.kind === 'discrete' ? actionSpace.n : actionSpace.dim;
    const idDim = config.agentIdInput ? n : 0;
    const root = Rng.fromSeed(seed);
    this.mlp('actor', obsDim + idDim, root);
    this.dense('actor.head', h, this.actionDim, GAIN_ACTOR_OUT, root);
    // state-independent log-std, 0 at init (std 1): on-policy DiagGaussian's AddBias(zeros)
    if (actionSpace.kind === 'continuous') {
      this.params.add('actor.logStd', [this.actionDim], new Float32Array(this.actionDim));
    }
    const centralDim = config.criticInput === 'state' ? stateDim : n * obsDim;
    this.mlp('critic', centralDim + idDim, root);
    this.dense('critic.head', h, 1, GAIN_CRITIC_OUT, root);
    this.ids = config.agentIdInput ? tf.tidy(() => tf.reshape(tf.eye(n), [1, n, n])) : null;
  }

  /** Orthogonal × gain weights and zero biases (on-policy use_orthogonal, init()). */
  private dense(name: string, inDim: number, outDim: number, gain: number, root: Rng): void {
    this.params.add(`${name}.weight`, [inDim, outDim], orthogonal(inDim, outDim, gain, root.fork(name)));
    this.params.add(`${name}.bias`, [outDim], new Float32Array(outDim));
  }

  /** LayerNorm with PyTorch's defaults γ = 1, β = 0. */
  private norm(name: string, dim: number): void {
    this.params.add(`${name}.gamma`, [dim], new Float32Array(dim).fill(1));
    this.params.add(`${name}.beta`, [dim], new Float32Array(dim));
  }

  /** MLPBase's parameters: input norm, then layers 0..numBlocks of linear + LayerNorm. */
  private mlp(prefix: string, inDim: number, root: Rng): void {
    const h = this.config.embedDim;
    this.norm(`${prefix}.inputNorm`, inDim);
    for (let l = 0; l <= this.config.numBlocks; l++) {
      this.dense(`${prefix}.mlp.${l}.linear`, l === 0 ? inDim : h, h, GAIN_HIDDEN, root);
      this.norm(`${prefix}.mlp.${l}.ln`, h);
    }
  }

  private w(name: string): tf.Variable {
    return this.params.get(name);
  }

  private forwardMlp(x: tf.Tensor, prefix: string): tf.Tensor {
    let y = layerNorm(x, this.w(`${prefix}.inputNorm.gamma`), this.w(`${prefix}.inputNorm.beta`));
    for (let l = 0; l <= this.config.numBlocks; l++) {
      const name = `${prefix}.mlp.${l}`;
      y = tf.relu(linear(y, this.w(`${name}.linear.weight`), this.w(`${name}.linear.bias`)));
      y = layerNorm(y, this.w(`${name}.ln.gamma`), this.w(`${name}.ln.beta`));
    }
    return y;
  }

  /** [B, n, F] → [B, n, F + n] with each row's one-hot id appended (a no-op without ids). */
  private withIds(x: tf.Tensor): tf.Tensor {
    if (!this.ids) return x;
    const [b, n] = x.shape as [number, number, number];
    // a broadcasting add, not tile: the wasm backend's Tile kernel is slow (see SteerModel.encode)
    return tf.concat([x, tf.add(tf.zeros([b, 1, n]), this.ids)], 2);
  }

  /**
   * The shared actor on every agent's own observation: obs [B, n, O] → logits (discrete) or Gaussian
   * means (continuous) [B, n, A]. Row i depends on obs row i (and its id) only.
   */
  actor(obs: tf.Tensor): tf.Tensor {
    const h = this.forwardMlp(this.withIds(obs), 'actor');
    return linear(h, this.w('actor.head.weight'), this.w('actor.head.bias'));
  }

  /**
   * The critic's input for a batch: the state [B, S], or the observations [B, n, O] flattened to
   * [B, n·O] (criticInput). Never an action.
   */
  centralInput(obs: tf.Tensor, state: tf.Tensor | null): tf.Tensor {
    if (this.config.criticInput === 'observations') {
      const { numAgents: n, obsDim: o } = this.config;
      return tf.reshape(obs, [obs.shape[0]!, n * o]); // [B, n·O]
    }
    if (!state)
      throw new Error('MappoNetwork: the centralised critic reads the global state, but none was given');
    return state;
  }

  /**
   * The centralised critic: its input [B, C] (centralInput) → values in normalised space [B, n],
   * one per agent.
   */
  critic(central: tf.Tensor): tf.Tensor {
    const [b, s] = central.shape as [number, number];
    const n = this.config.numAgents;
    const rows = tf.reshape(central, [b, 1, s]); // [B, 1, C]
    // every agent reads the same state; with ids each its own copy with its id appended
    const input = this.ids ? this.withIds(tf.add(rows, tf.zeros([1, n, 1]))) : rows; // [B, n|1, C(+n)]
    const v = linear(
      this.forwardMlp(input, 'critic'),
      this.w('critic.head.weight'),
      this.w('critic.head.bias'),
    );
    const values = tf.reshape(v, [b, input.shape[1]!]); // [B, n] or [B, 1]
    return this.ids ? values : tf.add(values, tf.zeros([1, n])); // [B, n]
  }

  /** The learned log-std, one per action dimension [A] (on-policy DiagGaussian). Continuous only. */
  actionLogStd(): tf.Tensor {
    return this.w('actor.logStd');
  }

  /** std = exp(log-std) [A]. Continuous only. */
  actionStd(): tf.Tensor {
    return tf.exp(this.actionLogStd());
  }

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.params.count();
  }

  /** Free every tensor of the network. */
  dispose(): void {
    this.params.dispose();
    this.ids?.dispose();
  }
}
