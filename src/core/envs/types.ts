/**
 * MultiAgentEnv: the one environment interface for matrix games, HORM, MA-MuJoCo and Football
 * (docs/design.md "One env interface"). Rewards are private (one per agent); a cooperative task is one
 * where they are equal. Arrays are flat and agent-major so a vectorised runner can copy them into
 * preallocated buffers without allocating.
 */

/** Discrete actions are indices 0..n-1; continuous actions are vectors in [low, high]^dim. */
export type ActionSpace =
  | { readonly kind: 'discrete'; readonly n: number }
  | { readonly kind: 'continuous'; readonly dim: number; readonly low: number; readonly high: number };

/** Static description of an environment, fixed for its lifetime. */
export interface EnvSpec {
  /** Registry name, e.g. "matrix:penalty-100". */
  readonly name: string;
  readonly numAgents: number;
  /** Observation length per agent. */
  readonly obsDim: number;
  /** Global state length (0 when the env has none; trainers then use concatenated observations). */
  readonly stateDim: number;
  readonly actionSpace: ActionSpace;
  /** Maximum steps of an episode. */
  readonly episodeLimit: number;
}

/** What reset and step return. Agent-major flat arrays. */
export interface EnvStep {
  /** Observations, numAgents × obsDim. */
  readonly obs: Float32Array;
  /** Global state, stateDim (empty when the env has none). */
  readonly state: Float32Array;
  /** Available-action mask, numAgents × n for discrete spaces (1 = available); null = all available. */
  readonly availActions: Uint8Array | null;
  /** Agents still in the episode (1) or already out (0), numAgents. */
  readonly active: Uint8Array;
  /**
   * Decision order for Stackelberg policies: agent indices from the leader (first) to the last
   * follower. Identity for envs without a priority rule.
   */
  readonly priority: Int32Array;
}

/** Result of one step: the next observation plus per-agent rewards and dones. */
export interface EnvTransition extends EnvStep {
  /** Private reward of each agent for this step, numAgents. */
  readonly rewards: Float64Array;
  /** Per-agent done flags for this step, numAgents. */
  readonly dones: Uint8Array;
  /** True when the whole episode is over; the runner then calls reset. */
  readonly episodeDone: boolean;
  /** Scalar diagnostics for logging (e.g. reward terms); keys are stable. */
  readonly info: Readonly<Record<string, number>>;
}

export interface MultiAgentEnv {
  readonly spec: EnvSpec;
  /** Start a new episode. The same seed gives the same episode. */
  reset(seed?: number): EnvStep;
  /**
   * Apply one joint action: agent-major, one entry per agent for discrete spaces (action index),
   * numAgents × dim for continuous ones. Throws a clear error on a malformed or unavailable action.
   */
  step(actions: ArrayLike<number>): EnvTransition;
  /** Serialisable state (JSON) so a checkpoint can resume a run exactly; undefined if unsupported. */
  snapshot?(): unknown;
  /** Restore a state from `snapshot`; returns the observation of that state. */
  restore?(snapshot: unknown): EnvStep;
  /** Release resources (child processes, wasm memory). */
  close?(): void;
}
