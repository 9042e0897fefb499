/**
 * Rollout storage of multi-agent PPO (docs/spec/steer.md §b.1): preallocated typed arrays, flat and
 * time-major, [T(+1), R, n, …] with index (t·R + env)·n + agent, agents in env index order. The
 * per-step arrays with T+1 rows (observations, masks, values) keep the observation the bootstrap
 * value is computed at in row T, which becomes row 0 of the next rollout (envs are not reset
 * between updates, §b.1). Rewards, masks and values are laid out as `computeGae` reads them.
 *
 * A policy that decides in priority order (the leader first, as STEER's) reads and writes rows in
 * each step's `priority` order: `storeActing` and `storeValues` take its outputs in that order,
 * `gather` returns rows in it.
 */
import type { EnvStep } from '../../envs/types.js';

/** Sizes of a rollout. */
export interface RolloutShape {
  /** Steps T of one rollout. */
  steps: number;
  /** Parallel environments R. */
  envs: number;
  /** Agents n. */
  agents: number;
  /** Observation length O per agent. */
  obsDim: number;
  /** Global state length S (concatenated observations when the env has no state, §b.1). */
  stateDim: number;
  /** Actions A of a discrete space (the available-action mask's width), or a continuous action's dim. */
  actionDim: number;
  /** Values stored per action: 1 for discrete actions (an index), A for continuous ones. */
  actionWidth: number;
  discrete: boolean;
}

/** What a policy chose for the R environments of one step, flat and in priority order. */
export interface ActingOutput {
  /** [R, n, width] */
  actions: ArrayLike<number>;
  /** [R, n, width] */
  logProbs: ArrayLike<number>;
  /** [R, n], normalised space when a value normaliser is used. */
  values: ArrayLike<number>;
}

/** Rows of a rollout gathered in priority order: entry p of a row is the agent deciding p-th. */
export interface RolloutBatch {
  /** [B, n, O] */
  obs: Float32Array;
  /** [B, S] */
  state: Float32Array;
  /** [B, n, width]: action indices (discrete) or raw vectors. */
  actions: Float32Array;
  /** [B, n, width] */
  logProbs: Float32Array;
  /** [B, n] */
  values: Float32Array;
  /** [B, n] */
  active: Float32Array;
  /** [B, n, A] 1 = available, or null while no env has reported a mask (all available). */
  avail: Uint8Array | null;
  /** [B, n]; zeros unless `gather` was given advantages. */
  advantages: Float32Array;
  /** [B, n]; zeros unless `gather` was given returns. */
  returns: Float32Array;
  /** [B, n]: the env agent index at each priority position. */
  order: Int32Array;
}

export class RolloutBuffer {
  /** Observations [T+1, R, n, O]. */
  readonly obs: Float32Array;
  /** Global states [T+1, R, S]. */
  readonly state: Float32Array;
  /** Available actions [T+1, R, n, A] (discrete spaces only; 1 = available). */
  readonly avail: Uint8Array;
  /** Active agents [T+1, R, n] (1 in the episode, 0 already out). */
  readonly active: Float32Array;
  /** Decision order [T+1, R, n]: entry p of a row is the agent deciding p-th. */
  readonly priority: Int32Array;
  /** masks[t+1] = 0 iff the agent's episode ended at step t, [T+1, R, n]. */
  readonly masks: Float32Array;
  /** Actions taken [T, R, n, width]. */
  readonly actions: Float32Array;
  /** Their log-probabilities [T, R, n, width]. */
  readonly logProbs: Float32Array;
  /** Value estimates [T+1, R, n], as the policy gave them (normalised space with a value normaliser). */
  readonly values: Float32Array;
  /** Private rewards [T, R, n]. */
  readonly rewards: Float32Array;
  /** True once an env has reported an available-action mask: gathered batches then carry one. */
  private hasAvail = false;

  constructor(readonly shape: RolloutShape) {
    const { steps: t, envs: r, agents: n, obsDim, stateDim, actionDim, actionWidth: w, discrete } = shape;
    const rows = (t + 1) * r;
    this.obs = new Float32Array(rows * n * obsDim);
    this.state = new Float32Array(rows * stateDim);
    this.avail = new Uint8Array(discrete ? rows * n * actionDim : 0).fill(1);
    this.active = new Float32Array(rows * n).fill(1);
    this.priority = new Int32Array(rows * n);
    this.masks = new Float32Array(rows * n).fill(1);
    this.actions = new Float32Array(t * r * n * w);
    this.logProbs = new Float32Array(t * r * n * w);
    this.values = new Float32Array(rows * n);
    this.rewards = new Float32Array(t * r * n);
  }

  /** Store env `e`'s observation (from a reset or a step) in row `t`. */
  writeStep(t: number, e: number, step: EnvStep): void {
    const row = t * this.shape.envs + e;
    const { agents: n, obsDim: o, stateDim: s, actionDim: a } = this.shape;
    this.obs.set(step.obs, row * n * o);
    // no global state: concatenated observations (use_centralized_V, §b.1)
    this.state.set(step.state.length > 0 ? step.state : step.obs.subarray(0, n * o), row * s);
    for (let j = 0; j < n; j++) {
      this.active[row * n + j] = step.active[j]!;
      this.priority[row * n + j] = step.priority[j]!;
    }
    if (step.availActions) {
      this.hasAvail = true;
      this.avail.set(step.availActions, row * n * a);
    }
  }

  /**
   * Store what the policy chose for env `e` at storage row `row` (t·R + e): `out` is in priority
   * order, storage in agent order. Writes the env's joint action, agent order, into `envActions`.
   */
  storeActing(row: number, e: number, out: ActingOutput, envActions: Float64Array): void {
    const { agents: n, actionWidth: w } = this.shape;
    for (let p = 0; p < n; p++) {
      const agent = this.priority[row * n + p]!;
      const dst = row * n + agent;
      this.values[dst] = out.values[e * n + p]!;
      for (let k = 0; k < w; k++) {
        const a = out.actions[(e * n + p) * w + k]!;
        this.actions[dst * w + k] = a;
        this.logProbs[dst * w + k] = out.logProbs[(e * n + p) * w + k]!;
        envActions[agent * w + k] = a;
      }
    }
  }

  /** Store the private rewards (agent order) of storage row `row` (t·R + e). */
  storeRewards(row: number, rewards: ArrayLike<number>): void {
    const n = this.shape.agents;
    for (let j = 0; j < n; j++) this.rewards[row * n + j] = rewards[j]!;
  }

  /**
   * Masks of env `e` in row `t`: 0 for the agents whose episode ended at step t − 1 (`dones`, agent
   * order), for all of them when `dones` is null (the whole episode ended), 1 for the others.
   */
  storeMasks(t: number, e: number, dones: ArrayLike<number> | null): void {
    const n = this.shape.agents;
    const row = t * this.shape.envs + e;
    for (let j = 0; j < n; j++) this.masks[row * n + j] = dones === null || dones[j] ? 0 : 1;
  }

  /** Store the values of every env in row `t` (the bootstrap row T): [R, n] in priority order. */
  storeValues(t: number, values: ArrayLike<number>): void {
    const { envs: r, agents: n } = this.shape;
    for (let e = 0; e < r; e++) {
      const row = t * r + e;
      for (let p = 0; p < n; p++) this.values[row * n + this.priority[row * n + p]!] = values[e * n + p]!;
    }
  }

  /**
   * Rows `idx` (t·R + e) in priority order, observations and values from rows `idx` and actions and
   * log-probabilities from rows `actIdx`; advantages and returns ([T, R, n], agent order) gathered
   * alongside when given.
   */
  gather(
    idx: Int32Array,
    actIdx: Int32Array,
    advantages?: Float32Array,
    returns?: Float32Array,
  ): RolloutBatch {
    const { agents: n, obsDim: o, stateDim: s, actionWidth: w, actionDim: a } = this.shape;
    const b = idx.length;
    const out: RolloutBatch = {
      obs: new Float32Array(b * n * o),
      state: new Float32Array(b * s),
      actions: new Float32Array(b * n * w),
      logProbs: new Float32Array(b * n * w),
      values: new Float32Array(b * n),
      active: new Float32Array(b * n),
      avail: this.hasAvail ? new Uint8Array(b * n * a) : null,
      advantages: new Float32Array(b * n),
      returns: new Float32Array(b * n),
      order: new Int32Array(b * n),
    };
    for (let i = 0; i < b; i++) {
      const row = idx[i]!;
      const arow = actIdx[i]!;
      out.state.set(this.state.subarray(row * s, (row + 1) * s), i * s);
      for (let p = 0; p < n; p++) {
        const agent = this.priority[row * n + p]!;
        const src = row * n + agent;
        const dst = i * n + p;
        out.order[dst] = agent;
        out.obs.set(this.obs.subarray(src * o, (src + 1) * o), dst * o);
        const asrc = arow * n + agent;
        out.actions.set(this.actions.subarray(asrc * w, (asrc + 1) * w), dst * w);
        out.logProbs.set(this.logProbs.subarray(asrc * w, (asrc + 1) * w), dst * w);
        out.values[dst] = this.values[src]!;
        out.active[dst] = this.active[src]!;
        if (out.avail) out.avail.set(this.avail.subarray(src * a, (src + 1) * a), dst * a);
        if (advantages && returns) {
          out.advantages[dst] = advantages[src]!;
          out.returns[dst] = returns[src]!;
        }
      }
    }
    return out;
  }

  /** Copy row `from`'s observations and masks to row `to` (the last observation starts the next rollout). */
  copyRow(from: number, to: number): void {
    const r = this.shape.envs;
    const { agents: n, obsDim: o, stateDim: s, actionDim: a, discrete } = this.shape;
    const copy = (arr: Float32Array | Uint8Array | Int32Array, per: number) =>
      arr.copyWithin(to * r * per, from * r * per, (from + 1) * r * per);
    copy(this.obs, n * o);
    copy(this.state, s);
    copy(this.active, n);
    copy(this.priority, n);
    copy(this.masks, n);
    if (discrete) copy(this.avail, n * a);
  }
}
