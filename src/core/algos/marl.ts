/**
 * What every multi-agent algorithm gives the one PPO trainer (src/core/algos/ppo/trainer.ts): a
 * network of named parameters, a policy that acts for a batch of environments and evaluates stored
 * joint actions, and how to build both from an env and a training config. STEER is one such
 * algorithm (src/core/algos/steer); the baselines are others (src/core/algos/registry.ts lists them).
 *
 * Agents are in each step's priority order wherever a policy sees them: agent 0 leads; an
 * algorithm that conditions on leaders' actions (STEER, MAT, STEP) lets agent j see a_0..a_{j−1};
 * one that acts simultaneously (MAPPO, HAPPO) ignores the order. Inputs and outputs of `act` are
 * flat typed arrays (batch-major, then agent, then feature), so the rollout loop allocates no
 * tensors it must track.
 */
import type { ActionSpace } from '../envs/types.js';
import type { ParamStore } from '../nn/layers.js';
import type * as tf from '../nn/tf.js';
import type { Rng } from '../rng.js';

/** A batch of observations in priority order. */
export interface PolicyInput {
  /** Batch size B (environments). */
  batch: number;
  /** Observations [B, n, O]. */
  obs: Float32Array;
  /** Global state [B, S], or null when the policy does not read it. */
  state: Float32Array | null;
  /** Available actions [B, n, A] (1 = available), or null for all available. Discrete only. */
  avail: Uint8Array | null;
}

/** What acting returns, flat: B × n rows; `actionWidth` = 1 (discrete) or A (continuous). */
export interface ActOutput {
  /** Discrete: action indices [B, n]; continuous: raw Gaussian samples [B, n, A]. */
  actions: Float32Array;
  /** Log-probabilities [B, n, actionWidth] (per dimension for continuous actions). */
  logProbs: Float32Array;
  /** Values in normalised space [B, n], one per agent. */
  values: Float32Array;
}

/** Teacher-forced evaluation tensors for the PPO loss. */
export interface EvaluateOutput {
  /** [B, n, actionWidth] */
  logProbs: tf.Tensor;
  /** [B, n, actionWidth] */
  entropy: tf.Tensor;
  /** [B, n] normalised-space values. */
  values: tf.Tensor;
}

/**
 * The shape every network config carries (plus whatever its algorithm needs). It is plain JSON:
 * checkpoints store it, a resume checks it field by field, and gradient helper threads rebuild the
 * network from it.
 */
export interface NetworkConfig {
  /** Number of agents n. */
  numAgents: number;
  /** Observation length per agent O. */
  obsDim: number;
  /** Global state length S. */
  stateDim: number;
  actionSpace: ActionSpace;
}

/** A network: its named parameters (stable dotted names, for checkpoints) and its config. */
export interface MarlNetwork {
  readonly config: NetworkConfig;
  readonly params: ParamStore;
  /** Logits per agent (discrete) or action dimensions (continuous). */
  readonly actionDim: number;
  /** Free the parameters. */
  dispose(): void;
}

/**
 * How the PPO ratio of a continuous action is taken (docs/algos/README.md, "Continuous actions"):
 * - 'perDimension': one ratio per action dimension, the clipped surrogates summed over the
 *   dimensions, the entropy as the STEER reference reduces it (docs/spec/steer.md §b.7; STEER, MAT);
 * - 'perRow': the log-probabilities summed over the dimensions (the joint Gaussian's), one ratio
 *   per agent row, the entropy summed over the dimensions (on-policy's MAPPO, HARL's HAPPO).
 * Discrete actions have one log-probability per row, so both rules are the same for them.
 */
export type ContinuousRatio = 'perDimension' | 'perRow';

/** A policy over a network: acting in the rollout, teacher-forced evaluation in the update. */
export interface MarlPolicy {
  readonly model: MarlNetwork;
  /** Values per stored action row: 1 for discrete actions (an index), A for continuous ones. */
  readonly actionWidth: number;
  /**
   * How the PPO loss reduces this policy's per-dimension log-probabilities (continuous actions);
   * every algorithm states its own.
   */
  readonly continuousRatio: ContinuousRatio;
  /** Whether `act` and `evaluate` read the global state (else they are given null). */
  readonly readsState: boolean;
  /**
   * A joint action for every environment of the batch. `greedy` takes the argmax (or the mean);
   * otherwise actions are sampled with `rng`.
   */
  act(input: PolicyInput, greedy: boolean, rng: Rng): ActOutput;
  /**
   * Log-probabilities, entropy and values of stored joint actions, all agents at once. Call inside
   * `tf.tidy` / a gradient function. obs [B, n, O]; state [B, S] or null; actions [B, n] int32
   * (discrete) or [B, n, A] float; avail [B, n, A] bool or null.
   */
  evaluate(
    obs: tf.Tensor,
    state: tf.Tensor | null,
    actions: tf.Tensor,
    avail: tf.Tensor | null,
  ): EvaluateOutput;
}
